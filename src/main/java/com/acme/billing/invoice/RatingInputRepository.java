package com.acme.billing.invoice;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.RangedDelete;
import com.acme.billing.rating.Segment;
import com.acme.billing.subscription.SubscriptionState;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The scratch tables {@code rating_segments} and {@code rating_usage}: rebuilt whole by each
 * close-period run (so a rerun or a restart of the step starts them over), written in batches that
 * commit on their own.
 */
@Repository
public class RatingInputRepository {

    private static final int BATCH = 10_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate eachBatch;
    private final RangedDelete rangedDelete;

    public RatingInputRepository(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, RangedDelete rangedDelete) {
        this.jdbc = jdbc;
        this.eachBatch = new TransactionTemplate(transactionManager);
        this.eachBatch.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.rangedDelete = rangedDelete;
    }

    /**
     * A sink that writes the period's inputs, after clearing the old ones (in ranges of users, each committed on its own: a
     * kill leaves the rest to the restart, whose run of this step clears again). Call {@link TableSink#flush()} at the end.
     */
    public TableSink sink(BillingPeriod period) {
        String p = period.toString();
        long start = System.nanoTime();
        List<Long> cleared = rangedDelete.delete("deleting the rating inputs of an earlier close of " + p,
                "SELECT user_id FROM rating_segments WHERE period = ? ORDER BY user_id", p,
                List.of("DELETE FROM rating_usage WHERE period = ? AND " + RangedDelete.USERS,
                        "DELETE FROM rating_segments WHERE period = ? AND " + RangedDelete.USERS));
        long rows = cleared.get(0) + cleared.get(1);
        if (rows > 0) {
            System.err.printf("  %s: %,d rating input rows of an earlier close deleted (%.1f s)%n", p, rows, (System.nanoTime() - start) / 1e9);
        }
        return new TableSink(p);
    }

    /** One row of {@code rating_segments}. */
    private record SegmentRow(String userId, int segNo, Segment segment) {
    }

    /** One row of {@code rating_usage}. */
    private record UsageRow(String userId, int segNo, String metric, long quantity) {
    }

    public final class TableSink implements RatingInputs.Sink {
        private final String period;
        private final List<SegmentRow> segments = new ArrayList<>();
        private final List<UsageRow> usage = new ArrayList<>();

        TableSink(String period) {
            this.period = period;
        }

        @Override
        public void segment(String userId, int segNo, Segment s) {
            segments.add(new SegmentRow(userId, segNo, s));
            if (segments.size() >= BATCH) {
                flushSegments();
            }
        }

        @Override
        public void usage(String userId, int segNo, String metric, long quantity) {
            usage.add(new UsageRow(userId, segNo, metric, quantity));
            if (usage.size() >= BATCH) {
                flushUsage();
            }
        }

        @Override
        public void usersWithoutSegments(BillingPeriod billingPeriod) {
            flush();
            eachBatch.executeWithoutResult(s -> jdbc.update("INSERT INTO rating_segments (period, user_id, seg_no, seg_start, seg_end, status, tier) "
                    + "SELECT DISTINCT u.period, u.user_id, 0, ?, ?, ?, CAST(NULL AS VARCHAR(64)) FROM rating_usage u WHERE u.period = ? "
                    + "AND NOT EXISTS (SELECT 1 FROM rating_segments s WHERE s.period = u.period AND s.user_id = u.user_id)",
                    InvoiceRepository.utc(billingPeriod.start()), InvoiceRepository.utc(billingPeriod.end()), SubscriptionState.Status.NONE.name(),
                    period));
        }

        public void flush() {
            flushSegments();
            flushUsage();
        }

        private void flushSegments() {
            write("INSERT INTO rating_segments (period, user_id, seg_no, seg_start, seg_end, status, tier) VALUES (?, ?, ?, ?, ?, ?, ?)", segments,
                    (ps, row) -> {
                        ps.setString(1, period);
                        ps.setString(2, row.userId());
                        ps.setInt(3, row.segNo());
                        ps.setObject(4, InvoiceRepository.utc(row.segment().start()));
                        ps.setObject(5, InvoiceRepository.utc(row.segment().end()));
                        ps.setString(6, row.segment().state().status().name());
                        ps.setString(7, row.segment().state().tier());
                    });
        }

        private void flushUsage() {
            write("INSERT INTO rating_usage (period, user_id, seg_no, metric, quantity) VALUES (?, ?, ?, ?, ?)", usage, (ps, row) -> {
                ps.setString(1, period);
                ps.setString(2, row.userId());
                ps.setInt(3, row.segNo());
                ps.setString(4, row.metric());
                ps.setLong(5, row.quantity());
            });
        }

        /** Writes the buffered rows in a transaction of their own and empties the buffer. */
        private <T> void write(String sql, List<T> rows, ParameterizedPreparedStatementSetter<T> setter) {
            if (rows.isEmpty()) {
                return;
            }
            List<T> batch = List.copyOf(rows);
            rows.clear();
            eachBatch.executeWithoutResult(s -> jdbc.batchUpdate(sql, batch, batch.size(), setter));
        }
    }
}
