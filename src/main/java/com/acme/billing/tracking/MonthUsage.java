package com.acme.billing.tracking;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.user.UserId;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * A month's usage as SPEC 8 sees it: what the ingest rolled up ({@code usage_metrics}) plus the events tracked online
 * that are not in the event store yet (their sums in {@code tracked_usage}, V29), per user and metric. One rule
 * for the API's current usage of a user and the limit alerts of every user.
 */
final class MonthUsage {

    private MonthUsage() {
    }

    /** Per user, per metric (metrics in name order, so that alerts raise in a stable order); {@code onlyUser} null: every user. */
    static Map<String, Map<String, Long>> byUser(JdbcTemplate jdbc, BillingPeriod period, UserId onlyUser) {
        var start = period.start().atZone(java.time.ZoneOffset.UTC);
        int yyyymm = start.getYear() * 100 + start.getMonthValue();
        String userFilter = onlyUser == null ? "" : " AND user_id = ?";
        Object[] ingested = onlyUser == null ? new Object[] {period.toString()} : new Object[] {period.toString(), onlyUser.value()};
        Object[] tracked = onlyUser == null ? new Object[] {yyyymm} : new Object[] {yyyymm, onlyUser.value()};
        Map<String, Map<String, Long>> used = new HashMap<>();
        RowCallbackHandler add = rs -> {
            used.computeIfAbsent(rs.getString(1), u -> new TreeMap<>()).merge(rs.getString(2), rs.getLong(3), Long::sum);
        };
        // Two queries rather than one UNION ALL: H2 keeps a parsed plain SELECT for the session's next call but parses a
        // UNION again each time, which was a twentieth of a feature check's time (docs/benchmarks.md). The ingested rows
        // first: a move that commits between the two reads has its events counted in the ingested rows or still in the
        // tracked ones, never in neither.
        jdbc.query("SELECT user_id, metric_type, count FROM usage_metrics WHERE month_year = ?" + userFilter, add, ingested);
        jdbc.query("SELECT user_id, metric, quantity FROM tracked_usage WHERE yyyymm = ?" + userFilter, add, tracked);
        return used;
    }

    /** One user's, per metric. */
    static Map<String, Long> of(JdbcTemplate jdbc, BillingPeriod period, UserId user) {
        return byUser(jdbc, period, user).getOrDefault(user.value(), Map.of());
    }
}
