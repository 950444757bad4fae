package com.acme.billing.gdpr;

import com.acme.billing.user.UserId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code subscription_changes} (the history every invoice was rated from) and {@code subscriptions} (the
 * state now): kept under the pseudonym, since re-rating a period must find the same segments.
 */
@Component
@Order(GdprOrder.SUBSCRIPTION)
class SubscriptionData implements PersonalDataHolder {

    private final JdbcClient jdbc;

    SubscriptionData(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String kind() {
        return "subscription";
    }

    @Override
    public long count(UserId user) {
        return jdbc.sql("SELECT (SELECT COUNT(*) FROM subscription_changes WHERE user_id = :u) + (SELECT COUNT(*) FROM subscriptions WHERE user_id = :u)")
                .param("u", user.value()).query(Long.class).single();
    }

    @Override
    public Optional<Object> export(UserId user) {
        List<Map<String, Object>> state = jdbc.sql("SELECT tier, status, stripe_customer_id, trial_ends_at, current_period_start, "
                + "current_period_end, created_at, updated_at FROM subscriptions WHERE user_id = ?").param(user.value())
                .query((rs, n) -> Rows.map("tier", rs.getString("tier"), "status", rs.getString("status"),
                        "stripe_customer_id", rs.getString("stripe_customer_id"), "trial_ends_at", Rows.instant(rs, "trial_ends_at"),
                        "current_period_start", Rows.instant(rs, "current_period_start"), "current_period_end", Rows.instant(rs, "current_period_end"),
                        "created_at", Rows.instant(rs, "created_at"), "updated_at", Rows.instant(rs, "updated_at")))
                .list();
        List<Map<String, Object>> changes = jdbc.sql("SELECT effective_at, action, tier, stripe_customer_id, trial_ends_at, source, source_line, "
                + "recorded_at FROM subscription_changes WHERE user_id = ? ORDER BY effective_at, id").param(user.value())
                .query((rs, n) -> Rows.map("effective_at", Rows.instant(rs, "effective_at"), "action", rs.getString("action"),
                        "tier", rs.getString("tier"), "stripe_customer_id", rs.getString("stripe_customer_id"),
                        "trial_ends_at", Rows.instant(rs, "trial_ends_at"), "source", rs.getString("source"),
                        "source_line", rs.getObject("source_line") == null ? null : rs.getLong("source_line"),
                        "recorded_at", Rows.instant(rs, "recorded_at")))
                .list();
        if (state.isEmpty() && changes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Rows.map("state", state.isEmpty() ? null : state.get(0), "changes", changes));
    }

    @Override
    public Erased erase(UserId user, UserId pseudonym) {
        long renamed = 0;
        for (String table : List.of("subscription_changes", "subscriptions")) {
            renamed += jdbc.sql("UPDATE " + table + " SET user_id = ? WHERE user_id = ?").params(pseudonym.value(), user.value()).update();
        }
        return new Erased(0, renamed);
    }
}
