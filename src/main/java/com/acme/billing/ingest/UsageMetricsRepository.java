package com.acme.billing.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The seed's {@code usage_metrics}: one row per user, metric and month. Rows are set to the totals
 * computed from the event store, never incremented, so redoing a roll-up changes nothing.
 */
@Repository
public class UsageMetricsRepository {

    private final JdbcTemplate jdbc;

    private final boolean postgres;

    public UsageMetricsRepository(JdbcTemplate jdbc, @Value("${spring.datasource.url}") String url) {
        this.jdbc = jdbc;
        this.postgres = url.startsWith("jdbc:postgresql:");
    }

    public static String monthYear(int yyyymm) {
        return String.format("%04d-%02d", yyyymm / 100, yyyymm % 100);
    }

    /**
     * Sets these totals, inserting the rows that do not exist yet: one batched upsert in each
     * database's own syntax (H2 MERGE ... KEY, PostgreSQL INSERT ... ON CONFLICT), since 300,000
     * separate UPDATE-then-INSERT round trips took most of a big roll-up.
     */
    public void setTotals(List<EventStore.MonthlyTotal> totals, Instant now) {
        if (totals.isEmpty()) {
            return;
        }
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        List<Object[]> rows = new ArrayList<>(totals.size());
        for (EventStore.MonthlyTotal t : totals) {
            rows.add(new Object[] {t.userId(), t.metric(), t.quantity(), monthYear(t.month()), at});
        }
        jdbc.batchUpdate(postgres ? """
                INSERT INTO usage_metrics (user_id, metric_type, count, month_year, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (user_id, metric_type, month_year) DO UPDATE SET count = EXCLUDED.count, updated_at = EXCLUDED.updated_at
                """ : """
                MERGE INTO usage_metrics (user_id, metric_type, count, month_year, updated_at) KEY (user_id, metric_type, month_year)
                VALUES (?, ?, ?, ?, ?)
                """, rows);
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

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
