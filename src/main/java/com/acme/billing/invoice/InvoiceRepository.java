package com.acme.billing.invoice;

import com.acme.billing.money.Money;
import com.acme.billing.platform.RangedDelete;
import com.acme.billing.rating.LineKey;
import com.acme.billing.rating.RatedLine;
import com.acme.billing.rating.UsageSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Invoices, their lines, usage summaries and the state of periods. Finalized rows are never updated or deleted. */
@Repository
public class InvoiceRepository {

    public record PeriodState(String period, String status, Integer catalogVersion) {
        public boolean finalized() {
            return "finalized".equals(status);
        }
    }

    public record Totals(long invoices, long lines, BigDecimal total) {
    }

    /** Rows per JDBC batch; a chunk of users is written in a few round trips. */
    private static final int BATCH = 1_000;

    private final JdbcTemplate jdbc;
    private final RangedDelete rangedDelete;

    public InvoiceRepository(JdbcTemplate jdbc, RangedDelete rangedDelete) {
        this.jdbc = jdbc;
        this.rangedDelete = rangedDelete;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public Optional<PeriodState> period(String period) {
        return jdbc.query("SELECT period, status, catalog_version FROM billing_periods WHERE period = ?",
                (rs, n) -> new PeriodState(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3, Integer.class)), period)
                .stream().findFirst();
    }

    /** Records that the period's drafts are rated with this catalog version (open periods only). */
    public void markRated(String period, int catalogVersion) {
        int updated = jdbc.update("UPDATE billing_periods SET catalog_version = ? WHERE period = ? AND status = 'open'", catalogVersion, period);
        if (updated == 0 && period(period).isEmpty()) {
            jdbc.update("INSERT INTO billing_periods (period, status, catalog_version) VALUES (?, 'open', ?)", period, catalogVersion);
        }
    }

    /** What {@link #discardDrafts} removed. */
    public record Discarded(long invoices, long lines, long usageRows) {
    }

    /**
     * Removes the period's drafts (original or adjustment) with their lines, and, while the period is open,
     * its usage summaries: the first step of every close, so that rating finds nothing to replace. A few statements per range
     * of users ({@link RangedDelete}), each range committed on its own, instead of three per user inside the rating chunks: a
     * re-close of 100,000 users spent half its time in those per-user deletes (docs/benchmarks.md). A kill between two ranges
     * leaves drafts of the later users, which the restart of the step removes; finalized invoices and their summaries are
     * untouched.
     */
    public Discarded discardDrafts(String period, boolean finalized) {
        // EXISTS by the invoice's primary key, one look-up per line: written as IN (drafts of the period), PostgreSQL
        // without fresh statistics (right after the close that wrote them) planned a loop that scanned all the
        // period's lines for every invoice, minutes for 81,010 invoices.
        List<String> statements = new ArrayList<>(List.of(
                "DELETE FROM invoice_lines WHERE period = ? AND " + RangedDelete.USERS + " AND EXISTS "
                        + "(SELECT 1 FROM invoices i WHERE i.invoice_id = invoice_lines.invoice_id AND i.status = 'draft')",
                "DELETE FROM invoices WHERE period = ? AND " + RangedDelete.USERS + " AND status = 'draft'"));
        if (!finalized) {
            statements.add("DELETE FROM usage_summaries WHERE period = ? AND " + RangedDelete.USERS);
        }
        List<Long> deleted = rangedDelete.delete("discarding the drafts of " + period,
                "SELECT user_id FROM invoices WHERE period = ? AND status = 'draft' ORDER BY user_id", period, statements);
        return new Discarded(deleted.get(1), deleted.get(0), finalized ? 0 : deleted.get(2));
    }

    /**
     * Replaces the drafts of these users (original or adjustment) by the plans; finalized invoices are untouched.
     * Usage summaries are written only for original drafts: once a period is finalized its summaries show what
     * was billed, and a later close (adjustments) leaves them as they are. After {@link #discardDrafts} the
     * per-user deletes find nothing and cost index look-ups only; they stay so that rating a user again (a
     * restart whose bookmark GDPR erase emptied, two workers on one partition) replaces instead of failing.
     */
    public void replaceDrafts(String period, List<InvoicePlan> plans, int catalogVersion, String currency, Instant now) {
        jdbc.batchUpdate("DELETE FROM invoice_lines WHERE invoice_id IN (SELECT invoice_id FROM invoices WHERE period = ? AND user_id = ? "
                + "AND status = 'draft')", plans, BATCH, (ps, plan) -> {
                    ps.setString(1, period);
                    ps.setString(2, plan.userId());
                });
        jdbc.batchUpdate("DELETE FROM invoices WHERE period = ? AND user_id = ? AND status = 'draft'", plans, BATCH, (ps, plan) -> {
            ps.setString(1, period);
            ps.setString(2, plan.userId());
        });
        List<InvoicePlan> originals = plans.stream().filter(plan -> !plan.adjustment()).toList();
        jdbc.batchUpdate("DELETE FROM usage_summaries WHERE period = ? AND user_id = ?", originals, BATCH, (ps, plan) -> {
            ps.setString(1, period);
            ps.setString(2, plan.userId());
        });
        List<InvoicePlan> invoices = plans.stream().filter(plan -> !plan.lines().isEmpty()).toList();
        OffsetDateTime created = utc(now);
        jdbc.batchUpdate("INSERT INTO invoices (invoice_id, user_id, period, kind, adjustment_no, status, catalog_version, currency, total, "
                + "line_count, created_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?)", invoices, BATCH, (ps, plan) -> {
                    ps.setString(1, plan.invoiceId());
                    ps.setString(2, plan.userId());
                    ps.setString(3, period);
                    ps.setString(4, plan.adjustment() ? "adjustment" : "original");
                    ps.setInt(5, plan.adjustmentNo());
                    ps.setInt(6, catalogVersion);
                    ps.setString(7, currency);
                    ps.setBigDecimal(8, plan.total().amount());
                    ps.setInt(9, plan.lines().size());
                    ps.setObject(10, created);
                });
        List<InvoiceLine> lines = invoices.stream().flatMap(plan -> plan.lines().stream()).toList();
        jdbc.batchUpdate("INSERT INTO invoice_lines (line_id, invoice_id, user_id, period, line_type, line_key, tier, metric, description, "
                + "quantity, unit_price, amount, currency, period_start, period_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                lines, BATCH, (ps, line) -> {
                    RatedLine rated = line.line();
                    ps.setString(1, line.lineId());
                    ps.setString(2, line.invoiceId());
                    ps.setString(3, line.userId());
                    ps.setString(4, period);
                    ps.setString(5, line.type().wire());
                    ps.setString(6, line.key().stored());
                    ps.setString(7, rated.tier());
                    ps.setString(8, rated.metric());
                    ps.setString(9, rated.description());
                    ps.setBigDecimal(10, line.quantity());
                    ps.setBigDecimal(11, rated.unitPrice());
                    ps.setBigDecimal(12, line.amount());
                    ps.setString(13, currency);
                    ps.setObject(14, utc(rated.start()));
                    ps.setObject(15, utc(rated.end()));
                });
        List<UserUsage> usage = originals.stream().flatMap(plan -> plan.usage().stream().map(u -> new UserUsage(plan.userId(), u))).toList();
        jdbc.batchUpdate("INSERT INTO usage_summaries (period, user_id, metric, tier, quantity, included, overage_quantity, limit_breached) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", usage, BATCH, (ps, row) -> {
                    UsageSummary u = row.usage();
                    ps.setString(1, period);
                    ps.setString(2, row.userId());
                    ps.setString(3, u.metric());
                    ps.setString(4, u.tier());
                    ps.setLong(5, u.quantity());
                    ps.setLong(6, u.included());
                    ps.setLong(7, u.overageQuantity());
                    ps.setBoolean(8, u.limitBreached());
                });
    }

    /** A usage summary row and the user it belongs to. */
    private record UserUsage(String userId, UsageSummary usage) {
    }

    /**
     * What the finalized invoices of each of these users billed, per line key (in line id order,
     * originals first). One query for the whole chunk of users.
     */
    public Map<String, Map<LineKey, BilledLine>> billed(String period, List<String> userIds) {
        Map<String, Map<LineKey, BilledLine>> billed = new HashMap<>();
        if (userIds.isEmpty()) {
            return billed;
        }
        List<Object> params = new ArrayList<>(userIds.size() + 1);
        params.add(period);
        params.addAll(userIds);
        jdbc.query("SELECT i.user_id, l.line_key, l.amount, l.quantity, l.line_type, l.unit_price, l.description, l.currency "
                + "FROM invoice_lines l JOIN invoices i ON i.invoice_id = l.invoice_id "
                + "WHERE i.period = ? AND i.status = 'finalized' AND i.user_id IN (" + placeholders(userIds.size()) + ") "
                + "ORDER BY i.user_id, CASE WHEN l.line_type = 'adjustment' THEN 1 ELSE 0 END, l.line_id", rs -> {
                    LineKey key = LineKey.parse(rs.getString(2));
                    BilledLine line = BilledLine.stored(key, RatedLine.LineType.ofWire(rs.getString(5)),
                            Money.of(rs.getBigDecimal(3), java.util.Currency.getInstance(rs.getString(8))), rs.getBigDecimal(4),
                            rs.getBigDecimal(6), rs.getString(7));
                    billed.computeIfAbsent(rs.getString(1), u -> new java.util.LinkedHashMap<>()).merge(key, line, BilledLine::plus);
                }, params.toArray());
        return billed;
    }

    /** The number the next adjustment invoice of each user takes: one more than the finalized ones (one query per chunk). */
    public Map<String, Integer> nextAdjustmentNo(String period, List<String> userIds) {
        Map<String, Integer> next = new HashMap<>();
        for (String user : userIds) {
            next.put(user, 1);
        }
        if (userIds.isEmpty()) {
            return next;
        }
        List<Object> params = new ArrayList<>(userIds.size() + 1);
        params.add(period);
        params.addAll(userIds);
        jdbc.query("SELECT user_id, MAX(adjustment_no) FROM invoices WHERE period = ? AND status = 'finalized' AND user_id IN ("
                + placeholders(userIds.size()) + ") GROUP BY user_id", rs -> {
                    next.put(rs.getString(1), rs.getInt(2) + 1);
                }, params.toArray());
        return next;
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    /** Draft invoices of the period (originals before finalize, adjustments after). */
    public long draftCount(String period) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM invoices WHERE period = ? AND status = 'draft'", Long.class, period);
    }

    /** Freezes the period's drafts; returns how many invoices were finalized. */
    public int finalizeDrafts(String period, int catalogVersion, Instant now) {
        int invoices = jdbc.update("UPDATE invoices SET status = 'finalized', finalized_at = ? WHERE period = ? AND status = 'draft'",
                utc(now), period);
        jdbc.update("UPDATE billing_periods SET status = 'finalized', catalog_version = ?, finalized_at = COALESCE(finalized_at, ?) "
                + "WHERE period = ?", catalogVersion, utc(now), period);
        return invoices;
    }

    /** Users in the period's rating inputs (for progress). */
    public long ratingUsers(String period) {
        return jdbc.queryForObject("SELECT COUNT(DISTINCT user_id) FROM rating_segments WHERE period = ?", Long.class, period);
    }

    public Totals totals(String period) {
        return jdbc.queryForObject("SELECT COUNT(*), COALESCE(SUM(line_count), 0), COALESCE(SUM(total), 0) FROM invoices WHERE period = ?",
                (rs, n) -> new Totals(rs.getLong(1), rs.getLong(2), rs.getBigDecimal(3)), period);
    }
}
