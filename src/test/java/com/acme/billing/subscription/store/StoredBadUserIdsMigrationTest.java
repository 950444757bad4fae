package com.acme.billing.subscription.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database from before user ids were checked at the webhook door may hold a hostile id recorded by a
 * signed Stripe event. Migration V8 moves such rows aside, so that close-period rates everyone else.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class StoredBadUserIdsMigrationTest {

    @Parameter
    TestDatabase.Kind kind;

    @TempDir
    Path tmp;

    TestDatabase db;
    Cli cli;

    @BeforeEach
    void setUp() {
        db = TestDatabase.empty(kind, tmp.resolve("home")); // migrated step by step by the test
        cli = db.cli().with("BILLING_NOW", "2026-11-04T00:00:00Z");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aHostileIdStoredBeforeTheCheckIsMovedAsideAndTheOthersAreBilled() {
        db.migrateTo("7");
        var jdbc = db.jdbc();
        for (String user : List.of("alice", "../../x")) {
            jdbc.update("INSERT INTO subscription_changes (user_id, effective_at, action, tier, source, recorded_at) "
                    + "VALUES (?, TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00', 'subscribe', 'starter', 'webhook evt_1', "
                    + "TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00')", user);
            jdbc.update("INSERT INTO subscriptions (user_id, tier, status, created_at, updated_at) VALUES (?, 'starter', 'active', "
                    + "TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00', TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00')", user);
        }
        jdbc.update("INSERT INTO stripe_customers (user_id, customer_id, source, recorded_at) VALUES ('a,b\"c', 'cus_X', 'webhook', "
                + "TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00')");

        cli.ok("import-catalog", "sample-data/catalog.yaml"); // starts the application: Flyway runs V8

        assertThat(jdbc.queryForList("SELECT user_id FROM subscription_changes", String.class)).containsExactly("alice");
        assertThat(jdbc.queryForList("SELECT user_id FROM subscriptions", String.class)).containsExactly("alice");
        assertThat(jdbc.queryForList("SELECT user_id FROM subscription_changes_refused", String.class)).containsExactly("../../x");
        assertThat(jdbc.queryForList("SELECT user_id FROM stripe_customers_refused", String.class)).containsExactly("a,b\"c");
        assertThat(jdbc.queryForList("SELECT COUNT(*) FROM stripe_customers", Long.class)).containsExactly(0L);
        // Starter is 29.00 a month: alice's October is billed, nobody else's failure stops it.
        assertThat(cli.ok("close-period", "--period", "2026-10", "--json").json()).containsEntry("invoices", 1).containsEntry("total", "29.00");
    }
}
