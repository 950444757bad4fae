package com.acme.billing.stripe;

import com.acme.billing.money.Money;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Finalized lines waiting for Stripe, the customers of users, and what each push did ({@code stripe_pushes}). */
@Repository
public class PushRepository {

    /** Counts of a period's lines that Stripe should hold (finalized, amount not zero). */
    public record Status(long lines, long pushed, long failed, long pending) {
    }

    public record FailedLine(String lineId, String userId, String error, Instant at) {
    }

    /**
     * What earlier runs sent without a recorded answer, by when the first such request started:
     * lines (by line id) and customer creations (by user id). Whatever they created must be looked up
     * at Stripe before anything is sent again.
     */
    public record Unanswered(Map<String, Instant> lines, Map<String, Instant> customers) {
    }

    /** The status of a line whose request was sent, or may have been, with no answer recorded. */
    static final String SENDING = "sending";

    private static final String PENDING = "FROM invoice_lines l JOIN invoices i ON i.invoice_id = l.invoice_id "
            + "LEFT JOIN stripe_pushes p ON p.line_id = l.line_id "
            + "WHERE l.period = ? AND i.status = 'finalized' AND l.amount <> 0 AND (p.status IS NULL OR p.status <> 'pushed') ";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    public PushRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** The next page of lines not pushed yet, in line_id order after {@code afterLineId} (keyset paging). */
    public List<PushLine> pendingAfter(String period, String afterLineId, int limit) {
        return jdbc.sql("SELECT l.line_id, l.invoice_id, l.user_id, l.period, l.description, l.amount, l.currency, l.period_start, "
                + "l.period_end " + PENDING + "AND l.line_id > ? ORDER BY l.line_id LIMIT ?")
                .params(period, afterLineId, limit)
                .query(PushRepository::line)
                .list();
    }

    /** Every line not pushed yet (dry run). */
    public List<PushLine> pending(String period) {
        return pendingAfter(period, "", Integer.MAX_VALUE);
    }

    public long pendingCount(String period) {
        return jdbc.sql("SELECT COUNT(*) " + PENDING).params(period).query(Long.class).single();
    }

    private static PushLine line(ResultSet rs, int row) throws SQLException {
        String currency = rs.getString("currency");
        BigDecimal amount = rs.getBigDecimal("amount");
        // Amounts are stored already rounded to the currency's minor digits: moving the point is exact.
        long minor = Money.of(amount, Currency.getInstance(currency)).minorUnits();
        return new PushLine(rs.getString("line_id"), rs.getString("invoice_id"), rs.getString("user_id"), rs.getString("period"),
                rs.getString("description"), minor, currency, rs.getObject("period_start", OffsetDateTime.class).toInstant(),
                rs.getObject("period_end", OffsetDateTime.class).toInstant());
    }

    /** The known Stripe customer of each user: created by an earlier push, else imported with the subscriptions. */
    public Map<String, String> customersOf(Collection<String> userIds) {
        Map<String, String> customers = new HashMap<>();
        if (userIds.isEmpty()) {
            return customers;
        }
        List<String> users = new ArrayList<>(userIds);
        String marks = String.join(",", java.util.Collections.nCopies(users.size(), "?"));
        jdbc.sql("SELECT user_id, stripe_customer_id FROM subscriptions WHERE stripe_customer_id IS NOT NULL AND user_id IN (" + marks + ")")
                .params(users).query((rs, n) -> customers.put(rs.getString(1), rs.getString(2))).list();
        jdbc.sql("SELECT user_id, customer_id FROM stripe_customers WHERE user_id IN (" + marks + ")")
                .params(users).query((rs, n) -> customers.put(rs.getString(1), rs.getString(2))).list();
        return customers;
    }

    /**
     * Marks a chunk's lines, and the creation of the customers of {@code usersWithoutCustomer}, as
     * sent before any request leaves (the caller commits this on its own, ahead of the chunk), and
     * returns what earlier runs had left so marked. A mark that is already there keeps its start
     * time: the look-up must reach back to the first unanswered request. A line refused by an
     * earlier run (answered) is marked anew.
     */
    public Unanswered startAttempts(List<PushLine> lines, Collection<String> usersWithoutCustomer, Instant wallNow, Instant now,
            Long executionId) {
        Unanswered unanswered = unanswered(lines, usersWithoutCustomer);
        OffsetDateTime started = OffsetDateTime.ofInstant(wallNow, ZoneOffset.UTC);
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        List<PushLine> toMark = lines.stream().filter(l -> !unanswered.lines().containsKey(l.lineId())).toList();
        if (!toMark.isEmpty()) {
            List<String> ids = toMark.stream().map(PushLine::lineId).toList();
            jdbc.sql("DELETE FROM stripe_pushes WHERE status = 'failed' AND line_id IN (" + placeholders(ids.size()) + ")").params(ids).update();
            batch.batchUpdate("INSERT INTO stripe_pushes (line_id, period, invoice_id, user_id, status, attempts, updated_at, execution_id, "
                    + "attempt_started_at) VALUES (?, ?, ?, ?, '" + SENDING + "', 0, ?, ?, ?)", toMark, 500, (ps, line) -> {
                        ps.setString(1, line.lineId());
                        ps.setString(2, line.period());
                        ps.setString(3, line.invoiceId());
                        ps.setString(4, line.userId());
                        ps.setObject(5, at);
                        setExecution(ps, 6, executionId);
                        ps.setObject(7, started);
                    });
        }
        List<String> customersToMark = usersWithoutCustomer.stream().filter(u -> !unanswered.customers().containsKey(u)).toList();
        batch.batchUpdate("INSERT INTO stripe_customer_attempts (user_id, started_at) VALUES (?, ?)", customersToMark, 500, (ps, user) -> {
            ps.setString(1, user);
            ps.setObject(2, started);
        });
        return unanswered;
    }

    /** What earlier runs left sent without a recorded answer, among these lines and these users' customer creations (reads only). */
    public Unanswered unanswered(List<PushLine> lines, Collection<String> usersWithoutCustomer) {
        Map<String, Instant> unansweredLines = new HashMap<>();
        Map<String, Instant> unansweredCustomers = new HashMap<>();
        if (!lines.isEmpty()) {
            List<String> ids = lines.stream().map(PushLine::lineId).toList();
            jdbc.sql("SELECT line_id, attempt_started_at FROM stripe_pushes WHERE status = '" + SENDING + "' AND line_id IN ("
                    + placeholders(ids.size()) + ")").params(ids)
                    .query((rs, n) -> {
                        OffsetDateTime started = rs.getObject(2, OffsetDateTime.class);
                        // (always set; were it not, the look-up would reach back to the beginning)
                        return unansweredLines.put(rs.getString(1), started == null ? Instant.EPOCH : started.toInstant());
                    }).list();
        }
        if (!usersWithoutCustomer.isEmpty()) {
            List<String> users = new ArrayList<>(usersWithoutCustomer);
            jdbc.sql("SELECT user_id, started_at FROM stripe_customer_attempts WHERE user_id IN (" + placeholders(users.size()) + ")").params(users)
                    .query((rs, n) -> unansweredCustomers.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant())).list();
        }
        return new Unanswered(unansweredLines, unansweredCustomers);
    }

    private static String placeholders(int count) {
        return String.join(",", java.util.Collections.nCopies(count, "?"));
    }

    private static void setExecution(java.sql.PreparedStatement ps, int index, Long executionId) throws SQLException {
        if (executionId == null) {
            ps.setNull(index, java.sql.Types.BIGINT);
        } else {
            ps.setLong(index, executionId);
        }
    }

    /**
     * Records a chunk's results: customers created or found, lines pushed or failed (each replacing
     * the line's earlier row, its "sending" mark included); a customer creation Stripe refused is
     * answered too, so the next push does not look for it.
     */
    public void record(List<PushResult> results, Collection<String> customersRefused, Instant now, Long executionId) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        Map<String, String> created = new HashMap<>();
        for (PushResult result : results) {
            if (result.createdCustomerId() != null) {
                created.put(result.line().userId(), result.createdCustomerId());
            }
        }
        for (Map.Entry<String, String> customer : created.entrySet()) {
            if (jdbc.sql("SELECT COUNT(*) FROM stripe_customers WHERE user_id = ?").param(customer.getKey()).query(Long.class).single() == 0) {
                jdbc.sql("INSERT INTO stripe_customers (user_id, customer_id, source, recorded_at) VALUES (?, ?, 'created', ?)")
                        .params(customer.getKey(), customer.getValue(), at).update();
            }
            jdbc.sql("UPDATE subscriptions SET stripe_customer_id = ? WHERE user_id = ? AND stripe_customer_id IS NULL")
                    .params(customer.getValue(), customer.getKey()).update();
        }
        List<String> answeredCustomers = new ArrayList<>(created.keySet());
        answeredCustomers.addAll(customersRefused);
        if (!answeredCustomers.isEmpty()) {
            jdbc.sql("DELETE FROM stripe_customer_attempts WHERE user_id IN ("
                    + String.join(",", java.util.Collections.nCopies(answeredCustomers.size(), "?")) + ")").params(answeredCustomers).update();
        }
        if (results.isEmpty()) {
            return;
        }
        List<String> ids = results.stream().map(r -> r.line().lineId()).toList();
        jdbc.sql("DELETE FROM stripe_pushes WHERE line_id IN (" + String.join(",", java.util.Collections.nCopies(ids.size(), "?")) + ")")
                .params(ids).update();
        batch.batchUpdate("INSERT INTO stripe_pushes (line_id, period, invoice_id, user_id, status, stripe_item_id, error, attempts, "
                + "updated_at, execution_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", results, 500, (ps, r) -> {
                    ps.setString(1, r.line().lineId());
                    ps.setString(2, r.line().period());
                    ps.setString(3, r.line().invoiceId());
                    ps.setString(4, r.line().userId());
                    ps.setString(5, r.pushed() ? "pushed" : "failed");
                    ps.setString(6, r.stripeItemId());
                    ps.setString(7, r.error() == null ? null : truncate(r.error(), 2000));
                    ps.setInt(8, r.attempts());
                    ps.setObject(9, at);
                    setExecution(ps, 10, executionId);
                });
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    public Status status(String period) {
        return jdbc.sql("SELECT COUNT(*), "
                + "SUM(CASE WHEN p.status = 'pushed' THEN 1 ELSE 0 END), SUM(CASE WHEN p.status = 'failed' THEN 1 ELSE 0 END) "
                + "FROM invoice_lines l JOIN invoices i ON i.invoice_id = l.invoice_id LEFT JOIN stripe_pushes p ON p.line_id = l.line_id "
                + "WHERE l.period = ? AND i.status = 'finalized' AND l.amount <> 0")
                .param(period)
                .query((rs, n) -> {
                    long lines = rs.getLong(1);
                    long pushed = rs.getLong(2);
                    long failed = rs.getLong(3);
                    return new Status(lines, pushed, failed, lines - pushed - failed);
                })
                .single();
    }

    public List<FailedLine> failed(String period) {
        return jdbc.sql("SELECT line_id, user_id, error, updated_at FROM stripe_pushes WHERE period = ? AND status = 'failed' ORDER BY line_id")
                .param(period)
                .query((rs, n) -> new FailedLine(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()))
                .list();
    }
}
