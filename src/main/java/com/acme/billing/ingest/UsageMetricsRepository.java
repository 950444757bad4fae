package com.acme.billing.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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

    /** Sets these totals: update where the row exists, insert the rest (portable H2 / PostgreSQL). */
    public void setTotals(List<EventStore.MonthlyTotal> totals, Instant now) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        List<Object[]> updates = new ArrayList<>(totals.size());
        for (EventStore.MonthlyTotal t : totals) {
            updates.add(new Object[] {t.quantity(), at, t.userId(), t.metric(), monthYear(t.month())});
        }
        int[] updated = jdbc.batchUpdate("UPDATE usage_metrics SET count = ?, updated_at = ? WHERE user_id = ? AND metric_type = ? AND month_year = ?",
                updates);
        List<Object[]> inserts = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
                EventStore.MonthlyTotal t = totals.get(i);
                inserts.add(new Object[] {t.userId(), t.metric(), t.quantity(), monthYear(t.month()), at});
            }
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO usage_metrics (user_id, metric_type, count, month_year, updated_at) VALUES (?, ?, ?, ?, ?)", inserts);
        }
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
