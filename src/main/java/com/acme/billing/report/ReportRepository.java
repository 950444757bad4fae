package com.acme.billing.report;

import com.acme.billing.customer.CustomerProfile;
import com.acme.billing.customer.Customers;
import com.acme.billing.eventstore.EventStore;
import com.acme.billing.period.BillingPeriod;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What the reports read: the period's invoices with their lines and usage, a chunk of invoices at a time. */
@Repository
public class ReportRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final EventStore events;
    private final Customers customers;

    private final java.time.Clock clock;

    public ReportRepository(JdbcClient jdbc, JdbcTemplate batch, EventStore events, Customers customers, java.time.Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.batch = batch;
        this.events = events;
        this.customers = customers;
    }

    /** Copies the period's usage per user, metric and day from the event store (replacing an earlier copy), and notes when. */
    public long collectDailyUsage(String period) {
        BillingPeriod p = BillingPeriod.parse(period);
        jdbc.sql("DELETE FROM report_daily_usage WHERE period = ?").param(period).update();
        int month = p.month().getYear() * 100 + p.month().getMonthValue();
        long startMicros = p.start().getEpochSecond() * 1_000_000L;
        List<EventStore.DailyUsage> pending = new ArrayList<>();
        AtomicLong rows = new AtomicLong();
        events.dailyUsage(month, startMicros, d -> {
            pending.add(d);
            rows.incrementAndGet();
            if (pending.size() == 5000) {
                flush(period, pending);
            }
        });
        flush(period, pending);
        jdbc.sql("DELETE FROM report_daily_copies WHERE period = ?").param(period).update();
        jdbc.sql("INSERT INTO report_daily_copies (period, copied_at) VALUES (?, ?)")
                .params(period, OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC)).update();
        return rows.get();
    }

    private void flush(String period, List<EventStore.DailyUsage> pending) {
        if (!pending.isEmpty()) {
            batch.batchUpdate("INSERT INTO report_daily_usage (period, user_id, metric, day_of_month, quantity) VALUES (?, ?, ?, ?, ?)",
                    pending, pending.size(), (ps, d) -> {
                        ps.setString(1, period);
                        ps.setString(2, d.userId());
                        ps.setString(3, d.metric());
                        ps.setInt(4, d.day());
                        ps.setLong(5, d.quantity());
                    });
            pending.clear();
        }
    }

    public long invoiceCount(String period) {
        return jdbc.sql("SELECT COUNT(*) FROM invoices WHERE period = ?").param(period).query(Long.class).single();
    }

    public List<String> invoiceIdsAfter(String period, String after, int limit) {
        return jdbc.sql("SELECT invoice_id FROM invoices WHERE period = ? AND invoice_id > ? ORDER BY invoice_id LIMIT ?")
                .params(period, after, limit).query(String.class).list();
    }

    /** As {@link #invoiceIdsAfter(String, String, int)}, of the users after {@code afterUser} up to {@code upToUser} (null: open). */
    public List<String> invoiceIdsAfter(String period, String after, int limit, String afterUser, String upToUser) {
        List<Object> params = rangeParams(period, afterUser, upToUser);
        params.add(after);
        params.add(limit);
        return jdbc.sql("SELECT invoice_id FROM invoices WHERE period = ?" + userRange(upToUser) + " AND invoice_id > ? ORDER BY invoice_id LIMIT ?")
                .params(params).query(String.class).list();
    }

    /** Invoices of the period of the users after {@code afterUser} up to {@code upToUser} (null: open). */
    public long invoiceCount(String period, String afterUser, String upToUser) {
        return jdbc.sql("SELECT COUNT(*) FROM invoices WHERE period = ?" + userRange(upToUser)).params(rangeParams(period, afterUser, upToUser))
                .query(Long.class).single();
    }

    /** A partition's users (remote partitioning): after {@code afterUser}, and up to {@code upToUser} unless it is null (the last range). */
    private static String userRange(String upToUser) {
        return upToUser == null ? " AND user_id > ?" : " AND user_id > ? AND user_id <= ?";
    }

    private static List<Object> rangeParams(String period, String afterUser, String upToUser) {
        List<Object> params = new ArrayList<>(List.of(period, afterUser));
        if (upToUser != null) {
            params.add(upToUser);
        }
        return params;
    }

    /** The statements of these invoices, in the order given: four queries for the whole chunk. */
    public List<Statement> statements(String period, List<String> invoiceIds) {
        if (invoiceIds.isEmpty()) {
            return List.of();
        }
        String marks = String.join(",", Collections.nCopies(invoiceIds.size(), "?"));
        Map<String, List<Statement.Line>> lines = new HashMap<>();
        jdbc.sql("SELECT invoice_id, line_type, tier, metric, description, quantity, unit_price, amount, period_start, period_end "
                + "FROM invoice_lines WHERE invoice_id IN (" + marks + ") ORDER BY invoice_id, period_start, line_type, metric, line_id")
                .params(new ArrayList<Object>(invoiceIds))
                .query((rs, n) -> lines.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Statement.Line(rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getBigDecimal(8),
                        rs.getObject(9, OffsetDateTime.class).toInstant(), rs.getObject(10, OffsetDateTime.class).toInstant())))
                .list();
        record Head(String invoiceId, String userId, String kind, String status, String currency, java.math.BigDecimal total,
                java.time.Instant created, String customer) {
        }
        Map<String, Head> heads = new LinkedHashMap<>();
        jdbc.sql("SELECT i.invoice_id, i.user_id, i.kind, i.status, i.currency, i.total, i.created_at, "
                + "COALESCE(c.customer_id, s.stripe_customer_id) FROM invoices i LEFT JOIN stripe_customers c ON c.user_id = i.user_id "
                + "LEFT JOIN subscriptions s ON s.user_id = i.user_id WHERE i.invoice_id IN (" + marks + ")")
                .params(new ArrayList<Object>(invoiceIds))
                .query((rs, n) -> heads.put(rs.getString(1), new Head(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getBigDecimal(6), rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getString(8))))
                .list();
        // The slice's users by range, not by an IN list: H2 answered "period = ? AND user_id IN (50 ids)" by
        // reading every row of the period and testing the list on each, so each slice cost as much as the
        // whole month (the reader thread was the statements' bottleneck). Invoices come in id order, which
        // follows user order, so the range is tight; rows of users outside the slice are skipped here.
        Set<String> users = new HashSet<>();
        heads.values().forEach(h -> users.add(h.userId()));
        Map<String, List<Statement.Usage>> usage = new HashMap<>();
        Map<String, List<Statement.Daily>> daily = new HashMap<>();
        if (!users.isEmpty()) {
            String first = Collections.min(users);
            String last = Collections.max(users);
            jdbc.sql("SELECT user_id, metric, tier, quantity, included, overage_quantity, limit_breached FROM usage_summaries "
                    + "WHERE period = ? AND user_id BETWEEN ? AND ? ORDER BY user_id, metric, tier")
                    .params(period, first, last)
                    .query(rs -> {
                        if (users.contains(rs.getString(1))) {
                            usage.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Statement.Usage(rs.getString(2),
                                    rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getBoolean(7)));
                        }
                    });
            jdbc.sql("SELECT user_id, metric, day_of_month, quantity FROM report_daily_usage WHERE period = ? AND user_id BETWEEN ? AND ? "
                    + "ORDER BY user_id, metric, day_of_month")
                    .params(period, first, last)
                    .query(rs -> {
                        if (users.contains(rs.getString(1))) {
                            daily.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Statement.Daily(rs.getString(2),
                                    rs.getInt(3), rs.getLong(4)));
                        }
                    });
        }
        // Decrypted here, in memory, for the PDF only; never written anywhere else.
        Map<String, CustomerProfile> profiles = customers.profiles(users);
        List<Statement> statements = new ArrayList<>();
        for (String id : invoiceIds) {
            Head h = heads.get(id);
            if (h == null) {
                continue;
            }
            statements.add(new Statement(h.invoiceId(), h.userId(), period, h.kind(), h.status(), h.currency(), h.total(), h.created(),
                    h.customer(), lines.getOrDefault(id, List.of()), usage.getOrDefault(h.userId(), List.of()),
                    daily.getOrDefault(h.userId(), List.of()), billTo(profiles.get(h.userId()))));
        }
        return statements;
    }

    private static Statement.BillTo billTo(CustomerProfile profile) {
        return profile == null ? null : new Statement.BillTo(profile.name(), profile.address(), profile.country(), profile.vatId());
    }
}
