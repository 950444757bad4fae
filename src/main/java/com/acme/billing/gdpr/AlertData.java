package com.acme.billing.gdpr;

import com.acme.billing.user.UserId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The user's alerts ({@code alerts}: payment failures, cancellations, refused webhook events, limits). Kept
 * (an operator's record of what happened) under the pseudonym: {@code user_id}, and the id where the
 * message and the dedupe key name it (an invoice id in a message stays, see {@link Pseudonyms#replaceId}).
 */
@Component
@Order(GdprOrder.ALERTS)
class AlertData implements PersonalDataHolder {

    private record Alert(long id, String message, String dedupeKey) {
    }

    private final JdbcClient jdbc;

    AlertData(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String kind() {
        return "alerts";
    }

    @Override
    public long count(UserId user) {
        return jdbc.sql("SELECT COUNT(*) FROM alerts WHERE user_id = ?").param(user.value()).query(Long.class).single();
    }

    @Override
    public Optional<Object> export(UserId user) {
        List<Map<String, Object>> alerts = jdbc.sql("SELECT id, type, invoice_id, at, message, source, metric, period FROM alerts WHERE user_id = ? ORDER BY at, id")
                .param(user.value())
                .query((rs, n) -> Rows.map("id", rs.getLong(1), "type", rs.getString(2), "invoice_id", rs.getString(3), "at", Rows.instant(rs, "at"),
                        "message", rs.getString(5), "source", rs.getString(6), "metric", rs.getString(7), "period", rs.getString(8)))
                .list();
        return alerts.isEmpty() ? Optional.empty() : Optional.of(alerts);
    }

    @Override
    public Erased erase(UserId user, UserId pseudonym) {
        List<Alert> alerts = jdbc.sql("SELECT id, message, dedupe_key FROM alerts WHERE user_id = ?").param(user.value())
                .query((rs, n) -> new Alert(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
        for (Alert a : alerts) {
            jdbc.sql("UPDATE alerts SET user_id = ?, message = ?, dedupe_key = ? WHERE id = ?")
                    .params(pseudonym.value(), Pseudonyms.replaceId(a.message(), user, pseudonym), Pseudonyms.replaceId(a.dedupeKey(), user, pseudonym),
                            a.id())
                    .update();
        }
        return new Erased(0, alerts.size());
    }
}
