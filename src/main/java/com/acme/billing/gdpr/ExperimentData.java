package com.acme.billing.gdpr;

import com.acme.billing.user.UserId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Pricing experiments the user was in ({@code experiment_assignments}). Kept under the pseudonym: the
 * recorded variant is what prices the user's periods (the SHA-256 rule applied to the pseudonym would give
 * another), so re-rating after an erase finds the same prices. {@link GdprService} records pending
 * assignments before it renames anything.
 */
@Component
@Order(GdprOrder.EXPERIMENTS)
class ExperimentData implements PersonalDataHolder {

    private final JdbcClient jdbc;

    ExperimentData(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String kind() {
        return "experiments";
    }

    @Override
    public long count(UserId user) {
        return jdbc.sql("SELECT COUNT(*) FROM experiment_assignments WHERE user_id = ?").param(user.value()).query(Long.class).single();
    }

    @Override
    public Optional<Object> export(UserId user) {
        List<Map<String, Object>> rows = jdbc.sql("SELECT experiment_id, variant, exposed_at, recorded_at FROM experiment_assignments "
                + "WHERE user_id = ? ORDER BY experiment_id").param(user.value())
                .query((rs, n) -> Rows.map("experiment_id", rs.getString(1), "variant", rs.getString(2), "exposed_at", Rows.instant(rs, "exposed_at"),
                        "recorded_at", Rows.instant(rs, "recorded_at")))
                .list();
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows);
    }

    @Override
    public Erased erase(UserId user, UserId pseudonym) {
        return new Erased(0, jdbc.sql("UPDATE experiment_assignments SET user_id = ? WHERE user_id = ?").params(pseudonym.value(), user.value()).update());
    }
}
