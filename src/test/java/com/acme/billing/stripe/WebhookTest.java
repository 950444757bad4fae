package com.acme.billing.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.Served;
import com.acme.billing.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * {@code serve}: Stripe webhooks signed with a test secret, sent over HTTP to a billing process of its own. One database and
 * one {@code serve} per database for the class; each test works on users of its own and asserts what it added (rows counted
 * from the test's start, alerts and subscription changes after the highest id before it), so the order does not matter.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookTest {

    static final String SECRET = "whsec_test_WEBHOOKSECRET_123";

    /**
     * Users by test: alice (the upgrade), hana (hostile user ids: she must stay on starter), bea (bad signatures), bob and
     * dave (dave comes by the trial's webhook, bob cancels), pia (payments of her October invoice).
     */
    static final String SUBSCRIPTIONS = """
            user_id,effective_at,action,tier,stripe_customer_id
            alice,2026-09-01T00:00:00Z,subscribe,starter,cus_A
            bob,2026-09-01T00:00:00Z,subscribe,business,cus_B
            hana,2026-09-01T00:00:00Z,subscribe,starter,cus_H
            bea,2026-09-01T00:00:00Z,subscribe,starter,cus_E
            pia,2026-09-01T00:00:00Z,subscribe,starter,cus_P
            """;

    /** One directory for the class's two runs. */
    @TempDir
    static Path tmpRoot;

    TestDatabase db;
    Cli cli;
    Served served;

    /** Every test runs on H2 (with DuckDB) and on PostgreSQL. */
    @Parameter
    TestDatabase.Kind kind;

    TestDatabase.Kind kind() {
        return kind;
    }

    @BeforeParameterizedClassInvocation
    void setUp() throws Exception {
        Path tmp = Files.createDirectories(tmpRoot.resolve(kind().name()));
        db = TestDatabase.create(kind(), tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", "2026-11-04T00:00:00Z");
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        Files.writeString(tmp.resolve("subs.csv"), SUBSCRIPTIONS);
        cli.ok("import-subscriptions", tmp.resolve("subs.csv").toString());
        cli.ok("close-period", "--period", "2026-10");
        cli.ok("finalize", "--period", "2026-10");
        served = Served.start(db, Map.of("STRIPE_WEBHOOK_SECRET", SECRET, "BILLING_NOW", "2026-11-04T00:00:00Z"));
    }

    @AfterParameterizedClassInvocation
    void tearDown() throws Exception {
        // PER_CLASS: the same instance serves both databases, so nothing of the first may be left for the second.
        if (served != null) {
            served.close();
            served = null;
        }
        if (db != null) {
            db.close();
        }
    }

    /** Row counts of the tables the tests count, and the highest ids, when the test began. */
    final Map<String, Long> atStart = new java.util.HashMap<>();
    long lastAlert;
    long lastChange;

    @BeforeEach
    void noteWhatIsThere() {
        for (String table : List.of("subscription_changes", "subscriptions", "stripe_customers", "webhook_events")) {
            atStart.put(table, count("SELECT COUNT(*) FROM " + table));
        }
        lastAlert = count("SELECT COALESCE(MAX(id), 0) FROM alerts");
        lastChange = count("SELECT COALESCE(MAX(id), 0) FROM subscription_changes");
    }

    /** The rows of {@code table} that this test added. */
    long added(String table) {
        return count("SELECT COUNT(*) FROM " + table) - atStart.get(table);
    }

    /** {@code alerts --json} (with these arguments), only the alerts raised during this test. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> newAlerts(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("alerts"));
        command.addAll(List.of(args));
        command.add("--json");
        List<Map<String, Object>> alerts = (List<Map<String, Object>>) cli.ok(command.toArray(String[]::new)).json().get("alerts");
        return alerts.stream().filter(a -> ((Number) a.get("id")).longValue() > lastAlert).toList();
    }

    static long epoch(String instant) {
        return Instant.parse(instant).getEpochSecond();
    }

    static String subscriptionEvent(String id, String type, String created, String body) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"" + type + "\",\"created\":" + epoch(created)
                + ",\"data\":{\"object\":" + body + "}}";
    }

    static String subscription(String user, String customer, String status, String tier, String extra) {
        return "{\"id\":\"sub_" + user + "\",\"object\":\"subscription\",\"customer\":\"" + customer + "\",\"status\":\"" + status + "\","
                + "\"metadata\":{\"user_id\":\"" + user + "\"},\"items\":{\"object\":\"list\",\"data\":[{\"price\":{\"id\":\"price_1\","
                + "\"lookup_key\":\"" + tier + "\"}}]}" + extra + "}";
    }

    long count(String sql) {
        return db.jdbc().queryForObject(sql, Long.class);
    }

    @Test
    void anUpgradeBecomesASubscriptionChangeThatTheNextCloseRatesAndAReplayChangesNothing() throws Exception {
        String upgrade = subscriptionEvent("evt_up1", "customer.subscription.updated", "2026-11-16T00:00:00Z",
                subscription("alice", "cus_A", "active", "pro", ""));

        HttpResponse<String> first = served.send(SECRET, upgrade);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("recorded change pro for alice at 2026-11-16T00:00:00Z");
        assertThat(db.jdbc().queryForList("SELECT action || ' ' || tier || ' ' || source FROM subscription_changes WHERE user_id = 'alice' "
                + "ORDER BY effective_at", String.class)).containsExactly("subscribe starter subs.csv:2", "change pro stripe webhook evt_up1");
        assertThat(count("SELECT COUNT(*) FROM webhook_events WHERE event_id = 'evt_up1'")).isEqualTo(1);

        HttpResponse<String> replay = served.send(SECRET, upgrade);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("already handled");
        assertThat(added("subscription_changes")).isEqualTo(1);
        assertThat(added("webhook_events")).isEqualTo(1);

        // November, 30 days: starter Nov 1-16 = 29 x 15/30 = 14.50; pro Nov 16-Dec 1 = 99 x 15/30 = 49.50.
        cli.with("BILLING_NOW", "2026-12-02T00:00:00Z").ok("close-period", "--period", "2026-11");
        assertThat(db.jdbc().queryForList("SELECT tier || ' ' || amount FROM invoice_lines WHERE user_id = 'alice' AND period = '2026-11' "
                + "ORDER BY period_start", String.class)).containsExactly("starter 14.500000", "pro 49.500000");
    }

    @Test
    void aSignedEventWithAHostileUserIdIsRefusedWithAnAlertAndChangesNothing() throws Exception {
        // Each as it stands in the JSON text of metadata.user_id.
        List<String> hostile = List.of("../../x", "a,b\\\"c", "=HYPERLINK(\\\"http://e\\\")", "x".repeat(5000), "a\\nb", "a\\u0000b", " ");
        for (int i = 0; i < hostile.size(); i++) {
            String event = subscriptionEvent("evt_h" + i, "customer.subscription.updated", "2026-11-16T00:00:00Z",
                    subscription(hostile.get(i), "cus_H", "active", "pro", ""));

            HttpResponse<String> response = served.send(SECRET, event);

            assertThat(response.statusCode()).as(hostile.get(i)).isEqualTo(200);
            assertThat(response.body()).as(hostile.get(i)).contains("refused: metadata.user_id '").contains("is not a user id");
        }
        assertThat(added("subscription_changes")).isZero();
        assertThat(added("subscriptions")).isZero();
        assertThat(added("stripe_customers")).isZero();
        assertThat(db.jdbc().queryForList("SELECT event_id FROM webhook_events WHERE outcome LIKE 'refused: metadata.user_id %' ORDER BY event_id",
                String.class)).containsExactly("evt_h0", "evt_h1", "evt_h2", "evt_h3", "evt_h4", "evt_h5", "evt_h6");
        assertThat(db.jdbc().queryForList("SELECT type || ' ' || COALESCE(user_id, '-') || ' ' || source FROM alerts WHERE id > ? ORDER BY id", String.class, lastAlert))
                .containsExactly("webhook_refused - stripe webhook evt_h0", "webhook_refused - stripe webhook evt_h1",
                        "webhook_refused - stripe webhook evt_h2", "webhook_refused - stripe webhook evt_h3", "webhook_refused - stripe webhook evt_h4",
                        "webhook_refused - stripe webhook evt_h5", "webhook_refused - stripe webhook evt_h6");
        assertThat(db.jdbc().queryForObject("SELECT message FROM alerts WHERE source = 'stripe webhook evt_h0'", String.class))
                .isEqualTo("Stripe event evt_h0 not applied: metadata.user_id '../../x' is not a user id: character '/' (U+002F) at position 3 "
                        + "is not allowed (1-64 characters of [A-Za-z0-9._:@-])");
        assertThat(db.jdbc().queryForObject("SELECT message FROM alerts WHERE source = 'stripe webhook evt_h5'", String.class))
                .isEqualTo("Stripe event evt_h5 not applied: metadata.user_id 'a\\u0000b' is not a user id: character U+0000 at position 2 "
                        + "is not allowed (1-64 characters of [A-Za-z0-9._:@-])");

        // The same close as without those events: hana stays on starter for all of November, and the invoices are the
        // fixture's users' (and dave's, whom a webhook of another test may have subscribed).
        cli.with("BILLING_NOW", "2026-12-02T00:00:00Z").ok("close-period", "--period", "2026-11");
        assertThat(db.jdbc().queryForList("SELECT DISTINCT user_id FROM invoices WHERE user_id <> 'dave' ORDER BY user_id", String.class))
                .containsExactly("alice", "bea", "bob", "hana", "pia");
        assertThat(db.jdbc().queryForList("SELECT tier || ' ' || amount FROM invoice_lines WHERE user_id = 'hana' AND period = '2026-11'",
                String.class)).containsExactly("starter 29.000000");
    }

    @Test
    void aBadOrStaleSignatureIs400AndNothingIsRecorded() throws Exception {
        String event = subscriptionEvent("evt_bad", "customer.subscription.updated", "2026-11-16T00:00:00Z",
                subscription("bea", "cus_E", "active", "pro", ""));
        long now = System.currentTimeMillis() / 1000;

        assertThat(served.post(event, Served.signature("whsec_other", event, now)).statusCode()).isEqualTo(400);
        assertThat(served.post(event, Served.signature(SECRET, event, now - 301)).statusCode()).isEqualTo(400);
        assertThat(served.post(event, null).statusCode()).isEqualTo(400);
        assertThat(served.post(event.replace("pro", "business"), Served.signature(SECRET, event, now)).statusCode()).isEqualTo(400);
        assertThat(served.post("not json", Served.signature(SECRET, "not json", now)).statusCode()).isEqualTo(400);

        assertThat(added("webhook_events")).isZero();
        assertThat(Files.readString(db.home().resolve("logs/billing.log"))).doesNotContain("WEBHOOKSECRET");
        assertThat(added("subscription_changes")).isZero();
        // Within the tolerance the same event is taken.
        assertThat(served.post(event, Served.signature(SECRET, event, now - 290)).statusCode()).isEqualTo(200);
        assertThat(added("webhook_events")).isEqualTo(1);
    }

    @Test
    void aNewTrialAndACancellationAreRecordedAndTheCancellationRaisesAnAlert() throws Exception {
        String trial = subscriptionEvent("evt_t1", "customer.subscription.created", "2026-11-05T10:00:00Z",
                subscription("dave", "cus_D", "trialing", "pro", ",\"start_date\":" + epoch("2026-11-05T10:00:00Z") + ",\"trial_start\":"
                        + epoch("2026-11-05T10:00:00Z") + ",\"trial_end\":" + epoch("2026-11-19T10:00:00Z")));
        String cancel = subscriptionEvent("evt_c1", "customer.subscription.deleted", "2026-11-20T00:00:00Z",
                subscription("bob", "cus_B", "canceled", "business", ",\"ended_at\":" + epoch("2026-11-20T00:00:00Z")));

        assertThat(served.send(SECRET, trial).statusCode()).isEqualTo(200);
        assertThat(served.send(SECRET, cancel).statusCode()).isEqualTo(200);

        assertThat(db.jdbc().queryForList("SELECT user_id || ' ' || action || ' ' || tier FROM subscription_changes "
                + "WHERE source LIKE 'stripe webhook%' AND id > ? ORDER BY user_id", String.class, lastChange)).containsExactly("bob cancel ", "dave trial pro");
        assertThat(db.jdbc().queryForObject("SELECT effective_at FROM subscription_changes WHERE user_id = 'dave'", java.time.OffsetDateTime.class)
                .toInstant()).isEqualTo(Instant.parse("2026-11-05T10:00:00Z"));
        assertThat(db.jdbc().queryForObject("SELECT trial_ends_at FROM subscription_changes WHERE user_id = 'dave'", java.time.OffsetDateTime.class)
                .toInstant()).isEqualTo(Instant.parse("2026-11-19T10:00:00Z"));
        assertThat(db.jdbc().queryForObject("SELECT action FROM subscription_changes WHERE user_id = 'bob' AND source = 'stripe webhook evt_c1'",
                String.class)).isEqualTo("cancel");
        assertThat(db.jdbc().queryForObject("SELECT customer_id FROM stripe_customers WHERE user_id = 'dave'", String.class)).isEqualTo("cus_D");

        List<Map<String, Object>> alerts = newAlerts();
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a).containsEntry("type", "subscription_cancelled").containsEntry("user_id", "bob")
                .containsEntry("at", "2026-11-20T00:00:00Z").containsEntry("message", "bob cancelled at 2026-11-20T00:00:00Z (stripe webhook evt_c1)"));
        // dave's trial (Nov 5 10:00 - Nov 19 10:00) is free; pro from Nov 19 10:00 to Dec 1: 11 d 14 h = 1,000,800 s;
        // 99 x 1,000,800 / 2,592,000 = 38.225 -> 38.23 (half up).
        // bob: business Nov 1 - Nov 20: 299 x 19/30 = 189.3667 -> 189.37.
        cli.with("BILLING_NOW", "2026-12-02T00:00:00Z").ok("close-period", "--period", "2026-11");
        assertThat(db.jdbc().queryForList("SELECT user_id || ' ' || tier || ' ' || amount FROM invoice_lines WHERE period = '2026-11' "
                + "AND user_id IN ('bob', 'dave') ORDER BY user_id, period_start", String.class))
                .containsExactly("bob business 189.370000", "dave pro 38.230000");
    }

    @Test
    void paymentFailedThenPaidUpdatesOurInvoiceAndRaisesOneAlert() throws Exception {
        String lines = "\"lines\":{\"object\":\"list\",\"data\":[{\"id\":\"il_1\",\"metadata\":{\"invoice_id\":\"INV-2026-10-pia\","
                + "\"line_id\":\"x\"}}]}";
        String failed = "{\"id\":\"evt_f1\",\"object\":\"event\",\"type\":\"invoice.payment_failed\",\"created\":" + epoch("2026-11-06T00:00:00Z")
                + ",\"data\":{\"object\":{\"id\":\"in_1\",\"object\":\"invoice\",\"customer\":\"cus_P\",\"currency\":\"usd\",\"amount_due\":2900,"
                + "\"attempt_count\":1," + lines + "}}}";
        // As Stripe sends it: the customer's name, e-mail and address on the invoice, which are not kept.
        String paid = "{\"id\":\"evt_p1\",\"object\":\"event\",\"type\":\"invoice.paid\",\"created\":" + epoch("2026-11-08T00:00:00Z")
                + ",\"data\":{\"object\":{\"id\":\"in_1\",\"object\":\"invoice\",\"customer\":\"cus_P\",\"currency\":\"usd\",\"amount_due\":2900,"
                + "\"customer_email\":\"alice@payer.example\",\"customer_name\":\"Alice Payer\",\"customer_address\":{\"line1\":\"1 Payer Road\"},"
                + lines + "}}}";
        // A type the product does not use, with card details: only its id, type and time are kept.
        String charge = "{\"id\":\"evt_ch1\",\"object\":\"event\",\"type\":\"charge.succeeded\",\"created\":" + epoch("2026-11-08T00:00:00Z")
                + ",\"data\":{\"object\":{\"id\":\"ch_1\",\"object\":\"charge\",\"billing_details\":{\"name\":\"Alice Payer\"},"
                + "\"payment_method_details\":{\"card\":{\"brand\":\"visa\",\"last4\":\"4242\",\"exp_month\":12,\"exp_year\":2030}}}}}";

        assertThat(served.send(SECRET, failed).statusCode()).isEqualTo(200);
        assertThat(db.jdbc().queryForObject("SELECT status FROM invoice_payments WHERE invoice_id = 'INV-2026-10-pia'", String.class))
                .isEqualTo("payment_failed");
        assertThat(served.send(SECRET, failed).body()).contains("already handled");
        List<Map<String, Object>> alerts = newAlerts();
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a).containsEntry("type", "payment_failed").containsEntry("user_id", "pia")
                .containsEntry("invoice_id", "INV-2026-10-pia").containsEntry("at", "2026-11-06T00:00:00Z")
                .containsEntry("message", "payment failed for INV-2026-10-pia (Stripe invoice in_1, 29.00 USD due, attempt 1)"));

        assertThat(served.send(SECRET, paid).statusCode()).isEqualTo(200);
        assertThat(db.jdbc().queryForObject("SELECT status FROM invoice_payments WHERE invoice_id = 'INV-2026-10-pia'", String.class))
                .isEqualTo("paid");
        assertThat(served.send(SECRET, charge).body()).contains("ignored: charge.succeeded is not used");
        String stored = String.join("\n", db.jdbc().queryForList("SELECT payload FROM webhook_events", String.class));
        assertThat(stored).contains("\"in_1\"", "INV-2026-10-pia", "\"evt_ch1\"").doesNotContain("Alice Payer").doesNotContain("alice@payer.example")
                .doesNotContain("1 Payer Road").doesNotContain("4242").doesNotContain("visa").doesNotContain("ch_1");
        // An older failure delivered late does not undo the payment.
        String late = failed.replace("evt_f1", "evt_f0").replace(String.valueOf(epoch("2026-11-06T00:00:00Z")), String.valueOf(epoch("2026-11-07T00:00:00Z")));
        assertThat(served.send(SECRET, late).statusCode()).isEqualTo(200);
        assertThat(db.jdbc().queryForObject("SELECT status FROM invoice_payments WHERE invoice_id = 'INV-2026-10-pia'", String.class))
                .isEqualTo("paid");
        List<Map<String, Object>> recent = newAlerts("--since", "2026-11-06T12:00:00Z");
        assertThat(recent).singleElement().satisfies(a -> assertThat(a).containsEntry("type", "payment_failed")
                .containsEntry("at", "2026-11-07T00:00:00Z"));
    }
}
