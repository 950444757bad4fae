package com.acme.billing.gdpr;

import com.acme.billing.user.UserId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Usage in the billing database. Kept under the pseudonym (aggregates that the kept invoices were billed
 * from): the monthly roll-up {@code usage_metrics}, the period's usage against limits
 * {@code usage_summaries}, and close-period's scratch rows {@code rating_segments} / {@code rating_usage}
 * (a restart of an interrupted close reads them). Deleted: events tracked online ({@code tracked_events},
 * raw events; {@code gdpr} moves the unmoved ones into the event store first, where they are summed with the
 * others) with the sums of the unmoved ones ({@code tracked_usage}), and the reports' per-day copy {@code report_daily_usage}, which the reports rebuild from the
 * event store. The raw events of the event store are {@link GdprService}'s part.
 */
@Component
@Order(GdprOrder.USAGE)
class UsageData implements PersonalDataHolder {

    static final List<String> KEPT = List.of("usage_metrics", "usage_summaries", "rating_segments", "rating_usage");
    static final List<String> DELETED = List.of("tracked_events", "tracked_usage", "report_daily_usage");

    private final JdbcClient jdbc;

    UsageData(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String kind() {
        return "usage";
    }

    @Override
    public long count(UserId user) {
        long rows = 0;
        for (String table : GdprTables.concat(KEPT, DELETED)) {
            rows += jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE user_id = ?").param(user.value()).query(Long.class).single();
        }
        return rows;
    }

    @Override
    public Optional<Object> export(UserId user) {
        List<Map<String, Object>> byMonth = jdbc.sql("SELECT month_year, metric_type, count FROM usage_metrics WHERE user_id = ? "
                + "ORDER BY month_year, metric_type").param(user.value())
                .query((rs, n) -> Rows.map("month", rs.getString(1), "metric", rs.getString(2), "quantity", rs.getLong(3))).list();
        List<Map<String, Object>> againstLimits = jdbc.sql("SELECT period, metric, tier, quantity, included, overage_quantity, limit_breached "
                + "FROM usage_summaries WHERE user_id = ? ORDER BY period, metric, tier").param(user.value())
                .query((rs, n) -> Rows.map("period", rs.getString(1), "metric", rs.getString(2), "tier", rs.getString(3),
                        "quantity", rs.getLong(4), "included", rs.getLong(5), "overage_quantity", rs.getLong(6),
                        "limit_breached", rs.getBoolean(7))).list();
        List<Map<String, Object>> tracked = jdbc.sql("SELECT event_id, ts_us, metric, quantity, tracked_at, moved_sha256 FROM tracked_events "
                + "WHERE user_id = ? ORDER BY seq").param(user.value())
                .query((rs, n) -> Rows.map("event_id", rs.getString(1), "timestamp", java.time.Instant.EPOCH.plus(rs.getLong(2),
                        java.time.temporal.ChronoUnit.MICROS).toString(), "metric", rs.getString(3), "quantity", rs.getLong(4),
                        "tracked_at", Rows.instant(rs, "tracked_at"), "moved_to_event_store", rs.getString(6) != null)).list();
        if (byMonth.isEmpty() && againstLimits.isEmpty() && tracked.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Rows.map("by_month", byMonth, "against_limits", againstLimits, "tracked_online", tracked));
    }

    @Override
    public Erased erase(UserId user, UserId pseudonym) {
        long deleted = 0;
        for (String table : DELETED) {
            deleted += delete(table, user);
        }
        // Once more: a track of the user that serve committed after the first delete of the tracked events, and before
        // the delete of their sums (which waited for that track's lock on its row of tracked_usage, then took the track's
        // quantity with it), would otherwise leave events with no sum, which the next move could not take out.
        deleted += delete("tracked_events", user);
        long renamed = 0;
        for (String table : KEPT) {
            renamed += jdbc.sql("UPDATE " + table + " SET user_id = ? WHERE user_id = ?").params(pseudonym.value(), user.value()).update();
        }
        return new Erased(deleted, renamed);
    }

    private long delete(String table, UserId user) {
        return jdbc.sql("DELETE FROM " + table + " WHERE user_id = ?").param(user.value()).update();
    }
}
