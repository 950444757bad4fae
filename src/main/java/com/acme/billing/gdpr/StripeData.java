package com.acme.billing.gdpr;

import com.acme.billing.user.UserId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Stripe's side of the kept invoices: the user's Stripe customer ({@code stripe_customers}), what was pushed
 * for each line ({@code stripe_pushes}) and unanswered customer creations ({@code stripe_customer_attempts}).
 * Kept under the pseudonym: the pushed items are part of the kept invoices, and a later adjustment goes to
 * the same customer. The customer record at Stripe (name, e-mail, cards) is Stripe's: erasing it there is
 * the operator's step (docs/gdpr.md); the export names the customer id.
 */
@Component
@Order(GdprOrder.STRIPE)
class StripeData implements PersonalDataHolder {

    static final List<String> KEPT = List.of("stripe_customers", "stripe_pushes", "stripe_customer_attempts");

    private final JdbcClient jdbc;

    StripeData(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String kind() {
        return "stripe";
    }

    @Override
    public long count(UserId user) {
        long rows = 0;
        for (String table : KEPT) {
            rows += jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE user_id = ?").param(user.value()).query(Long.class).single();
        }
        return rows;
    }

    @Override
    public Optional<Object> export(UserId user) {
        List<Map<String, Object>> customer = jdbc.sql("SELECT customer_id, source, recorded_at FROM stripe_customers WHERE user_id = ?")
                .param(user.value())
                .query((rs, n) -> Rows.map("customer_id", rs.getString(1), "source", rs.getString(2), "recorded_at", Rows.instant(rs, "recorded_at")))
                .list();
        List<Map<String, Object>> pushes = jdbc.sql("SELECT line_id, invoice_id, period, status, stripe_item_id, error, attempts, updated_at "
                + "FROM stripe_pushes WHERE user_id = ? ORDER BY period, line_id").param(user.value())
                .query((rs, n) -> Rows.map("line_id", rs.getString(1), "invoice_id", rs.getString(2), "period", rs.getString(3),
                        "status", rs.getString(4), "stripe_item_id", rs.getString(5), "error", rs.getString(6), "attempts", rs.getInt(7),
                        "updated_at", Rows.instant(rs, "updated_at")))
                .list();
        long attempts = jdbc.sql("SELECT COUNT(*) FROM stripe_customer_attempts WHERE user_id = ?").param(user.value()).query(Long.class).single();
        if (customer.isEmpty() && pushes.isEmpty() && attempts == 0) {
            return Optional.empty();
        }
        return Optional.of(Rows.map("customer", customer.isEmpty() ? null : customer.get(0), "pushes", pushes,
                "customer_creation_unanswered", attempts > 0));
    }

    @Override
    public Erased erase(UserId user, UserId pseudonym) {
        long renamed = 0;
        for (String table : KEPT) {
            renamed += jdbc.sql("UPDATE " + table + " SET user_id = ? WHERE user_id = ?").params(pseudonym.value(), user.value()).update();
        }
        return new Erased(0, renamed);
    }
}
