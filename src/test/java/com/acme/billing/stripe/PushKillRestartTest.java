package com.acme.billing.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.tools.SubscriptionGenerator;
import com.acme.billing.tools.UsageLogGenerator;
import com.acme.billing.tools.FakeStripe;
import com.acme.billing.support.BillingProcess;
import com.acme.billing.support.Cli;
import com.acme.billing.support.TestDatabase;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code kill -9} in the middle of a push, then, after Stripe forgot its idempotency keys (a day
 * later), {@code restart}: every line at Stripe exactly once, none missing.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class PushKillRestartTest {

    static final String NOW = "2026-11-05T00:00:00Z";
    static final String KEY = "sk_test_killrestart";

    /** Every test runs on H2 (with DuckDB) and on PostgreSQL. */
    @Parameter
    TestDatabase.Kind kind;

    TestDatabase.Kind kind() {
        return kind;
    }

    @Test
    void killedInTheMiddleOfAPushThenRestarted(@TempDir Path tmp) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind(), tmp.resolve("home")); FakeStripe fake = FakeStripe.start()) {
            fake.acceptAnyCustomer(true).latency(10).faults(0.05, 0.0, 0.02);
            Map<String, String> stripe = Map.of("STRIPE_API_KEY", KEY, "STRIPE_API_BASE", fake.baseUrl(), "STRIPE_MAX_REQUESTS_PER_SECOND", "80",
                    "STRIPE_BACKOFF_BASE_MS", "5");
            Cli cli = db.cli().with("BILLING_NOW", NOW);
            for (Map.Entry<String, String> e : stripe.entrySet()) {
                cli = cli.with(e.getKey(), e.getValue());
            }
            PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
            assertThat(SubscriptionGenerator.main(new String[] {"--users", "1200", "--period", "2026-10", "--seed", "11", "--out",
                    tmp.resolve("subs.csv").toString()}, quiet, System.err)).isZero();
            assertThat(UsageLogGenerator.main(new String[] {"--events", "30000", "--users", "1200", "--period", "2026-10", "--seed", "12",
                    "--out", tmp.resolve("usage.csv").toString()}, quiet, System.err)).isZero();
            cli.ok("import-catalog", "sample-data/catalog.yaml");
            cli.ok("import-subscriptions", tmp.resolve("subs.csv").toString());
            cli.ok("ingest", tmp.resolve("usage.csv").toString());
            cli.ok("close-period", "--period", "2026-10");
            cli.ok("finalize", "--period", "2026-10");
            cli.ok("close-period", "--period", "2026-09");
            cli.ok("finalize", "--period", "2026-09");
            Map<String, Long> expected = db.jdbc().queryForList("SELECT l.line_id, l.amount FROM invoice_lines l "
                    + "JOIN invoices i ON i.invoice_id = l.invoice_id WHERE i.status = 'finalized' AND l.amount <> 0 AND l.period = '2026-10'").stream()
                    .collect(Collectors.toMap(r -> (String) r.get("line_id"),
                            r -> ((java.math.BigDecimal) r.get("amount")).movePointRight(2).longValueExact()));
            assertThat(expected).hasSizeGreaterThan(1000);

            // Chunks of 100 lines: several commit before the kill (a chunk is ten seconds of requests by default).
            Process push = BillingProcess.start(db, NOW, stripe, List.of("-Dbilling.stripe.chunk-size=100"), "push-stripe", "--period", "2026-10");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (fake.itemsCreated() < 300 && push.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(push.isAlive()).as("the push should still be running when killed").isTrue();
            push.destroyForcibly();
            assertThat(push.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long createdAtKill = fake.itemsCreated();
            assertThat(createdAtKill).isBetween(300L, (long) expected.size() - 1);
            java.util.Set<String> recordedAtKill = new java.util.HashSet<>(db.jdbc().queryForList(
                    "SELECT line_id FROM stripe_pushes WHERE status = 'pushed'", String.class));
            assertThat(recordedAtKill).isNotEmpty();
            // Lines whose request had left without a recorded answer (the chunk in flight, unless the kill fell
            // between two chunks): a restart must look these up at Stripe before creating anything.
            long sendingAtKill = db.jdbc().queryForObject("SELECT COUNT(*) FROM stripe_pushes WHERE status = 'sending'", Long.class);
            int requestsAtKill = fake.requests().size();

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> executions = (List<Map<String, Object>>) cli.ok("executions", "--json").json().get("executions");
            Map<String, Object> killed = executions.stream().filter(e -> e.get("job").equals("pushToStripe")).findFirst().orElseThrow();
            assertThat(killed).containsEntry("status", "STARTED");
            // While that push has not ended, a push of another month would share the rate limit: refused.
            Cli.Result other = cli.run("push-stripe", "--period", "2026-09");
            assertThat(other.exit()).isEqualTo(2);
            assertThat(other.err()).contains("push-stripe of 2026-10 (execution " + killed.get("id") + ") has not ended")
                    .contains("jobs/billing restart " + killed.get("id"));
            // The restart comes more than 24 hours later: the keys of the chunk in flight no longer protect anything.
            fake.forgetIdempotencyKeys();
            cli.ok("restart", String.valueOf(killed.get("id")));

            assertThat(fake.amountPerLine()).isEqualTo(expected);
            assertThat(fake.itemsPerLine().values()).containsOnly(1);
            assertThat(fake.itemsCreated()).isEqualTo(expected.size());
            assertThat(cli.ok("push-status", "--period", "2026-10", "--json").json()).containsEntry("pushed", expected.size())
                    .containsEntry("pending", 0).containsEntry("failed", 0);
            // Lines recorded before the kill were not sent again by the restart; those of the chunk in flight were
            // looked up first, and the ones found at Stripe were not created again.
            List<FakeStripe.Request> afterKill = fake.requests().subList(requestsAtKill, fake.requests().size());
            assertThat(afterKill).isNotEmpty().noneMatch(r -> recordedAtKill.contains(r.idempotencyKey()));
            if (sendingAtKill > 0) {
                assertThat(afterKill).anyMatch(r -> r.method().equals("GET") && r.path().equals("/v1/invoiceitems"));
            }
        }
    }
}
