package com.acme.billing.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.tools.SubscriptionGenerator;
import com.acme.billing.tools.UsageLogGenerator;
import com.acme.billing.tools.FakeStripe;
import com.acme.billing.support.Cli;
import com.acme.billing.support.October;
import com.acme.billing.support.TestDatabase;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** push-stripe against the fake Stripe over real HTTP, on a real database. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushStripeTest {

    @TempDir
    static Path shared;

    /** This database's closed and finalized October, built by the first test that needs it and copied for each. */
    TestDatabase finalizedOctober;

    @AfterParameterizedClassInvocation
    void dropFinalizedOctober() {
        if (finalizedOctober != null) {
            finalizedOctober.close();
            finalizedOctober = null;
        }
    }

    static final String KEY = "sk_test_PUSHKEY_4242";

    @TempDir
    Path tmp;

    TestDatabase db;
    FakeStripe fake;

    /** Every test runs on H2 (with DuckDB) and on PostgreSQL. */
    @Parameter
    TestDatabase.Kind kind;

    TestDatabase.Kind kind() {
        return kind;
    }

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create(kind(), tmp.resolve("home"));
        fake = FakeStripe.start();
    }

    @AfterEach
    void tearDown() {
        fake.close();
        db.close();
    }

    Cli cli() {
        return db.cli().with("BILLING_NOW", "2026-11-04T00:00:00Z").with("STRIPE_API_KEY", KEY).with("STRIPE_API_BASE", fake.baseUrl())
                .with("STRIPE_BACKOFF_BASE_MS", "5");
    }

    /** The close-period fixture: alice has customer cus_A at Stripe, bob and carol have none yet. */
    Cli october() throws Exception {
        if (finalizedOctober == null) {
            Path dir = Files.createDirectories(shared.resolve(kind().name()));
            TestDatabase built = TestDatabase.create(kind(), dir.resolve("home"));
            Cli cli = built.cli().with("BILLING_NOW", "2026-11-04T00:00:00Z");
            October.withUsage(cli, dir, """
                    a1,2026-10-05T00:00:00Z,alice,emails_processed,6000
                    a2,2026-10-06T00:00:00Z,alice,leads_created,350
                    """);
            cli.ok("close-period", "--period", "2026-10");
            cli.ok("finalize", "--period", "2026-10");
            finalizedOctober = built;
        }
        db.close();
        db = finalizedOctober.copy(tmp.resolve("october-home"));
        fake.knownCustomer("cus_A");
        return cli();
    }

    /** A bigger month: {@code users} generated subscriptions (all with imported customer ids) and some usage. */
    Cli generated(int users, Cli cli) {
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        assertThat(SubscriptionGenerator.main(new String[] {"--users", String.valueOf(users), "--period", "2026-10", "--seed", "7", "--out",
                tmp.resolve("gen-subs.csv").toString()}, quiet, System.err)).isZero();
        assertThat(UsageLogGenerator.main(new String[] {"--events", String.valueOf(users * 20), "--users", String.valueOf(users), "--period",
                "2026-10", "--seed", "8", "--out", tmp.resolve("gen-usage.csv").toString()}, quiet, System.err)).isZero();
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        cli.ok("import-subscriptions", tmp.resolve("gen-subs.csv").toString());
        cli.ok("ingest", tmp.resolve("gen-usage.csv").toString());
        cli.ok("close-period", "--period", "2026-10");
        cli.ok("finalize", "--period", "2026-10");
        fake.acceptAnyCustomer(true);
        return cli;
    }

    /** line_id -> amount in cents of every finalized line that Stripe should hold. */
    Map<String, Long> expectedLines() {
        return db.jdbc().queryForList("SELECT l.line_id, l.amount FROM invoice_lines l JOIN invoices i ON i.invoice_id = l.invoice_id "
                + "WHERE i.status = 'finalized' AND l.amount <> 0").stream()
                .collect(Collectors.toMap(r -> (String) r.get("line_id"),
                        r -> ((java.math.BigDecimal) r.get("amount")).movePointRight(2).longValueExact()));
    }

    @Test
    void pushesEveryFinalizedLineOnceWithStripesParametersAndARerunSendsNothing() throws Exception {
        Cli cli = october();

        Map<String, Object> json = cli.ok("push-stripe", "--period", "2026-10", "--json").json();

        assertThat(json).containsEntry("period", "2026-10").containsEntry("pushed", 6).containsEntry("already_pushed", 0)
                .containsEntry("failed", 0).containsKey("execution_id");
        // bob and carol had no customer: one each, keyed by the user; alice's imported cus_A is used as is.
        List<FakeStripe.Request> customers = fake.requests().stream().filter(r -> r.path().equals("/v1/customers")).toList();
        assertThat(customers).extracting(FakeStripe.Request::idempotencyKey).containsExactlyInAnyOrder("customer-bob", "customer-carol");
        assertThat(fake.customersCreated()).isEqualTo(2);
        assertThat(fake.amountPerLine()).isEqualTo(Map.of(
                "INV-2026-10-alice/base_fee/starter/-/1790812800-1793491200", 2900L,
                "INV-2026-10-alice/overage/starter/emails_processed/1790812800-1793491200", 400L,
                "INV-2026-10-alice/overage/starter/leads_created/1790812800-1793491200", 6250L,
                "INV-2026-10-bob/base_fee/business/-/1790812800-1791676800", 9645L,
                "INV-2026-10-bob/base_fee/starter/-/1791676800-1793491200", 1965L,
                "INV-2026-10-carol/base_fee/pro/-/1792022400-1793491200", 5429L));
        assertThat(fake.itemsPerLine().values()).containsOnly(1);
        FakeStripe.Request aliceBase = fake.requests().stream()
                .filter(r -> "INV-2026-10-alice/base_fee/starter/-/1790812800-1793491200".equals(r.idempotencyKey())).findFirst().orElseThrow();
        SortedMap<String, String> expected = new TreeMap<>(Map.of(
                "customer", "cus_A", "amount", "2900", "currency", "usd",
                "period[start]", String.valueOf(Instant.parse("2026-10-01T00:00:00Z").getEpochSecond()),
                "period[end]", String.valueOf(Instant.parse("2026-11-01T00:00:00Z").getEpochSecond()),
                "metadata[invoice_id]", "INV-2026-10-alice", "metadata[line_id]", "INV-2026-10-alice/base_fee/starter/-/1790812800-1793491200",
                "metadata[user_id]", "alice", "metadata[period]", "2026-10"));
        expected.put("description", db.jdbc().queryForObject("SELECT description FROM invoice_lines WHERE line_id = ?", String.class,
                "INV-2026-10-alice/base_fee/starter/-/1790812800-1793491200"));
        assertThat(aliceBase.params()).isEqualTo(expected);
        assertThat(aliceBase.status()).isEqualTo(200);
        // Stripe's ids are kept with each line; new customers are remembered.
        assertThat(db.jdbc().queryForList("SELECT stripe_item_id FROM stripe_pushes WHERE status = 'pushed'", String.class))
                .hasSize(6).allMatch(id -> id.startsWith("ii_fake"));
        assertThat(db.jdbc().queryForList("SELECT user_id FROM stripe_customers ORDER BY user_id", String.class)).containsExactly("bob", "carol");

        int requestsBefore = fake.requests().size();
        Map<String, Object> again = cli.ok("push-stripe", "--period", "2026-10", "--json").json();
        assertThat(again).containsEntry("pushed", 0).containsEntry("already_pushed", 6).containsEntry("failed", 0);
        assertThat(fake.requests()).hasSize(requestsBefore);
        assertThat(cli.ok("push-status", "--period", "2026-10", "--json").json()).containsEntry("lines", 6).containsEntry("pushed", 6)
                .containsEntry("pending", 0).containsEntry("failed", 0);
    }

    /**
     * Stripe carried every request out but no answer arrived (the same as a kill before the commit),
     * then a day went by and Stripe forgot the idempotency keys: the next push finds what exists by
     * its metadata and creates only what is missing.
     */
    @Test
    void aPushResumedAfterStripeForgotItsKeysCreatesEachLineAndCustomerOnce() throws Exception {
        Cli cli = october().with("STRIPE_MAX_ATTEMPTS", "2");
        Map<String, Long> expected = expectedLines();
        fake.faults(0, 0, 1.0);

        Cli.Result lost = cli.run("push-stripe", "--period", "2026-10", "--json");

        assertThat(lost.exit()).as(lost.toString()).isEqualTo(1);
        assertThat(lost.json()).containsEntry("pushed", 0).containsEntry("pending", 6);
        // Each user's first request was carried out: bob's and carol's customers and alice's first line exist, unknown to us.
        assertThat(fake.customersPerUser()).isEqualTo(Map.of("bob", 1, "carol", 1));
        assertThat(fake.itemsPerLine()).isEqualTo(Map.of("INV-2026-10-alice/base_fee/starter/-/1790812800-1793491200", 1));
        assertThat(db.jdbc().queryForList("SELECT status FROM stripe_pushes", String.class)).hasSize(6).containsOnly("sending");
        assertThat(db.jdbc().queryForList("SELECT user_id FROM stripe_customer_attempts ORDER BY user_id", String.class))
                .containsExactly("bob", "carol");
        int requestsLost = fake.requests().size();

        // A dry run shows the look-ups a push would make first (their created[gte] bound follows the wall clock).
        @SuppressWarnings("unchecked")
        List<String> planned = (List<String>) cli.ok("push-stripe", "--period", "2026-10", "--dry-run", "--json").json().get("requests");
        assertThat(planned).hasSize(12);
        assertThat(planned.get(0)).startsWith("GET /v1/customers created[gte]=")
                .endsWith(" (pages of 100, looking for metadata[user_id] of bob, carol: creation sent without a recorded answer)");
        assertThat(planned.get(1)).startsWith("GET /v1/invoiceitems customer=cus_A created[gte]=")
                .endsWith(" (pages of 100, looking for metadata[line_id] of 3 lines sent without a recorded answer; those found are recorded, "
                        + "not created again)");
        assertThat(planned).filteredOn(r -> r.startsWith("GET /v1/invoiceitems customer=(new customer of ")).hasSize(2);
        assertThat(planned).filteredOn(r -> r.startsWith("POST ")).hasSize(8).allMatch(r -> r.endsWith(" (unless the look-up finds it)"));
        assertThat(fake.requests()).hasSize(requestsLost);

        fake.forgetIdempotencyKeys().faults(0, 0, 0);
        int before = fake.requests().size();
        Map<String, Object> resumed = cli.ok("push-stripe", "--period", "2026-10", "--json").json();

        assertThat(resumed).containsEntry("pushed", 6).containsEntry("failed", 0).containsEntry("pending", 0);
        assertThat(fake.customersPerUser()).isEqualTo(Map.of("bob", 1, "carol", 1));
        assertThat(fake.itemsPerLine()).hasSize(6).allSatisfy((line, n) -> assertThat(n).as(line).isEqualTo(1));
        assertThat(fake.amountPerLine()).isEqualTo(expected);
        // Looked up (one page of customers for both users, one page of items per customer), then only the five missing lines created.
        List<String> sent = fake.requests().subList(before, fake.requests().size()).stream()
                .map(r -> r.method() + " " + r.path() + (r.method().equals("GET") ? " " + r.params().get("customer") : "")).sorted().toList();
        String bob = db.jdbc().queryForObject("SELECT customer_id FROM stripe_customers WHERE user_id = 'bob'", String.class);
        String carol = db.jdbc().queryForObject("SELECT customer_id FROM stripe_customers WHERE user_id = 'carol'", String.class);
        assertThat(sent).isEqualTo(java.util.stream.Stream.of("GET /v1/customers null", "GET /v1/invoiceitems cus_A",
                "GET /v1/invoiceitems " + bob, "GET /v1/invoiceitems " + carol, "POST /v1/invoiceitems", "POST /v1/invoiceitems",
                "POST /v1/invoiceitems", "POST /v1/invoiceitems", "POST /v1/invoiceitems").sorted().toList());
        assertThat(fake.customersPerUser()).doesNotContainKey("alice");
        assertThat(db.jdbc().queryForObject("SELECT stripe_item_id FROM stripe_pushes WHERE line_id = ?", String.class,
                "INV-2026-10-alice/base_fee/starter/-/1790812800-1793491200")).isNotNull();
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM stripe_customer_attempts", Long.class)).isZero();
        assertThat(db.jdbc().queryForList("SELECT status FROM stripe_pushes", String.class)).hasSize(6).containsOnly("pushed");
    }

    @Test
    void dryRunPrintsTheRequestsAndSendsNothing() throws Exception {
        Cli cli = october();

        Cli.Result result = cli.ok("push-stripe", "--period", "2026-10", "--dry-run", "--json");

        assertThat(result.json()).containsEntry("dry_run", true).containsEntry("pushed", 0);
        @SuppressWarnings("unchecked")
        List<String> requests = (List<String>) result.json().get("requests");
        assertThat(requests).hasSize(8);
        assertThat(requests.get(0)).isEqualTo("POST /v1/invoiceitems Idempotency-Key: INV-2026-10-alice/base_fee/starter/-/1790812800-1793491200 "
                + "customer=cus_A amount=2900 currency=usd period[start]=1790812800 period[end]=1793491200 metadata[invoice_id]=INV-2026-10-alice "
                + "metadata[user_id]=alice metadata[period]=2026-10 description=\"" + db.jdbc().queryForObject(
                        "SELECT description FROM invoice_lines WHERE line_id = 'INV-2026-10-alice/base_fee/starter/-/1790812800-1793491200'", String.class)
                + "\"");
        assertThat(requests).contains("POST /v1/customers Idempotency-Key: customer-bob name=bob metadata[user_id]=bob");
        assertThat(fake.requests()).isEmpty();
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM stripe_pushes", Long.class)).isZero();
        // Without a key a real push is refused before anything starts; the dry run needs none.
        Cli noKey = db.cli().with("BILLING_NOW", "2026-11-04T00:00:00Z").with("STRIPE_API_BASE", fake.baseUrl());
        assertThat(noKey.run("push-stripe", "--period", "2026-10").exit()).isEqualTo(2);
        assertThat(noKey.ok("push-stripe", "--period", "2026-10", "--dry-run").out()).contains("would send 8 requests for 6 lines");
    }

    @Test
    void refusesAPeriodThatIsNotFinalized() throws Exception {
        Cli cli = cli();
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        Cli.Result result = cli.run("push-stripe", "--period", "2026-10", "--json");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.json().get("error")).asString().contains("period 2026-10 is not finalized");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void everyLineExactlyOnceDespite500s429sSlowAnswersAndDroppedConnections() {
        Cli cli = generated(300, cli()).with("STRIPE_MAX_REQUESTS_PER_SECOND", "400").with("STRIPE_READ_TIMEOUT_MS", "700");
        fake.faults(0.10, 0.05, 0.03).slow(0.02, 1500);
        Map<String, Long> expected = expectedLines();
        assertThat(expected).hasSizeGreaterThan(250);

        Map<String, Object> json = cli.ok("push-stripe", "--period", "2026-10", "--json").json();

        assertThat(json).containsEntry("pushed", expected.size()).containsEntry("failed", 0).containsEntry("pending", 0);
        assertThat(fake.amountPerLine()).isEqualTo(expected);
        assertThat(fake.itemsPerLine().values()).containsOnly(1);
        assertThat(fake.itemsCreated()).isEqualTo(expected.size());
        // (line ids: invoice / type / tier / metric / segment start-end in epoch seconds, 2026-10-01 = 1790812800)
        // The faults did happen, and were retried: 500s, 429s, answers lost after the item was created.
        Map<Integer, Long> statuses = fake.requests().stream().collect(Collectors.groupingBy(FakeStripe.Request::status, Collectors.counting()));
        assertThat(statuses.get(500)).isGreaterThan(10);
        assertThat(statuses.get(429)).isGreaterThan(5);
        assertThat(statuses.get(0)).isGreaterThan(2);
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM stripe_pushes WHERE status = 'pushed'", Long.class)).isEqualTo(expected.size());
    }

    @Test
    void theRateLimitIsNeverExceededAtStripe() {
        Cli cli = generated(150, cli()).with("STRIPE_MAX_REQUESTS_PER_SECOND", "40").with("STRIPE_WORKERS", "16");
        fake.latency(5).faults(0.05, 0.05, 0);
        int lines = expectedLines().size();
        assertThat(lines).isGreaterThan(120);

        cli.ok("push-stripe", "--period", "2026-10");

        assertThat(fake.requests().size()).isGreaterThan(lines);
        // Only the ceiling: how close a push comes to it is a speed figure, measured by the benchmarks.
        assertThat(fake.maxRequestsInAnySecond()).isLessThanOrEqualTo(40);
    }

    @Test
    void aCustomerStripeRefusesLeavesItsLinesFailedAndTheRerunSendsJustThose() throws Exception {
        Cli cli = october();
        fake.refuseCustomerOf("bob");

        Cli.Result failed = cli.run("push-stripe", "--period", "2026-10", "--json");

        assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.json()).containsEntry("pushed", 4).containsEntry("failed", 2).containsEntry("pending", 0);
        assertThat(failed.json().get("error")).asString().contains("checkAllPushed").contains("2 of 6 lines of 2026-10 are not at Stripe");
        assertThat(db.jdbc().queryForList("SELECT error FROM stripe_pushes WHERE status = 'failed' ORDER BY line_id", String.class))
                .containsExactly("customer not created: HTTP 400: fake Stripe refuses a customer for user bob",
                        "customer not created: HTTP 400: fake Stripe refuses a customer for user bob");
        assertThat(fake.itemsPerLine()).hasSize(4);
        long executionId = ((Number) failed.json().get("execution_id")).longValue();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> failedRuns = (List<Map<String, Object>>) cli.ok("executions", "--failed", "--json").json().get("executions");
        assertThat(failedRuns).anySatisfy(e -> assertThat(e).containsEntry("id", (int) executionId).containsEntry("job", "pushToStripe")
                .containsEntry("failed_step", "checkAllPushed"));
        assertThat(cli.ok("alerts", "--json").json().get("alerts").toString()).contains("type=job_failed")
                .contains("job pushToStripe execution " + executionId + " failed in checkAllPushed");
        Map<String, Object> status = cli.ok("push-status", "--period", "2026-10", "--json").json();
        assertThat(status).containsEntry("pushed", 4).containsEntry("failed", 2);

        fake.stopRefusing();
        int before = fake.requests().size();
        Map<String, Object> rerun = cli.ok("push-stripe", "--period", "2026-10", "--json").json();

        assertThat(rerun).containsEntry("pushed", 2).containsEntry("already_pushed", 4).containsEntry("failed", 0);
        List<FakeStripe.Request> sent = fake.requests().subList(before, fake.requests().size());
        assertThat(sent).extracting(FakeStripe.Request::idempotencyKey).containsExactlyInAnyOrder("customer-bob",
                "INV-2026-10-bob/base_fee/business/-/1790812800-1791676800", "INV-2026-10-bob/base_fee/starter/-/1791676800-1793491200");
        assertThat(fake.itemsPerLine()).hasSize(6).allSatisfy((line, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void theApiKeyNeverReachesOutputLogsOrTheJobRepository() throws Exception {
        Cli cli = october().with("STRIPE_WEBHOOK_SECRET", "whsec_PUSHSECRET_77");
        fake.refuseCustomerOf("bob");
        Cli.Result failed = cli.run("push-stripe", "--period", "2026-10", "--json");
        fake.stopRefusing();
        Cli.Result ok = cli.ok("push-stripe", "--period", "2026-10", "--json");
        Cli.Result dry = cli.ok("push-stripe", "--period", "2026-10", "--dry-run");
        cli.ok("reports", "--period", "2026-10");

        for (Cli.Result result : List.of(failed, ok, dry)) {
            assertThat(result.out() + result.err()).doesNotContain("PUSHKEY").doesNotContain("PUSHSECRET");
        }
        try (var files = Files.walk(db.home())) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/db/") && !f.toString().contains("/events/")).toList()) {
                assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain("PUSHKEY").doesNotContain("PUSHSECRET");
            }
        }
        for (String table : List.of("BATCH_JOB_EXECUTION_PARAMS", "BATCH_JOB_EXECUTION_CONTEXT", "BATCH_STEP_EXECUTION_CONTEXT", "BATCH_STEP_EXECUTION",
                "BATCH_JOB_EXECUTION", "stripe_pushes")) {
            String all = db.jdbc().queryForList("SELECT * FROM " + table).toString();
            assertThat(all).as(table).doesNotContain("PUSHKEY").doesNotContain("PUSHSECRET");
        }
    }
}
