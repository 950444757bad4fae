package com.acme.billing.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.Stores;
import com.acme.billing.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Imports, refusals and the operators' commands, through {@code jobs/billing} on a real database. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class CommandsTest {

    @TempDir
    Path tmp;

    TestDatabase db;
    Cli cli;

    /** Every test runs on H2 (with DuckDB) and on PostgreSQL. */
    @Parameter
    TestDatabase.Kind kind;

    TestDatabase.Kind kind() {
        return kind;
    }

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(kind(), tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", "2026-11-04T02:00:00Z");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void anInvalidCatalogIsRefusedWholeAndAValidOneBecomesAVersion() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(Path.of("sample-data/catalog.yaml")).replace("\"0.004\"", "\"-0.004\""));

        Cli.Result refused = cli.run("import-catalog", bad.toString(), "--json");

        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains(bad.toString()).contains("tiers.starter.overage.emails_processed.unit_price: negative price -0.004");
        assertThat(count("catalog_versions")).isZero();
        assertThat(count("feature_access")).isZero();

        assertThat(cli.ok("import-catalog", "sample-data/catalog.yaml", "--json").json()).containsEntry("version", 1).containsEntry("unchanged", false);
        assertThat(cli.ok("import-catalog", "sample-data/catalog.yaml", "--json").json()).containsEntry("version", 1).containsEntry("unchanged", true);
        assertThat(db.jdbc().queryForList("SELECT tier || ':' || feature_name FROM feature_access WHERE tier IN ('free', 'starter') ORDER BY tier, feature_name",
                String.class)).containsExactly("free:inbox_triage", "starter:ai_replies", "starter:inbox_triage", "starter:lead_capture");

        Path cheaper = tmp.resolve("cheaper.yaml");
        Files.writeString(cheaper, Files.readString(Path.of("sample-data/catalog.yaml")).replace("\"29.00\"", "\"25.00\""));
        assertThat(cli.ok("import-catalog", cheaper.toString(), "--json").json()).containsEntry("version", 2);
        assertThat(db.jdbc().queryForList("SELECT catalog_version || ':' || monthly_price FROM tiers WHERE tier = 'starter' ORDER BY catalog_version",
                String.class)).containsExactly("1:29.000000", "2:25.000000");
    }

    @Test
    void subscriptionsAreValidatedLineByLineAndRefusedWhole() throws Exception {
        Path subs = tmp.resolve("subs.csv");
        Files.writeString(subs, """
                user_id,effective_at,action,tier,stripe_customer_id
                u1,2026-10-01T00:00:00Z,subscribe,starter,cus_1
                u2,2026-10-01T00:00:00,subscribe,starter,
                u3,2026-10-01T00:00:00Z,upgrade,pro,
                u4,2026-10-01T00:00:00Z,subscribe,platinum,
                u5,2026-10-01T00:00:00Z,trial,business,
                """);
        assertThat(cli.run("import-subscriptions", subs.toString()).err()).contains("no catalog imported yet");
        cli.ok("import-catalog", "sample-data/catalog.yaml");

        Cli.Result refused = cli.run("import-subscriptions", subs.toString());

        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("subs.csv: 4 bad line(s), nothing imported")
                .contains("line 3: bad effective_at '2026-10-01T00:00:00'")
                .contains("line 4: bad action 'upgrade'")
                .contains("line 5: unknown tier 'platinum'")
                .contains("line 6: tier 'business' has no trial");
        assertThat(count("subscription_changes")).isZero();
        assertThat(count("subscriptions")).isZero();
    }

    @Test
    void theSampleSubscriptionsGiveEachUserTheirStateAtTheClock() throws Exception {
        cli.ok("import-catalog", "sample-data/catalog.yaml");

        Map<String, Object> json = cli.ok("import-subscriptions", "sample-data/subscriptions.csv", "--json").json();

        assertThat(json).containsEntry("lines", 380).containsEntry("recorded", 380).containsEntry("users", 240);
        // user-000004: trial of pro from 2026-10-06T04:00Z; 14 days later, 2026-10-20T04:00Z, it became paid.
        assertThat(state("user-000004")).isEqualTo("pro|active|null|cus_S00004");
        // user-000005: trial of starter 2026-10-11T09:00Z, cancelled 2026-10-16T17:30Z: nothing to pay, canceled.
        assertThat(state("user-000005")).isEqualTo("starter|canceled|null|cus_S00005");
        // user-000009: pro since July, cancelled in October.
        assertThat(state("user-000009")).startsWith("pro|canceled|");
        assertThat(cli.ok("import-subscriptions", "sample-data/subscriptions.csv", "--json").json())
                .containsEntry("recorded", 0).containsEntry("already_known", 380);
        assertThat(count("subscription_changes")).isEqualTo(380);

        Path trialAgain = tmp.resolve("trial-again.csv");
        write(trialAgain, "user_id,effective_at,action,tier,stripe_customer_id\nuser-000001,2026-10-30T00:00:00Z,trial,pro,\n");
        Cli.Result refused = cli.run("import-subscriptions", trialAgain.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("trial-again.csv:2: user-000001: trial while already paid");
        assertThat(count("subscription_changes")).isEqualTo(380);
    }

    @Test
    void aFailedIngestIsListedBlocksTheSameFileAndResumesWithRestartOrGivesWayAfterAbandon() throws Exception {
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        Path file = tmp.resolve("late.csv");
        write(file, "event_id,timestamp,user_id,metric,quantity\nk1,2026-10-01T00:00:00Z,u1,ai_responses,2\nk2,yesterday,u1,ai_responses,1\n");
        // A folder where the rejects file must go makes the storing step fail.
        Path blocker = db.home().resolve("rejects/late.csv.rejects.csv");
        Files.createDirectories(blocker.resolve("in-the-way"));

        Cli.Result failed = cli.run("ingest", file.toString(), "--json");

        assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
        long id = ((Number) failed.json().get("execution_id")).longValue();
        assertThat(failed.err()).contains("job ingestUsage failed in step storeNewEvents").contains("jobs/billing restart " + id);
        List<?> listed = (List<?>) cli.ok("executions", "--failed", "--json").json().get("executions");
        assertThat(listed).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) listed.get(0);
        assertThat(first).containsEntry("id", (int) id).containsEntry("status", "FAILED").containsEntry("failed_step", "storeNewEvents");
        Cli.Result blocked = cli.run("ingest", file.toString());
        assertThat(blocked.exit()).isEqualTo(2);
        assertThat(blocked.err()).contains("part of unfinished ingest execution " + id);

        Files.delete(blocker.resolve("in-the-way"));
        Files.delete(blocker);
        Map<String, Object> restarted = cli.ok("restart", Long.toString(id), "--json").json();

        assertThat(restarted).containsEntry("status", "COMPLETED").containsEntry("accepted", 1).containsEntry("rejected", 1);
        assertThat(Stores.usageMetrics(db)).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("u1|ai_responses|2026-10", 2L)));
        assertThat(cli.run("restart", Long.toString(id)).exit()).isEqualTo(2);
        assertThat((List<?>) cli.ok("executions", "--failed", "--json").json().get("executions")).hasSize(1);

        Path other = tmp.resolve("other.csv");
        write(other, "event_id,timestamp,user_id,metric,quantity\nk3,2026-10-01T00:00:00Z,u2,ai_responses,4\n");
        Files.createDirectories(db.home().resolve("rejects/other.csv.rejects.csv/in-the-way"));
        write(other, "event_id,timestamp,user_id,metric,quantity\nk3,2026-10-01T00:00:00Z,u2,ai_responses,4\nbad\n");
        long second = ((Number) cli.run("ingest", other.toString(), "--json").json().get("execution_id")).longValue();
        assertThat(cli.ok("abandon", Long.toString(second), "--json").json()).containsEntry("status", "ABANDONED");
        Files.delete(db.home().resolve("rejects/other.csv.rejects.csv/in-the-way"));
        Files.delete(db.home().resolve("rejects/other.csv.rejects.csv"));
        assertThat(cli.ok("ingest", other.toString(), "--json").json()).containsEntry("accepted", 1).containsEntry("rejected", 1);
        assertThat(cli.run("restart", Long.toString(second)).exit()).isEqualTo(2);
    }

    /** Refusals that need the database (the parse errors are CommandLineTest's). */
    @Test
    void refusedRequestsExitWith2AndSayWhy() {
        assertThat(cli.run("restart", "999").err()).contains("no job execution 999");
        assertThat(cli.run("push-stripe", "--period", "2026-10").err()).contains("period 2026-10 is not finalized");
        assertThat(cli.run("ingest", tmp.resolve("missing.csv").toString()).err()).contains("no catalog imported yet");
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        Cli.Result missing = cli.run("ingest", tmp.resolve("missing.csv").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("missing.csv: not a readable file");
        assertThat(count("BATCH_JOB_EXECUTION")).isZero();
    }

    private String state(String user) {
        return db.jdbc().queryForObject("SELECT tier, status, trial_ends_at, stripe_customer_id FROM subscriptions WHERE user_id = ?",
                (rs, n) -> rs.getString(1) + "|" + rs.getString(2) + "|"
                        + (rs.getObject(3, java.time.OffsetDateTime.class) == null ? null
                                : rs.getObject(3, java.time.OffsetDateTime.class).toInstant()) + "|" + rs.getString(4), user);
    }

    private long count(String table) {
        return db.jdbc().queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    private static void write(Path file, String content) throws java.io.IOException {
        Files.writeString(file, content);
    }
}
