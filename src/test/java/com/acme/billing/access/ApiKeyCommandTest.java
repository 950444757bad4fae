package com.acme.billing.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.TestDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code api-key create|list|revoke} on a real database: the key is shown once and stored only as its hash. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class ApiKeyCommandTest {

    @TempDir
    Path tmp;

    @Parameter
    TestDatabase.Kind kind;

    TestDatabase db;
    Cli cli;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(kind, tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", "2026-11-04T02:00:00Z");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aKeyIsPrintedOnceStoredAsItsHashListedWithoutItAndRevokedForGood() {
        Map<String, Object> created = cli.ok("api-key", "create", "--role", "customer", "--user", "alice", "--name", "alice's app", "--json").json();
        String key = (String) created.get("key");
        assertThat(key).matches("bk_[A-Za-z0-9_-]{43}");
        assertThat(created).containsEntry("role", "customer").containsEntry("user_id", "alice").containsEntry("name", "alice's app");
        long id = ((Number) created.get("id")).longValue();

        // Nothing stored holds the key: only its SHA-256.
        List<Map<String, Object>> rows = db.jdbc().queryForList("SELECT * FROM api_keys");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).values()).noneMatch(v -> v != null && v.toString().contains(key.substring(3)));
        assertThat(rows.get(0).get("KEY_HASH") != null ? rows.get(0).get("KEY_HASH") : rows.get(0).get("key_hash"))
                .isEqualTo(ApiKeySecret.hash(key));

        Cli.Result listed = cli.ok("api-key", "list", "--json");
        assertThat(listed.out()).doesNotContain(key.substring(3));
        Map<String, Object> listedKey = new java.util.HashMap<>(Map.of("id", (int) id, "role", "customer", "user_id", "alice",
                "name", "alice's app", "created_at", "2026-11-04T02:00:00Z"));
        listedKey.put("revoked_at", null);
        assertThat(listed.json().get("keys")).isEqualTo(List.of(listedKey));

        ApiKeys keys = new ApiKeys(JdbcClient.create(db.jdbc()));
        assertThat(keys.authenticate(key)).map(ApiKeys.ApiKey::userId).contains("alice");
        assertThat(keys.authenticate(key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A"))).isEmpty();
        assertThat(keys.authenticate("Bearer " + key)).isEmpty();

        Map<String, Object> revoked = cli.ok("api-key", "revoke", Long.toString(id), "--json").json();
        assertThat(revoked.get("key")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("revoked_at", "2026-11-04T02:00:00Z");
        assertThat(keys.authenticate(key)).isEmpty();
        // Revoking again keeps the first instant.
        Map<String, Object> again = cli.with("BILLING_NOW", "2026-11-05T00:00:00Z").ok("api-key", "revoke", Long.toString(id), "--json").json();
        assertThat(again.get("key")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("revoked_at", "2026-11-04T02:00:00Z");
    }

    @Test
    void everyRoleGetsItsOwnKeyAndOnlyCustomerKeysNameAUser() {
        for (Role role : List.of(Role.ADMIN, Role.SERVICE, Role.FINANCE, Role.OPERATOR)) {
            assertThat(cli.ok("api-key", "create", "--role", role.id(), "--json").json()).containsEntry("role", role.id())
                    .containsEntry("user_id", null);
        }
        Cli.Result customerWithoutUser = cli.run("api-key", "create", "--role", "customer");
        assertThat(customerWithoutUser.exit()).isEqualTo(2);
        assertThat(customerWithoutUser.err()).contains("a customer key is bound to one user: give --user ID");

        Cli.Result serviceWithUser = cli.run("api-key", "create", "--role", "service", "--user", "alice");
        assertThat(serviceWithUser.exit()).isEqualTo(2);
        assertThat(serviceWithUser.err()).contains("--user binds customer keys only; a service key acts for every user");

        Cli.Result unknownRole = cli.run("api-key", "create", "--role", "root");
        assertThat(unknownRole.exit()).isEqualTo(2);
        assertThat(unknownRole.err()).contains("--role").contains("the roles are admin, service, finance, operator, customer");

        Cli.Result badUser = cli.run("api-key", "create", "--role", "customer", "--user", "al ice");
        assertThat(badUser.exit()).isEqualTo(2);

        Cli.Result unknownKey = cli.run("api-key", "revoke", "99");
        assertThat(unknownKey.exit()).isEqualTo(2);
        assertThat(unknownKey.err()).contains("no API key 99");

        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM api_keys", Long.class)).isEqualTo(4L);
        assertThat(new ApiKeys(JdbcClient.create(db.jdbc())).list()).extracting(ApiKeys.ApiKey::createdAt)
                .containsOnly(Instant.parse("2026-11-04T02:00:00Z"));
    }
}
