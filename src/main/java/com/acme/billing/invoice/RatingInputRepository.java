package com.acme.billing.invoice;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.rating.Rating;
import com.acme.billing.rating.Segment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The scratch table {@code rating_inputs}: rebuilt whole by each close-period run, read user by user. */
@Repository
public class RatingInputRepository {

    private static final int BATCH = 10_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate eachBatch;

    public RatingInputRepository(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.eachBatch = new TransactionTemplate(transactionManager);
        this.eachBatch.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Replaces the period's inputs; commits in batches (scratch data, rebuilt whole on a rerun). */
    public long replace(BillingPeriod period, Map<String, UserPeriod> users) {
        String p = period.toString();
        eachBatch.executeWithoutResult(s -> jdbc.update("DELETE FROM rating_inputs WHERE period = ?", p));
        List<Object[]> rows = new ArrayList<>(BATCH);
        long count = 0;
        for (UserPeriod user : users.values()) {
            for (int i = 0; i < user.segments().size(); i++) {
                Rating.SegmentUsage su = user.segments().get(i);
                Segment s = su.segment();
                Object[] base = {p, user.userId(), i, InvoiceRepository.utc(s.start()), InvoiceRepository.utc(s.end()), s.state().status().name(),
                        s.state().tier()};
                if (su.usage().isEmpty()) {
                    rows.add(row(base, null, null));
                }
                for (Map.Entry<String, Long> u : su.usage().entrySet()) {
                    rows.add(row(base, u.getKey(), u.getValue()));
                }
                if (rows.size() >= BATCH) {
                    count += flush(rows);
                }
            }
        }
        count += flush(rows);
        return count;
    }

    private static Object[] row(Object[] base, String metric, Long quantity) {
        Object[] row = java.util.Arrays.copyOf(base, 9);
        row[7] = metric;
        row[8] = quantity;
        return row;
    }

    private long flush(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        List<Object[]> batch = new ArrayList<>(rows);
        rows.clear();
        eachBatch.executeWithoutResult(s -> jdbc.batchUpdate("INSERT INTO rating_inputs (period, user_id, seg_no, seg_start, seg_end, status, "
                + "tier, metric, quantity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch));
        return batch.size();
    }

    static Instant instant(java.time.OffsetDateTime t) {
        return t.toInstant();
    }
}
