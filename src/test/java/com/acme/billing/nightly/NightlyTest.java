package com.acme.billing.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.tools.FakeStripe;
import com.acme.billing.support.Cli;
import com.acme.billing.support.October;
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

/** {@code nightly}: the whole chain as cron runs it; a failed step restarted without redoing the ones before. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class NightlyTest {

    @TempDir
    Path tmp;

    TestDatabase db;
    FakeStripe fake;
    Cli cli;

    /** Every test runs on H2 (with DuckDB) and on PostgreSQL. */
    @Parameter
    TestDatabase.Kind kind;

    TestDatabase.Kind kind() {
        return kind;
    }

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create(kind(), tmp.resolve("home"));
        fake = FakeStripe.start().knownCustomer("cus_A");
        // Early on 4 November: October's grace period (3 days) has just ended.
        cli = db.cli().with("BILLING_NOW", "2026-11-04T02:00:00Z").with("STRIPE_API_KEY", "sk_test_nightly")
                .with("STRIPE_API_BASE", fake.baseUrl()).with("STRIPE_BACKOFF_BASE_MS", "5");
        October.subscriptions(cli, tmp);
        Files.createDirectories(db.home().resolve("inbox"));
        Files.writeString(db.home().resolve("inbox/usage-2026-10-31.csv"), """
                event_id,timestamp,user_id,metric,quantity
                a1,2026-10-05T00:00:00Z,alice,emails_processed,6000
                a2,2026-10-06T00:00:00Z,alice,leads_created,350
                n1,2026-11-02T00:00:00Z,alice,emails_processed,100
                """);
    }

    @AfterEach
    void tearDown() {
        fake.close();
        db.close();
    }

    long steps(String name) {
        return db.jdbc().queryForObject("SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = ?", Long.class, name);
    }

    @Test
    void theChainRunsAndAFailedPushIsRestartedWithoutRedoingTheStepsBefore() throws Exception {
        fake.refuseCustomerOf("bob");

        Cli.Result failed = cli.run("nightly", "--json");

        assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.json().get("error")).asString().contains("job nightly failed in step pushToStripe");
        long nightlyId = ((Number) failed.json().get("execution_id")).longValue();
        // What the steps before did: the inbox file ingested and archived, October final, November drafted.
        assertThat(db.home().resolve("inbox/usage-2026-10-31.csv")).doesNotExist();
        assertThat(db.jdbc().queryForList("SELECT DISTINCT status FROM invoices WHERE period = '2026-10'", String.class)).containsExactly("finalized");
        assertThat(db.jdbc().queryForList("SELECT DISTINCT status FROM invoices WHERE period = '2026-11'", String.class)).containsExactly("draft");
        assertThat(fake.itemsPerLine()).hasSize(4);

        fake.stopRefusing();
        Map<String, Object> restarted = cli.ok("restart", String.valueOf(nightlyId), "--json").json();

        assertThat(restarted).containsEntry("job", "nightly").containsEntry("status", "COMPLETED");
        for (String done : List.of("planNight", "ingestInbox", "rerateOpenPeriods", "finalizeDuePeriods", "renderReports")) {
            assertThat(steps(done)).as(done).isEqualTo(1);
        }
        assertThat(steps("pushToStripe")).isEqualTo(2);
        assertThat(fake.itemsPerLine()).hasSize(6).allSatisfy((line, n) -> assertThat(n).isEqualTo(1));
        assertThat(db.home().resolve("reports/2026-10/finance-report.pdf")).exists();
        assertThat(db.home().resolve("reports/2026-10/invoices/INV-2026-10-alice.pdf")).exists();
        assertThat(db.home().resolve("reports/2026-11/invoices/INV-2026-11-alice.pdf")).exists();

        // A second night later the same day: nothing new; it completes and pushes nothing twice.
        cli.ok("nightly");
        assertThat(fake.itemsPerLine()).hasSize(6).allSatisfy((line, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void theCatalogsGracePeriodDecidesWhenLastMonthIsFinalized() throws Exception {
        Files.writeString(tmp.resolve("grace-5.yaml"),
                Files.readString(Path.of("sample-data/catalog.yaml")).replace("grace_period_days: 3", "grace_period_days: 5"));
        cli.ok("import-catalog", tmp.resolve("grace-5.yaml").toString());

        // 4 November: three days after October, inside the catalog's five: October stays draft, nothing is pushed.
        cli.with("BILLING_NOW", "2026-11-04T02:00:00Z").ok("nightly");

        assertThat(db.jdbc().queryForList("SELECT DISTINCT status FROM invoices WHERE period = '2026-10'", String.class)).containsExactly("draft");
        assertThat(db.jdbc().queryForObject("SELECT status FROM billing_periods WHERE period = '2026-10'", String.class)).isEqualTo("open");
        assertThat(fake.itemsPerLine()).isEmpty();

        // 6 November: the five days have ended.
        cli.with("BILLING_NOW", "2026-11-06T02:00:00Z").ok("nightly");

        assertThat(db.jdbc().queryForList("SELECT DISTINCT status FROM invoices WHERE period = '2026-10'", String.class))
                .containsExactly("finalized");
        assertThat(db.jdbc().queryForObject("SELECT catalog_version FROM billing_periods WHERE period = '2026-10'", Integer.class)).isEqualTo(2);
        assertThat(fake.itemsPerLine()).hasSize(6);
    }

    @Test
    void theCrontabRunsNightlyUnderALockAndSaysWhereTheLogGoes() throws Exception {
        String crontab = Files.readString(Path.of("jobs/crontab"));
        assertThat(crontab).contains("flock -n").contains("jobs/billing nightly").contains("nightly.log");
    }
}
