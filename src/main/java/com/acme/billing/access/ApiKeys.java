package com.acme.billing.access;

import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.user.UserId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The API keys of SPEC 8: made, listed and revoked by {@code jobs/billing api-key}, checked by {@code serve}. */
@Service
public class ApiKeys {

    /** A key as stored: never its secret. {@code userId} is set for customer keys only. */
    public record ApiKey(long id, Role role, String userId, String name, Instant createdAt, Instant revokedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    /** A new key with its secret, shown once. */
    public record Created(ApiKey key, String secret) {
    }

    private final JdbcClient jdbc;

    public ApiKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @throws InputRefusedException when a customer key names no user, or another role names one
     */
    @Transactional
    public Created create(Role role, UserId user, String name, Instant now) {
        if (role == Role.CUSTOMER && user == null) {
            throw new InputRefusedException("a customer key is bound to one user: give --user ID");
        }
        if (role != Role.CUSTOMER && user != null) {
            throw new InputRefusedException("--user binds customer keys only; a " + role.id() + " key acts for every user");
        }
        if (name != null && name.length() > 200) {
            throw new InputRefusedException("--name: at most 200 characters");
        }
        String secret = ApiKeySecret.generate();
        String userId = user == null ? null : user.value();
        jdbc.sql("INSERT INTO api_keys (key_hash, role, user_id, name, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(ApiKeySecret.hash(secret), role.id(), userId, name, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .update();
        long id = jdbc.sql("SELECT key_id FROM api_keys WHERE key_hash = ?").param(ApiKeySecret.hash(secret)).query(Long.class).single();
        return new Created(new ApiKey(id, role, userId, name, now, null), secret);
    }

    public List<ApiKey> list() {
        return jdbc.sql("SELECT key_id, role, user_id, name, created_at, revoked_at FROM api_keys ORDER BY key_id")
                .query((rs, n) -> new ApiKey(rs.getLong(1), Role.of(rs.getString(2)).orElseThrow(), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant(),
                        rs.getObject(6, OffsetDateTime.class) == null ? null : rs.getObject(6, OffsetDateTime.class).toInstant()))
                .list();
    }

    public Optional<ApiKey> find(long id) {
        return list().stream().filter(k -> k.id() == id).findFirst();
    }

    /**
     * Revokes a key from {@code now} on; a key revoked already keeps its first revocation instant.
     *
     * @throws InputRefusedException when there is no key with this id
     */
    @Transactional
    public ApiKey revoke(long id, Instant now) {
        int changed = jdbc.sql("UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL")
                .params(OffsetDateTime.ofInstant(now, ZoneOffset.UTC), id).update();
        ApiKey key = find(id).orElseThrow(() -> new InputRefusedException("no API key " + id + " (api-key list shows them)"));
        if (changed == 0 && !key.revoked()) {
            throw new IllegalStateException("API key " + id + " was not revoked");
        }
        return key;
    }

    /** The key whose secret this is, if it exists and is not revoked. */
    public Optional<ApiKey> authenticate(String secret) {
        if (secret == null || !secret.startsWith(ApiKeySecret.PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        String hash = ApiKeySecret.hash(secret);
        record Row(String hash, ApiKey key) {
        }
        return jdbc.sql("SELECT key_hash, key_id, role, user_id, name, created_at FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL")
                .param(hash)
                .query((rs, n) -> new Row(rs.getString(1), new ApiKey(rs.getLong(2), Role.of(rs.getString(3)).orElseThrow(), rs.getString(4),
                        rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant(), null)))
                .optional()
                .filter(row -> ApiKeySecret.sameHash(row.hash(), hash))
                .map(Row::key);
    }
}
