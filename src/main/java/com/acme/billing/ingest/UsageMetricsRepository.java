package com.acme.billing.ingest;

import com.acme.billing.eventstore.EventStore;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The seed's {@code usage_metrics}: one row per user, metric and month. Rows are set to the totals
 * computed from the event store, never incremented, so redoing a roll-up changes nothing.
 */
@Repository
public class UsageMetricsRepository {

    private final JdbcTemplate jdbc;

    public UsageMetricsRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public static String monthYear(int yyyymm) {
        return String.format("%04d-%02d", yyyymm / 100, yyyymm % 100);
    }

    /**
     * Writes changed totals: an UPDATE batch for the rows that exist and an INSERT batch for the new
     * ones (the caller knows which from {@link #counts}; the ingest job is the table's only writer).
     * H2's MERGE took 19 s for 300,000 rows where the two plain batches take a few.
     */
    public void setTotals(List<EventStore.MonthlyTotal> totals, Map<String, Long> existing, Instant now) {
        if (totals.isEmpty()) {
            return;
        }
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        List<EventStore.MonthlyTotal> updates = new ArrayList<>();
        List<EventStore.MonthlyTotal> inserts = new ArrayList<>();
        for (EventStore.MonthlyTotal t : totals) {
            (existing.containsKey(key(t.userId(), t.metric(), t.month())) ? updates : inserts).add(t);
        }
        if (!updates.isEmpty()) {
            jdbc.batchUpdate("UPDATE usage_metrics SET count = ?, updated_at = ? WHERE user_id = ? AND metric_type = ? AND month_year = ?",
                    updates, updates.size(), (ps, t) -> {
                        ps.setLong(1, t.quantity());
                        ps.setObject(2, at);
                        ps.setString(3, t.userId());
                        ps.setString(4, t.metric());
                        ps.setString(5, monthYear(t.month()));
                    });
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO usage_metrics (user_id, metric_type, count, month_year, updated_at) VALUES (?, ?, ?, ?, ?)",
                    inserts, inserts.size(), (ps, t) -> {
                        ps.setString(1, t.userId());
                        ps.setString(2, t.metric());
                        ps.setLong(3, t.quantity());
                        ps.setString(4, monthYear(t.month()));
                        ps.setObject(5, at);
                    });
        }
    }

    /** What {@link #setTotalsComputedHere} found: the month's totals, and how many of them changed a row. */
    public record SetTotals(long totals, long changed) {
    }

    /**
     * Sets one month's rows to the totals that {@code totalsQuery} ({@code user_id, metric, total}) computes in this same
     * database: PostgreSQL, where the event store lives beside this table. The totals are aggregated into a temporary
     * table (a {@code CREATE TABLE AS}, which PostgreSQL runs in parallel, unlike an {@code INSERT ... SELECT}), then the
     * rows whose count differs are updated and the missing ones inserted, two statements for the whole month instead of
     * 300,000 totals read out and written back one by one. Runs in the caller's transaction, which must be one.
     */
    public SetTotals setTotalsComputedHere(int month, String totalsQuery, Instant now) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        String monthYear = monthYear(month);
        jdbc.execute("SET LOCAL work_mem = '256MB'");
        jdbc.execute("CREATE TEMP TABLE rolled_up_totals ON COMMIT DROP AS " + totalsQuery);
        jdbc.execute("ANALYZE rolled_up_totals");
        long totals = jdbc.queryForObject("SELECT COUNT(*) FROM rolled_up_totals", Long.class);
        int updated = jdbc.update("""
                UPDATE usage_metrics m SET count = t.total, updated_at = ?
                FROM rolled_up_totals t
                WHERE m.month_year = ? AND m.user_id = t.user_id AND m.metric_type = t.metric AND m.count <> t.total""", at, monthYear);
        int inserted = jdbc.update("""
                INSERT INTO usage_metrics (user_id, metric_type, count, month_year, updated_at)
                SELECT t.user_id, t.metric, t.total, ?, ? FROM rolled_up_totals t
                WHERE NOT EXISTS (SELECT 1 FROM usage_metrics m WHERE m.month_year = ? AND m.user_id = t.user_id AND m.metric_type = t.metric)
                ORDER BY t.user_id, t.metric""", monthYear, at, monthYear);
        jdbc.execute("DROP TABLE rolled_up_totals");
        return new SetTotals(totals, updated + inserted);
    }

    public static String key(String userId, String metric, int yyyymm) {
        return userId + '\u0000' + metric + '\u0000' + yyyymm;
    }

    /** The stored counts of these months, by {@link #key}. */
    public Map<String, Long> counts(List<Integer> months) {
        Map<String, Long> counts = new HashMap<>();
        for (int month : months) {
            jdbc.query("SELECT user_id, metric_type, count FROM usage_metrics WHERE month_year = ?", rs -> {
                counts.put(key(rs.getString(1), rs.getString(2), month), rs.getLong(3));
            }, monthYear(month));
        }
        return counts;
    }

    public record Row(String userId, String metric, long count) {
    }

    public List<Row> month(String monthYear, String userId) {
        if (userId == null) {
            return jdbc.query("SELECT user_id, metric_type, count FROM usage_metrics WHERE month_year = ? ORDER BY user_id, metric_type",
                    (rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3)), monthYear);
        }
        return jdbc.query("SELECT user_id, metric_type, count FROM usage_metrics WHERE month_year = ? AND user_id = ? ORDER BY metric_type",
                (rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3)), monthYear, userId);
    }

}
