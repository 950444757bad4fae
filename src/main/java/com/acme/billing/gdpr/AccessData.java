package com.acme.billing.gdpr;

import com.acme.billing.user.UserId;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who may act for the user: customer API keys bound to the user ({@code api_keys}) and console accounts
 * ({@code console_users}). Console accounts are deleted (the e-mail address and the password's hash are
 * the person's, and the account serves nobody after an erase); API keys are revoked and kept under the
 * pseudonym (only a hash of the key is stored; the row records that a key existed and was revoked), the
 * key's name losing the user id where it named it. No key's hash or password hash is ever exported.
 */
@Component
@Order(GdprOrder.ACCESS)
class AccessData implements PersonalDataHolder {

    private record Key(long id, String name) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    AccessData(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return "access";
    }

    @Override
    public long count(UserId user) {
        return jdbc.sql("SELECT (SELECT COUNT(*) FROM api_keys WHERE user_id = :u) + (SELECT COUNT(*) FROM console_users WHERE user_id = :u)")
                .param("u", user.value()).query(Long.class).single();
    }

    @Override
    public Optional<Object> export(UserId user) {
        List<Map<String, Object>> keys = jdbc.sql("SELECT key_id, role, name, created_at, revoked_at FROM api_keys WHERE user_id = ? ORDER BY key_id")
                .param(user.value())
                .query((rs, n) -> Rows.map("id", rs.getLong(1), "role", rs.getString(2), "name", rs.getString(3),
                        "created_at", Rows.instant(rs, "created_at"), "revoked_at", Rows.instant(rs, "revoked_at")))
                .list();
        List<Map<String, Object>> accounts = jdbc.sql("SELECT email, role, created_at, locked_until FROM console_users WHERE user_id = ? "
                + "ORDER BY console_user_id").param(user.value())
                .query((rs, n) -> Rows.map("email", rs.getString(1), "role", rs.getString(2), "created_at", Rows.instant(rs, "created_at"),
                        "locked_until", Rows.instant(rs, "locked_until")))
                .list();
        if (keys.isEmpty() && accounts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Rows.map("api_keys", keys, "console_users", accounts));
    }

    @Override
    public Erased erase(UserId user, UserId pseudonym) {
        long deleted = jdbc.sql("DELETE FROM console_users WHERE user_id = ?").param(user.value()).update();
        List<Key> keys = jdbc.sql("SELECT key_id, name FROM api_keys WHERE user_id = ?").param(user.value())
                .query((rs, n) -> new Key(rs.getLong(1), rs.getString(2))).list();
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        for (Key key : keys) {
            jdbc.sql("UPDATE api_keys SET user_id = ?, name = ?, revoked_at = COALESCE(revoked_at, ?) WHERE key_id = ?")
                    .params(pseudonym.value(), Pseudonyms.replaceId(key.name(), user, pseudonym), now, key.id()).update();
        }
        // the audit log names users by reference only (audit_user_refs): the reference now leads to the pseudonym
        jdbc.sql("UPDATE audit_user_refs SET user_id = ? WHERE user_id = ?").params(pseudonym.value(), user.value()).update();
        return new Erased(deleted, keys.size());
    }
}
