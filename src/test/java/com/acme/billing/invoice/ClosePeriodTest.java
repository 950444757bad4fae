package com.acme.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.BillingProcess;
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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * close-period, finalize, adjustments and the CSV reports through {@code jobs/billing}, on a real
 * database. Amounts are worked out by hand (sample catalog; October 2026 has 31 days).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClosePeriodTest {

    @TempDir
    static Path shared;

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

    /** This database's October before any close (catalog, subscriptions, usage), built once and copied for each test. */
    TestDatabase prepared;

    @BeforeParameterizedClassInvocation
    void prepare() throws Exception {
        Path dir = java.nio.file.Files.createDirectories(shared.resolve(kind().name()));
        prepared = TestDatabase.create(kind(), dir.resolve("home"));
        October.withUsage(prepared.cli().with("BILLING_NOW", "2026-11-04T00:00:00Z"), dir, """
                a1,2026-10-05T00:00:00Z,alice,emails_processed,6000
                a2,2026-10-06T00:00:00Z,alice,leads_created,350
                c1,2026-10-03T00:00:00Z,carol,ai_responses,9000
                d1,2026-10-03T00:00:00Z,dave,ai_responses,70
                """);
    }

    @AfterParameterizedClassInvocation
    void dropPrepared() {
        if (prepared != null) {
            prepared.close();
            prepared = null;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        db = prepared.copy(tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", "2026-11-04T00:00:00Z");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    // alice: starter all month 29.00; emails 1,000 over x 0.004 = 4.00; leads 150 over: 100 x 0.50 + 50 x 0.25 = 62.50 -> 95.50
    // bob: business 10 days 299 x 10/31 = 96.45; starter 21 days 29 x 21/31 = 19.65 -> 116.10
    // carol: pro trial Oct 1-15 (free), paid from Oct 15: 99 x 17/31 = 54.2903 -> 54.29; her usage fell in the trial
    // dave: no subscription: usage reported, nothing billed, no invoice
    static final List<String> OCTOBER_LINES = List.of(
            "INV-2026-10-alice|base_fee|starter||29.00",
            "INV-2026-10-alice|overage|starter|emails_processed|4.00",
            "INV-2026-10-alice|overage|starter|leads_created|62.50",
            "INV-2026-10-bob|base_fee|business||96.45",
            "INV-2026-10-bob|base_fee|starter||19.65",
            "INV-2026-10-carol|base_fee|pro||54.29");

    @Test
    void closePeriodWritesExactDraftsAndARerunGivesTheSameLines() throws Exception {
        Map<String, Object> json = cli.ok("close-period", "--period", "2026-10", "--json").json();

        assertThat(json).containsEntry("period", "2026-10").containsEntry("invoices", 3).containsEntry("lines", 6)
                .containsEntry("total", "265.89").containsEntry("currency", "USD");
        assertThat(lines()).containsExactlyElementsOf(OCTOBER_LINES);
        List<String> ids = db.jdbc().queryForList("SELECT line_id FROM invoice_lines ORDER BY line_id", String.class);
        assertThat(db.jdbc().queryForList("SELECT DISTINCT status FROM invoices", String.class)).containsExactly("draft");

        Map<String, Object> again = cli.ok("close-period", "--period", "2026-10", "--json").json();

        assertThat(again).containsEntry("total", "265.89").containsEntry("lines", 6);
        assertThat(db.jdbc().queryForList("SELECT line_id FROM invoice_lines ORDER BY line_id", String.class)).isEqualTo(ids);
        assertThat(again.get("execution_id")).isNotEqualTo(json.get("execution_id"));
    }

    @Test
    void aDryRunPrintsWhatItWouldBillAndWritesNothing() {
        Map<String, Object> dry = cli.ok("close-period", "--period", "2026-10", "--dry-run", "--json").json();

        assertThat(dry).containsEntry("invoices", 3).containsEntry("lines", 6).containsEntry("total", "265.89").containsEntry("execution_id", null);
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM invoices", Long.class)).isZero();
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE WHERE JOB_NAME = 'closePeriod'", Long.class)).isZero();
    }

    @Test
    void afterFinalizeLateUsageAndALateDowngradeBecomeAdjustmentsThatAddUpToAFreshRating() throws Exception {
        assertThat(cli.run("finalize", "--period", "2026-10").err()).contains("has not been closed");
        cli.ok("close-period", "--period", "2026-10");
        assertThat(cli.with("BILLING_NOW", "2026-10-30T00:00:00Z").run("finalize", "--period", "2026-10").err()).contains("still running");
        cli.ok("finalize", "--period", "2026-10");
        List<String> finalized = lines();

        write("late.csv", "event_id,timestamp,user_id,metric,quantity\na3,2026-10-30T00:00:00Z,alice,emails_processed,500\n");
        cli.ok("ingest", tmp.resolve("late.csv").toString());
        write("late-subs.csv", "user_id,effective_at,action,tier,stripe_customer_id\nalice,2026-10-21T00:00:00Z,change,free,\n");
        cli.ok("import-subscriptions", tmp.resolve("late-subs.csv").toString());

        Map<String, Object> json = cli.ok("close-period", "--period", "2026-10", "--json").json();

        // alice now: starter Oct 1-20 (20 days): 29 x 20/31 = 18.7096 -> 18.71; included emails 5,000 x 20/31 = 3,225.8 -> 3,226,
        // used 6,000 (the late 500 fell on Oct 30, in free): 2,774 over x 0.004 = 11.096 -> 11.10; leads 200 x 20/31 = 129.03 -> 129,
        // 221 over: 100 x 0.50 + 121 x 0.25 = 80.25. Free from Oct 21: nothing billed (hard limits only).
        // Adjustment lines: the old whole-month lines leave (-29.00, -4.00, -62.50), the new segment lines arrive (+18.71, +11.10, +80.25).
        assertThat(lines().subList(0, 6)).containsExactlyElementsOf(List.of(
                "INV-2026-10-alice|base_fee|starter||29.00",
                "INV-2026-10-alice|overage|starter|emails_processed|4.00",
                "INV-2026-10-alice|overage|starter|leads_created|62.50",
                "INV-2026-10-alice-A1|adjustment|starter||-29.00",
                "INV-2026-10-alice-A1|adjustment|starter||18.71",
                "INV-2026-10-alice-A1|adjustment|starter|emails_processed|-4.00"));
        assertThat(lines()).contains("INV-2026-10-alice-A1|adjustment|starter|emails_processed|11.10",
                "INV-2026-10-alice-A1|adjustment|starter|leads_created|-62.50", "INV-2026-10-alice-A1|adjustment|starter|leads_created|80.25");
        assertThat(lines()).filteredOn(l -> l.startsWith("INV-2026-10-alice-A1")).hasSize(6);
        // -29.00 + 18.71 - 4.00 + 11.10 - 62.50 + 80.25 = 14.56; alice in all: 95.50 + 14.56 = 110.06 = 18.71 + 11.10 + 80.25
        assertThat(amount("SELECT SUM(total) FROM invoices WHERE invoice_id = 'INV-2026-10-alice-A1'")).isEqualTo("14.56");
        assertThat(amount("SELECT SUM(total) FROM invoices WHERE user_id = 'alice'")).isEqualTo("110.06");
        assertThat(json).containsEntry("invoices", 4).containsEntry("total", "280.45");
        // Finalized lines never change.
        assertThat(lines()).containsAll(finalized);
        assertThat(db.jdbc().queryForList("SELECT invoice_id || ':' || status FROM invoices ORDER BY invoice_id", String.class))
                .containsExactly("INV-2026-10-alice:finalized", "INV-2026-10-alice-A1:draft", "INV-2026-10-bob:finalized",
                        "INV-2026-10-carol:finalized");

        // Running close-period again recomputes the draft adjustment in place; finalizing it freezes it.
        cli.ok("close-period", "--period", "2026-10");
        assertThat(lines()).filteredOn(l -> l.startsWith("INV-2026-10-alice-A1")).hasSize(6);
        cli.ok("finalize", "--period", "2026-10");
        Map<String, Object> nothingLeft = cli.ok("close-period", "--period", "2026-10", "--json").json();
        assertThat(nothingLeft).containsEntry("invoices", 4).containsEntry("total", "280.45");
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM invoices WHERE status = 'draft'", Long.class)).isZero();
    }

    @Test
    void aCloseAfterFinalizeBillsLateUsageAsAnAdjustmentAndLeavesTheUsageSummariesAsBilled() throws Exception {
        cli.ok("close-period", "--period", "2026-10");
        cli.ok("finalize", "--period", "2026-10");
        List<String> billed = List.of(
                "alice|ai_responses|starter|0|500|0|false",
                "alice|emails_processed|starter|6000|5000|1000|false",
                "alice|leads_created|starter|350|200|150|false");
        assertThat(usageRows("alice")).containsExactlyElementsOf(billed);

        write("late.csv", "event_id,timestamp,user_id,metric,quantity\na3,2026-10-30T00:00:00Z,alice,emails_processed,500\n");
        cli.ok("ingest", tmp.resolve("late.csv").toString());
        cli.ok("close-period", "--period", "2026-10");

        // emails now 6,500: 1,500 over x 0.004 = 6.00, of which 4.00 was billed: the adjustment is +2.00.
        assertThat(lines()).filteredOn(l -> l.startsWith("INV-2026-10-alice-A1"))
                .containsExactly("INV-2026-10-alice-A1|adjustment|starter|emails_processed|2.00");
        assertThat(db.jdbc().queryForList("SELECT CAST(quantity AS BIGINT) FROM invoice_lines WHERE invoice_id = 'INV-2026-10-alice-A1'",
                Long.class)).containsExactly(500L);
        // The statement of the finalized invoice still shows the usage it billed.
        assertThat(usageRows("alice")).containsExactlyElementsOf(billed);

        cli.ok("finalize", "--period", "2026-10");
        assertThat(usageRows("alice")).containsExactlyElementsOf(billed);
    }

    @Test
    void aRunResumedAfterACatalogImportKeepsTheOneVersionItStartedWith() throws Exception {
        // carol's chunk fails (one user per chunk): alice and bob are committed, rated with version 1.
        db.jdbc().execute("ALTER TABLE invoices ADD CONSTRAINT test_carol_fails CHECK (user_id <> 'carol')");
        ProcessBuilder failing = BillingProcess.builder(db, List.of("-Dbilling.rating.chunk-size=1"), "close-period", "--period", "2026-10");
        failing.environment().put("BILLING_NOW", "2026-11-04T00:00:00Z");
        failing.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(tmp.resolve("failing.err").toFile());
        Process process = failing.start();
        assertThat(process.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(tmp.resolve("failing.err"))).isEqualTo(1);
        assertThat(db.jdbc().queryForList("SELECT invoice_id FROM invoices ORDER BY invoice_id", String.class))
                .containsExactly("INV-2026-10-alice", "INV-2026-10-bob");
        db.jdbc().execute("ALTER TABLE invoices DROP CONSTRAINT test_carol_fails");
        write("cheaper.yaml", Files.readString(Path.of("sample-data/catalog.yaml")).replace("\"29.00\"", "\"19.00\""));
        cli.ok("import-catalog", tmp.resolve("cheaper.yaml").toString());

        // The same close-period resumes the failed run: carol and dave are rated with the run's version 1, not 2.
        Map<String, Object> resumed = cli.ok("close-period", "--period", "2026-10", "--json").json();

        assertThat(resumed).containsEntry("total", "265.89").containsEntry("invoices", 3);
        assertThat(lines()).containsExactlyElementsOf(OCTOBER_LINES);
        assertThat(db.jdbc().queryForList("SELECT invoice_id || ':' || CAST(catalog_version AS VARCHAR(10)) FROM invoices ORDER BY invoice_id",
                String.class)).containsExactly("INV-2026-10-alice:1", "INV-2026-10-bob:1", "INV-2026-10-carol:1");
        assertThat(db.jdbc().queryForObject("SELECT catalog_version FROM billing_periods WHERE period = '2026-10'", Integer.class)).isEqualTo(1);
        assertThat(cli.run("finalize", "--period", "2026-10").err()).contains("the catalog changed (version 2)");

        // A new run takes the new version, for everyone.
        cli.ok("close-period", "--period", "2026-10");
        assertThat(db.jdbc().queryForList("SELECT DISTINCT catalog_version FROM invoices", Integer.class)).containsExactly(2);
        assertThat(lines()).contains("INV-2026-10-alice|base_fee|starter||19.00");
    }

    @Test
    void aSecondLateChangeReversesWhatTheFirstAdjustmentBilled() throws Exception {
        cli.ok("close-period", "--period", "2026-10");
        cli.ok("finalize", "--period", "2026-10");
        write("late-1.csv", "user_id,effective_at,action,tier,stripe_customer_id\nalice,2026-10-21T00:00:00Z,change,pro,\n");
        cli.ok("import-subscriptions", tmp.resolve("late-1.csv").toString());
        cli.ok("close-period", "--period", "2026-10");
        cli.ok("finalize", "--period", "2026-10");
        write("late-2.csv", "user_id,effective_at,action,tier,stripe_customer_id\nalice,2026-10-26T00:00:00Z,cancel,,\n");
        cli.ok("import-subscriptions", tmp.resolve("late-2.csv").toString());

        cli.ok("close-period", "--period", "2026-10");

        // Fresh rating now: starter Oct 1-20 29 x 20/31 = 18.71; pro Oct 21-25 99 x 5/31 = 15.9677 -> 15.97; the usage
        // (emails 6,000 on Oct 5, leads 350 on Oct 6) falls in starter: included 3,226 and 129 -> 2,774 x 0.004 = 11.10 and
        // 100 x 0.50 + 121 x 0.25 = 80.25. A2 reverses A1's pro line (99 x 11/31 = 35.13) and bills pro Oct 21-25.
        assertThat(lines()).filteredOn(l -> l.startsWith("INV-2026-10-alice-A2"))
                .containsExactlyInAnyOrder("INV-2026-10-alice-A2|adjustment|pro||-35.13", "INV-2026-10-alice-A2|adjustment|pro||15.97");
        assertThat(amount("SELECT SUM(total) FROM invoices WHERE user_id = 'alice'")).isEqualTo("126.03");
    }

    @Test
    void aNewCatalogVersionAppliesOnlyToPeriodsNotFinalized() throws Exception {
        cli.ok("close-period", "--period", "2026-10");
        cli.ok("finalize", "--period", "2026-10");
        write("cheaper.yaml", Files.readString(Path.of("sample-data/catalog.yaml")).replace("\"29.00\"", "\"19.00\""));
        cli.ok("import-catalog", tmp.resolve("cheaper.yaml").toString());

        assertThat(cli.ok("close-period", "--period", "2026-10", "--json").json()).containsEntry("total", "265.89").containsEntry("invoices", 3);
        Cli dec = cli.with("BILLING_NOW", "2026-12-02T00:00:00Z");
        dec.ok("close-period", "--period", "2026-11");
        // November: alice starter at the new 19.00; bob starter 19.00; carol pro 99.00
        assertThat(lines()).contains("INV-2026-11-alice|base_fee|starter||19.00", "INV-2026-11-bob|base_fee|starter||19.00",
                "INV-2026-11-carol|base_fee|pro||99.00");
        write("dearer.yaml", Files.readString(Path.of("sample-data/catalog.yaml")).replace("\"99.00\"", "\"109.00\""));
        dec.ok("import-catalog", tmp.resolve("dearer.yaml").toString());
        assertThat(dec.run("finalize", "--period", "2026-11").err()).contains("the catalog changed");
    }

    @Test
    void theCsvReportsHoldEveryLineAndEveryUsageRowExactly() throws Exception {
        cli.ok("close-period", "--period", "2026-10");

        Map<String, Object> json = cli.ok("reports", "--period", "2026-10", "--json").json();

        Path dir = db.home().resolve("reports/2026-10");
        assertThat(json).containsEntry("dir", dir.toString()).containsEntry("files",
                List.of("invoice-lines.csv", "usage-summary.csv", "revenue-summary.csv", "finance-report.pdf", "invoices/"));
        List<String> csv = Files.readAllLines(dir.resolve("invoice-lines.csv"));
        assertThat(Files.readString(dir.resolve("invoice-lines.csv"))).contains("\r\n");
        assertThat(csv.get(0)).isEqualTo("invoice_id,line_id,user_id,period,line_type,tier,metric,description,quantity,unit_price,amount,"
                + "currency,period_start,period_end");
        assertThat(csv.subList(1, csv.size())).extracting(l -> l.replaceAll("\"[^\"]*\"", "D")).containsExactly(
                "INV-2026-10-alice,INV-2026-10-alice/base_fee/starter/-/1790812800-1793491200,alice,2026-10,base_fee,starter,,D,1.000000,29.00,"
                        + "29.00,USD,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z",
                "INV-2026-10-alice,INV-2026-10-alice/overage/starter/emails_processed/1790812800-1793491200,alice,2026-10,overage,starter,"
                        + "emails_processed,D,1000,0.004,4.00,USD,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z",
                "INV-2026-10-alice,INV-2026-10-alice/overage/starter/leads_created/1790812800-1793491200,alice,2026-10,overage,starter,"
                        + "leads_created,D,150,,62.50,USD,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z",
                "INV-2026-10-bob,INV-2026-10-bob/base_fee/business/-/1790812800-1791676800,bob,2026-10,base_fee,business,,D,0.322581,"
                        + "299.00,96.45,USD,2026-10-01T00:00:00Z,2026-10-11T00:00:00Z",
                "INV-2026-10-bob,INV-2026-10-bob/base_fee/starter/-/1791676800-1793491200,bob,2026-10,base_fee,starter,,D,0.677419,29.00,"
                        + "19.65,USD,2026-10-11T00:00:00Z,2026-11-01T00:00:00Z",
                "INV-2026-10-carol,INV-2026-10-carol/base_fee/pro/-/1792022400-1793491200,carol,2026-10,base_fee,pro,,D,0.548387,99.00,"
                        + "54.29,USD,2026-10-15T00:00:00Z,2026-11-01T00:00:00Z");
        List<String> usage = Files.readAllLines(dir.resolve("usage-summary.csv"));
        // carol: the trial includes 2,500 x 14/31 = 1,129.03 -> 1,129, so 9,000 - 1,129 = 7,871 over (reported, not billed); the paid
        // segment includes 2,500 x 17/31 = 1,370.97 -> 1,371 and used none: 1,129 + 1,371 = 2,500 included.
        assertThat(usage).contains("user_id,period,metric,tier,quantity,included,overage_quantity,limit_breached",
                "alice,2026-10,emails_processed,starter,6000,5000,1000,false",
                "bob,2026-10,leads_created,business,0,1613,0,false",
                "bob,2026-10,leads_created,starter,0,135,0,false",
                "carol,2026-10,ai_responses,pro,9000,2500,7871,false",
                "dave,2026-10,ai_responses,,70,0,0,false");
        byte[] first = Files.readAllBytes(dir.resolve("invoice-lines.csv"));
        cli.ok("reports", "--period", "2026-10");
        assertThat(Files.readAllBytes(dir.resolve("invoice-lines.csv"))).isEqualTo(first);
    }

    private List<String> lines() {
        return db.jdbc().queryForList("SELECT invoice_id || '|' || line_type || '|' || tier || '|' || COALESCE(metric, '') || '|' "
                + "|| CAST(CAST(amount AS DECIMAL(19, 2)) AS VARCHAR(40)) FROM invoice_lines ORDER BY invoice_id, period_start, line_type, COALESCE(metric, ''), amount",
                String.class);
    }

    private List<String> usageRows(String user) {
        return db.jdbc().queryForList("SELECT user_id || '|' || metric || '|' || tier || '|' || CAST(quantity AS VARCHAR(20)) || '|' "
                + "|| CAST(included AS VARCHAR(20)) || '|' || CAST(overage_quantity AS VARCHAR(20)) || '|' "
                + "|| CASE WHEN limit_breached THEN 'true' ELSE 'false' END FROM usage_summaries WHERE period = '2026-10' AND user_id = ? "
                + "ORDER BY metric, tier", String.class, user);
    }

    private String amount(String sql) {
        return db.jdbc().queryForObject(sql, java.math.BigDecimal.class).setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString();
    }

    private void write(String name, String content) throws Exception {
        Files.writeString(tmp.resolve(name), content);
    }
}
