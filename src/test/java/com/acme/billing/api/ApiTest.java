package com.acme.billing.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.Served;
import com.acme.billing.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * serve's /api over real HTTP, in its own JVM, on H2 and on PostgreSQL: keys, roles, tracking, limits. One database and one
 * {@code serve} per database for the whole class (starting them is most of the time); each test that changes something works
 * on users of its own (the fixture's subscriptions say whose), so no test sees another's changes, whatever the order.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {

    static final String NOW = "2026-10-20T12:00:00Z";

    /**
     * Users by test. Read only, shared: alice (starter, the "customer" key), bob (free), carol (no subscription), dave
     * (business; only featureChecks tracks his leads). Tracking: tina (starter) and tim (free). Tracked usage billed: tom
     * (starter). Plan changes: paula (starter, the "customer-paula" key), pete (free), polly (no subscription). No timestamp:
     * nora (starter). Batches tracked at once: gus (starter).
     */
    static final String SUBSCRIPTIONS = """
            user_id,effective_at,action,tier,stripe_customer_id
            alice,2026-09-01T00:00:00Z,subscribe,starter,
            bob,2026-09-01T00:00:00Z,subscribe,free,
            dave,2026-09-01T00:00:00Z,subscribe,business,
            tina,2026-09-01T00:00:00Z,subscribe,starter,
            tim,2026-09-01T00:00:00Z,subscribe,free,
            tom,2026-09-01T00:00:00Z,subscribe,starter,
            paula,2026-09-01T00:00:00Z,subscribe,starter,
            pete,2026-09-01T00:00:00Z,subscribe,free,
            nora,2026-09-01T00:00:00Z,subscribe,starter,
            gus,2026-09-01T00:00:00Z,subscribe,starter,
            """;

    /** One directory for the class's two runs (the per-test @TempDir is not there yet when the server starts). */
    @TempDir
    static Path tmpRoot;

    @Parameter
    TestDatabase.Kind kind;

    TestDatabase db;
    Cli cli;
    Served served;
    /** A second serve on the same database, started by the first test that needs it: clock with nanoseconds, 5 requests/s per customer key. */
    Served special;
    final Map<String, String> keys = new LinkedHashMap<>();

    @BeforeParameterizedClassInvocation
    void setUp() throws Exception {
        keys.clear();
        Path tmp = Files.createDirectories(tmpRoot.resolve(kind.name()));
        db = TestDatabase.create(kind, tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", NOW);
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        Files.writeString(tmp.resolve("subs.csv"), SUBSCRIPTIONS);
        cli.ok("import-subscriptions", tmp.resolve("subs.csv").toString());
        for (String role : List.of("admin", "service", "finance", "operator")) {
            keys.put(role, (String) cli.ok("api-key", "create", "--role", role, "--json").json().get("key"));
        }
        keys.put("customer", (String) cli.ok("api-key", "create", "--role", "customer", "--user", "alice", "--json").json().get("key"));
        keys.put("customer-paula", (String) cli.ok("api-key", "create", "--role", "customer", "--user", "paula", "--json").json().get("key"));
        served = Served.start(db, Map.of("BILLING_NOW", NOW));
    }

    @AfterParameterizedClassInvocation
    void tearDown() throws Exception {
        // PER_CLASS: the same instance serves both databases, so nothing of the first may be left for the second.
        if (special != null) {
            special.close();
            special = null;
        }
        if (served != null) {
            served.close();
            served = null;
        }
        if (db != null) {
            db.close();
        }
    }

    private Served special() throws Exception {
        if (special == null) {
            special = Served.start(db, Map.of("BILLING_NOW", "2026-10-20T12:00:00.123456789Z", "BILLING_API_RATELIMIT_CUSTOMER", "5"));
        }
        return special;
    }

    private static String event(String id, String user, String metric, long quantity) {
        return "{\"event_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"metric\":\"" + metric + "\",\"quantity\":" + quantity
                + ",\"timestamp\":\"2026-10-20T11:00:00Z\"}";
    }

    /** The highest seq of tracked_events so far (0: none): what a test tracks after this call has higher ones. */
    private long lastSeq() {
        return db.jdbc().queryForObject("SELECT COALESCE(MAX(seq), 0) FROM tracked_events", Long.class);
    }

    /** SPEC 8's role table, endpoint by endpoint: 403 where the role may not, the endpoint's own answer where it may. */
    @Test
    void everyRoleReachesExactlyItsEndpoints() throws Exception {
        record Call(String method, String path, String body) {
        }
        List<Call> calls = List.of(new Call("POST", "/api/usage/track", "{\"events\":[]}"),
                new Call("GET", "/api/usage/limits?user_id=alice", null),
                new Call("GET", "/api/features/available?user_id=alice", null),
                new Call("GET", "/api/analytics?period=2026-10", null));
        // What each role gets: 400 is the tracking endpoint refusing the empty batch, i.e. the role passed; 404 is
        // analytics not run for the month yet, also past the role check.
        Map<String, List<Integer>> expected = Map.of(
                "admin", List.of(400, 200, 200, 404),
                "service", List.of(400, 200, 200, 403),
                "finance", List.of(403, 403, 403, 404),
                "operator", List.of(403, 200, 200, 404),
                "customer", List.of(403, 200, 200, 403));
        for (var role : expected.entrySet()) {
            List<Integer> got = new ArrayList<>();
            for (Call call : calls) {
                got.add(served.api(call.method(), call.path(), keys.get(role.getKey()), call.body()).statusCode());
            }
            assertThat(got).as(role.getKey()).isEqualTo(role.getValue());
        }
        HttpResponse<String> noKey = served.api("GET", "/api/usage/limits?user_id=alice", null, null);
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.body()).startsWith("{\"error\":\"unauthorized\"");
        assertThat(served.api("GET", "/api/usage/limits?user_id=alice", "bk_" + "x".repeat(43), null).statusCode()).isEqualTo(401);

        HttpResponse<String> otherUser = served.api("GET", "/api/usage/limits?user_id=bob", keys.get("customer"), null);
        assertThat(otherUser.statusCode()).isEqualTo(403);
        assertThat(otherUser.body()).isEqualTo("{\"error\":\"forbidden\",\"details\":[\"this customer key acts for user alice only\"]}");

        // A key revoked by the command line is refused (it was never used, so no answer about it is cached).
        String spare = (String) cli.ok("api-key", "create", "--role", "service", "--json").json().get("key");
        long spareId = db.jdbc().queryForObject("SELECT MAX(key_id) FROM api_keys", Long.class);
        cli.ok("api-key", "revoke", Long.toString(spareId));
        assertThat(served.api("GET", "/api/usage/limits?user_id=alice", spare, null).statusCode()).isEqualTo(401);

        // The OpenAPI document needs no key and lists every endpoint with the error answers.
        HttpResponse<String> docs = served.api("GET", "/v3/api-docs", null, null);
        assertThat(docs.statusCode()).isEqualTo(200);
        for (String path : List.of("/api/usage/track", "/api/usage/current", "/api/usage/limits", "/api/features/available", "/api/features/check",
                "/api/billing/subscribe", "/api/billing/upgrade", "/api/billing/downgrade", "/api/billing/cancel", "/api/billing/subscription",
                "/api/billing/invoices", "/api/billing/invoices/{file}")) {
            assertThat(docs.body()).contains("\"" + path + "\":{");
        }
        assertThat(docs.body()).contains("\"409\":{\"description\":\"a change the rules refuse, or a conflicting duplicate event\"")
                .contains("\"TrackEvent\":{").contains("\"event_id\":{");

        // Started without STRIPE_WEBHOOK_SECRET: the API works, the webhook says it cannot verify anything.
        assertThat(served.post("{}", null).statusCode()).isEqualTo(503);

        HttpResponse<String> unknownPath = served.api("GET", "/api/nothing", keys.get("admin"), null);
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(unknownPath.body()).isEqualTo("{\"error\":\"not_found\",\"details\":[\"/api/nothing\"]}");
    }

    @Test
    void trackedEventsAreCommittedBeforeTheAnswerAndDedupedByEventId() throws Exception {
        String service = keys.get("service");
        // Exactly what this test stores (the class shares one database): the rows after the highest seq before it.
        long before = lastSeq();
        java.util.function.LongSupplier tracked = () -> db.jdbc().queryForObject("SELECT COUNT(*) FROM tracked_events WHERE seq > ?",
                Long.class, before);
        HttpResponse<String> one = served.api("POST", "/api/usage/track", service, event("e1", "tina", "ai_responses", 3));
        assertThat(one.statusCode()).isEqualTo(202);
        assertThat(one.body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        assertThat(db.jdbc().queryForMap("SELECT event_id, ts_us, yyyymm, user_id, metric, quantity FROM tracked_events "
                + "WHERE seq > ?", before))
                .extractingByKeys("EVENT_ID", "TS_US", "YYYYMM", "USER_ID", "METRIC", "QUANTITY")
                .containsExactly("e1", 1792494000000000L, 202610, "tina", "ai_responses", 3L);

        // A batch: a repeat of e1 (same content, a duplicate), a new event, and the new one again in the batch.
        HttpResponse<String> batch = served.api("POST", "/api/usage/track", service, "{\"events\":[" + event("e1", "tina", "ai_responses", 3)
                + "," + event("e2", "tim", "leads_created", 7) + "," + event("e2", "tim", "leads_created", 7) + "]}");
        assertThat(batch.statusCode()).isEqualTo(202);
        assertThat(batch.body()).isEqualTo("{\"accepted\":1,\"duplicates\":2}");
        assertThat(tracked.getAsLong()).isEqualTo(2);

        // The same id with other content: 409, and nothing of the batch is stored.
        HttpResponse<String> conflict = served.api("POST", "/api/usage/track", service, "{\"events\":[" + event("e3", "tina", "ai_responses", 1)
                + "," + event("e1", "tina", "ai_responses", 4) + "]}");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.body()).isEqualTo("{\"error\":\"conflicting_duplicate\",\"details\":[{\"index\":1,\"reason\":\"conflicting_duplicate\"}]}");
        assertThat(tracked.getAsLong()).isEqualTo(2);

        // Ids each once in the batch, one of them tracked before with the same content: the new one stored, the other a
        // duplicate (the batch is first inserted as it is; the unique index refuses e2, and the batch is then decided id by id).
        HttpResponse<String> repeat = served.api("POST", "/api/usage/track", service, "{\"events\":[" + event("e3", "tina", "ai_responses", 1)
                + "," + event("e2", "tim", "leads_created", 7) + "]}");
        assertThat(repeat.statusCode()).isEqualTo(202);
        assertThat(repeat.body()).isEqualTo("{\"accepted\":1,\"duplicates\":1}");
        assertThat(db.jdbc().queryForList("SELECT event_id FROM tracked_events WHERE seq > ? ORDER BY event_id", String.class, before))
                .containsExactly("e1", "e2", "e3");

        // A retry without the timestamp (the server's "now", 12:00, is not e1's 11:00) says nothing of the time: a
        // duplicate, not a conflict; other content without a timestamp still conflicts.
        String e1WithoutTimestamp = "{\"event_id\":\"e1\",\"user_id\":\"tina\",\"metric\":\"ai_responses\",\"quantity\":3}";
        HttpResponse<String> retry = served.api("POST", "/api/usage/track", service, e1WithoutTimestamp);
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.body()).isEqualTo("{\"accepted\":0,\"duplicates\":1}");
        HttpResponse<String> otherQuantity = served.api("POST", "/api/usage/track", service, e1WithoutTimestamp.replace(":3}", ":4}"));
        assertThat(otherQuantity.statusCode()).isEqualTo(409);
        assertThat(otherQuantity.body()).isEqualTo("{\"error\":\"conflicting_duplicate\",\"details\":[{\"index\":0,\"reason\":\"conflicting_duplicate\"}]}");
        HttpResponse<String> otherTime = served.api("POST", "/api/usage/track", service, e1WithoutTimestamp.replace("}", ",\"timestamp\":\"2026-10-20T12:00:00Z\"}"));
        assertThat(otherTime.statusCode()).as("the same event at a time given, other than the one stored").isEqualTo(409);
        assertThat(db.jdbc().queryForMap("SELECT ts_us, quantity FROM tracked_events WHERE event_id = 'e1'"))
                .extractingByKeys("TS_US", "QUANTITY").containsExactly(1792494000000000L, 3L);

        // Bad events: every one named with its first problem, none stored.
        HttpResponse<String> bad = served.api("POST", "/api/usage/track", service, "{\"events\":[" + event("e4", "ti na", "ai_responses", 1)
                + "," + event("e5", "tina", "ai_responses", 1) + "," + event("e6", "tina", "tweets", 1)
                + ",{\"event_id\":\"e7\",\"user_id\":\"tina\",\"metric\":\"ai_responses\",\"quantity\":1,\"colour\":\"red\"}"
                + ",{\"event_id\":\"e8\",\"user_id\":\"tina\",\"metric\":\"ai_responses\",\"quantity\":1.5}]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("{\"error\":\"invalid_events\",\"details\":[{\"index\":0,\"reason\":\"bad_user_id\"},"
                + "{\"index\":2,\"reason\":\"unknown_metric\"},{\"index\":3,\"reason\":\"unknown field 'colour'\"},"
                + "{\"index\":4,\"reason\":\"bad_quantity\"}]}");
        assertThat(tracked.getAsLong()).isEqualTo(3);

        HttpResponse<String> malformed = served.api("POST", "/api/usage/track", service, "{\"event_id\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).isEqualTo("{\"error\":\"bad_request\",\"details\":[\"the body is not valid JSON\"]}");

        StringBuilder many = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append(event("m" + i, "tina", "ai_responses", 1));
        }
        HttpResponse<String> tooMany = served.api("POST", "/api/usage/track", service, many.append("]}").toString());
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("events: at most 1000 events, got 1001");

        HttpResponse<String> huge = served.api("POST", "/api/usage/track", service, "{\"events\":[" + " ".repeat(1 << 20) + "]}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.body()).isEqualTo("{\"error\":\"payload_too_large\",\"details\":[\"the body is over 1 MiB (1,048,576 bytes)\"]}");
        assertThat(tracked.getAsLong()).isEqualTo(3);
    }

    /**
     * Batches that arrive together are each decided on their own: 8 clients send 20 batches each at once; every batch
     * holds 10 ids of its own and the same 10 shared ids as every other client's batch of that round, so that batches
     * holding the same new id arrive together (the first stores it, the others find it a duplicate); client 0's
     * batches of odd rounds also hold a shared id with other content, so they conflict (409) and store nothing.
     */
    @Test
    void batchesTrackedAtOnceAreEachDecidedOnTheirOwn() throws Exception {
        String service = keys.get("service");
        long before = lastSeq();
        int clients = 8;
        int rounds = 20;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(clients);
        List<java.util.concurrent.Future<List<HttpResponse<String>>>> sent = new java.util.ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            sent.add(pool.submit(() -> {
                List<HttpResponse<String>> answers = new java.util.ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    StringBuilder body = new StringBuilder("{\"events\":[");
                    for (int i = 0; i < 10; i++) {
                        body.append(event("gc-" + round + "-shared-" + i, "gus", "ai_responses", 1)).append(',');
                        body.append(event("gc-" + round + "-" + client + "-" + i, "gus", "leads_created", 2)).append(',');
                    }
                    boolean conflicting = client == 0 && round % 2 == 1;
                    body.append(event("gc-" + round + "-shared-0", "gus", "ai_responses", conflicting ? 5 : 1)).append("]}");
                    together.await();
                    answers.add(served.api("POST", "/api/usage/track", service, body.toString()));
                }
                return answers;
            }));
        }
        long accepted = 0;
        long duplicates = 0;
        for (int c = 0; c < clients; c++) {
            List<HttpResponse<String>> answers = sent.get(c).get(120, java.util.concurrent.TimeUnit.SECONDS);
            for (int round = 0; round < rounds; round++) {
                HttpResponse<String> answer = answers.get(round);
                if (c == 0 && round % 2 == 1) {
                    assertThat(answer.statusCode()).as("client 0, round " + round).isEqualTo(409);
                    assertThat(answer.body()).isEqualTo("{\"error\":\"conflicting_duplicate\",\"details\":[{\"index\":20,\"reason\":\"conflicting_duplicate\"}]}");
                    continue;
                }
                assertThat(answer.statusCode()).as("client " + c + ", round " + round + ": " + answer.body()).isEqualTo(202);
                Map<String, Object> counts = new tools.jackson.databind.ObjectMapper().readValue(answer.body(), Map.class);
                accepted += ((Number) counts.get("accepted")).longValue();
                duplicates += ((Number) counts.get("duplicates")).longValue();
            }
        }
        pool.shutdown();
        // Stored: per round the 10 shared ids once, and 10 ids of each client whose batch was not refused.
        long stored = rounds * 10L + (clients * rounds - rounds / 2) * 10L;
        assertThat(accepted).isEqualTo(stored);
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM tracked_events WHERE seq > ?", Long.class, before)).isEqualTo(stored);
        assertThat(db.jdbc().queryForObject("SELECT COUNT(DISTINCT event_id) FROM tracked_events WHERE seq > ?", Long.class, before)).isEqualTo(stored);
        // Every accepted batch sent 21 events: what it did not store new was a duplicate (the repeat of shared-0 at least).
        assertThat(accepted + duplicates).isEqualTo((clients * rounds - rounds / 2) * 21L);
        // The refused batches' own ids were not stored.
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM tracked_events WHERE seq > ? AND event_id LIKE 'gc-%-0-%'", Long.class, before))
                .isEqualTo(rounds / 2 * 10L);
        assertThat(db.jdbc().queryForObject("SELECT SUM(quantity) FROM tracked_events WHERE seq > ? AND metric = 'ai_responses'", Long.class, before))
                .isEqualTo(rounds * 10L);
        assertTrackedUsageSumsTheUnmovedEvents();
    }

    /** {@code tracked_usage} (V29) holds, row for row, the sums of the tracked events not moved yet. */
    private void assertTrackedUsageSumsTheUnmovedEvents() {
        String byRow = " ORDER BY yyyymm, user_id, metric";
        List<Map<String, Object>> unmoved = db.jdbc().queryForList("SELECT yyyymm, user_id, metric, CAST(SUM(quantity) AS BIGINT) AS quantity FROM tracked_events "
                + "WHERE moved_sha256 IS NULL GROUP BY yyyymm, user_id, metric" + byRow);
        assertThat(unmoved).isNotEmpty();
        assertThat(db.jdbc().queryForList("SELECT yyyymm, user_id, metric, quantity FROM tracked_usage WHERE quantity <> 0" + byRow))
                .isEqualTo(unmoved);
    }

    @Test
    void limitsAndFeaturesComeFromTheUsersTierInTheCatalog() throws Exception {
        HttpResponse<String> limits = served.api("GET", "/api/usage/limits", keys.get("customer"), null);
        assertThat(limits.statusCode()).isEqualTo(200);
        assertThat(limits.body()).isEqualTo("{\"user_id\":\"alice\",\"tier\":\"starter\",\"limits\":{"
                + "\"emails_processed\":{\"limit\":5000,\"hard\":false,\"overage\":\"at 0.004 each\"},"
                + "\"ai_responses\":{\"limit\":500,\"hard\":false,\"overage\":\"packages of 100 at 2.5\"},"
                + "\"leads_created\":{\"limit\":200,\"hard\":false,\"overage\":\"graduated\"}}}");
        HttpResponse<String> free = served.api("GET", "/api/features/available?user_id=bob", keys.get("service"), null);
        assertThat(free.body()).isEqualTo("{\"tier\":\"free\",\"features\":[{\"name\":\"inbox_triage\",\"enabled\":true,\"metric\":null,\"usage_limit\":null}]}");
        assertThat(served.api("GET", "/api/usage/limits?user_id=nobody", keys.get("service"), null).statusCode()).isEqualTo(404);
        assertThat(served.api("GET", "/api/features/available?tier=gold", keys.get("service"), null).body())
                .isEqualTo("{\"error\":\"bad_request\",\"details\":[\"tier: no tier 'gold' in the catalog\"]}");
    }

    /** SPEC 8: an acknowledged event counts at once, moves into the event store with the next command that reads usage, and is billed once. */
    @Test
    void trackedUsageCountsAtOnceAndIsBilledOnceByTheNextClose() throws Exception {
        String service = keys.get("service");
        // What other tests of the class tracked is moved first (any command reading usage does it), so that the close
        // below has exactly this test's one event to move.
        cli.ok("usage", "--period", "2026-10", "--json");
        assertThat(served.api("POST", "/api/usage/track", service, event("big", "tom", "ai_responses", 600)).statusCode()).isEqualTo(202);
        assertThat(db.jdbc().queryForList("SELECT quantity FROM tracked_usage WHERE user_id = 'tom'", Long.class)).containsExactly(600L);
        String expected = "{\"user_id\":\"tom\",\"period\":\"2026-10\",\"tier\":\"starter\",\"status\":\"active\",\"metrics\":["
                + "{\"metric\":\"emails_processed\",\"used\":0,\"included\":5000,\"remaining\":5000,\"percent\":0.0,\"hard_limit\":false,\"over\":false},"
                + "{\"metric\":\"ai_responses\",\"used\":600,\"included\":500,\"remaining\":0,\"percent\":120.0,\"hard_limit\":false,\"over\":true},"
                + "{\"metric\":\"leads_created\",\"used\":0,\"included\":200,\"remaining\":200,\"percent\":0.0,\"hard_limit\":false,\"over\":false}]}";
        assertThat(served.api("GET", "/api/usage/current?user_id=tom", service, null).body()).isEqualTo(expected);

        // close-period moves the tracked event into the event store first, then bills it: 29.00 + one package of 100 at 2.50.
        Cli.Result closed = cli.ok("close-period", "--period", "2026-10", "--json");
        assertThat(closed.out()).contains("moved 1 event(s) tracked online into the event store: 1 new, 0 duplicates, 0 rejected");
        assertThat(db.jdbc().queryForObject("SELECT total FROM invoices WHERE invoice_id = 'INV-2026-10-tom'", java.math.BigDecimal.class))
                .isEqualByComparingTo("31.50");
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM tracked_events WHERE moved_sha256 IS NULL", Long.class)).isZero();
        assertThat(db.jdbc().queryForList("SELECT quantity FROM tracked_usage WHERE user_id = 'tom'", Long.class)).containsExactly(0L);

        // Counted once: from usage_metrics now, not from the tracked table as well.
        assertThat(served.api("GET", "/api/usage/current?user_id=tom", service, null).body()).isEqualTo(expected);
        // The same event again is still a duplicate at the API, and a second close bills the same.
        assertThat(served.api("POST", "/api/usage/track", service, event("big", "tom", "ai_responses", 600)).body())
                .isEqualTo("{\"accepted\":0,\"duplicates\":1}");
        assertThat(cli.ok("close-period", "--period", "2026-10", "--json").out()).doesNotContain("moved");
        assertThat(db.jdbc().queryForObject("SELECT total FROM invoices WHERE invoice_id = 'INV-2026-10-tom'", java.math.BigDecimal.class))
                .isEqualByComparingTo("31.50");

        assertThat(served.api("GET", "/api/usage/current?user_id=nobody", service, null).statusCode()).isEqualTo(404);
        assertThat(served.api("GET", "/api/usage/current?user_id=tom&period=2026-13", service, null).body())
                .isEqualTo("{\"error\":\"bad_request\",\"details\":[\"period: not a month YYYY-MM\"]}");
    }

    /** SPEC 8: plan changes are subscription changes at the request's instant, refused (409) against the rules, billed by the next close. */
    @Test
    void planChangesBecomeSubscriptionChangesBilledByTheNextClose() throws Exception {
        String service = keys.get("service");
        HttpResponse<String> up = served.api("PUT", "/api/billing/upgrade", keys.get("customer-paula"), "{\"tier\":\"pro\"}");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).isEqualTo("{\"user_id\":\"paula\",\"tier\":\"pro\",\"status\":\"active\",\"since\":\"2026-10-20T12:00:00Z\",\"trial_ends\":null}");
        assertThat(served.api("PUT", "/api/billing/upgrade", service, "{\"user_id\":\"paula\",\"tier\":\"pro\"}").body())
                .isEqualTo("{\"error\":\"conflict\",\"details\":[\"pro (99.00 a month) is not above pro (99.00): use downgrade\"]}");
        assertThat(served.api("PUT", "/api/billing/downgrade", service, "{\"user_id\":\"paula\",\"tier\":\"business\"}").statusCode()).isEqualTo(409);
        assertThat(served.api("PUT", "/api/billing/upgrade", keys.get("operator"), "{\"user_id\":\"paula\",\"tier\":\"business\"}").statusCode())
                .isEqualTo(403);
        assertThat(served.api("PUT", "/api/billing/upgrade", service, "{\"user_id\":\"paula\",\"tier\":\"gold\"}").body())
                .startsWith("{\"error\":\"bad_request\",\"details\":[\"tier: no tier 'gold' in the catalog");
        assertThat(served.api("PUT", "/api/billing/upgrade", service, "{\"user_id\":\"paula\",\"tier\":7}").body())
                .isEqualTo("{\"error\":\"bad_request\",\"details\":[\"tier: a string\"]}");

        assertThat(served.api("DELETE", "/api/billing/cancel?user_id=pete", service, null).body())
                .isEqualTo("{\"user_id\":\"pete\",\"tier\":null,\"status\":\"cancelled\",\"since\":\"2026-10-20T12:00:00Z\",\"trial_ends\":null}");
        assertThat(served.api("DELETE", "/api/billing/cancel?user_id=pete", service, null).statusCode()).isEqualTo(409);

        HttpResponse<String> trial = served.api("POST", "/api/billing/subscribe", service, "{\"user_id\":\"polly\",\"tier\":\"starter\",\"trial\":true}");
        assertThat(trial.statusCode()).isEqualTo(201);
        assertThat(trial.body()).isEqualTo("{\"user_id\":\"polly\",\"tier\":\"starter\",\"status\":\"trial\",\"since\":\"2026-10-20T12:00:00Z\","
                + "\"trial_ends\":\"2026-11-03T12:00:00Z\"}");
        assertThat(served.api("POST", "/api/billing/subscribe", service, "{\"user_id\":\"polly\",\"tier\":\"pro\"}").statusCode()).isEqualTo(409);

        assertThat(served.api("GET", "/api/billing/subscription?user_id=paula", keys.get("finance"), null).body())
                .isEqualTo("{\"user_id\":\"paula\",\"tier\":\"pro\",\"status\":\"active\",\"since\":\"2026-10-20T12:00:00Z\",\"trial_ends\":null,"
                        + "\"changes\":[{\"effective_at\":\"2026-09-01T00:00:00Z\",\"action\":\"subscribe\",\"tier\":\"starter\"},"
                        + "{\"effective_at\":\"2026-10-20T12:00:00Z\",\"action\":\"change\",\"tier\":\"pro\"}]}");

        // October for paula: starter for 19.5 of 31 days (29 x 19.5 / 31 = 18.24), pro for 11.5 (99 x 11.5 / 31 = 36.73).
        cli.ok("close-period", "--period", "2026-10");
        assertThat(db.jdbc().queryForObject("SELECT total FROM invoices WHERE invoice_id = 'INV-2026-10-paula'", java.math.BigDecimal.class))
                .isEqualByComparingTo("54.97");

        // Her invoices and the statement, rendered on demand (the reports job has not run); others' are not hers to see.
        assertThat(served.api("GET", "/api/billing/invoices", keys.get("customer-paula"), null).body()).isEqualTo("{\"invoices\":[{\"invoice_id\":"
                + "\"INV-2026-10-paula\",\"period\":\"2026-10\",\"status\":\"draft\",\"total\":54.97,\"currency\":\"USD\","
                + "\"pdf\":\"/api/billing/invoices/INV-2026-10-paula.pdf\"}]}");
        HttpResponse<String> pdf = served.api("GET", "/api/billing/invoices/INV-2026-10-paula.pdf", keys.get("customer-paula"), null);
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).contains("application/pdf");
        assertThat(pdf.body()).startsWith("%PDF-");
        assertThat(served.api("GET", "/api/billing/invoices/INV-2026-10-dave.pdf", keys.get("customer-paula"), null).statusCode()).isEqualTo(404);
        assertThat(served.api("GET", "/api/billing/invoices/INV-2026-10-dave.pdf", keys.get("finance"), null).statusCode()).isEqualTo(200);
        assertThat(served.api("GET", "/api/billing/invoices?user_id=paula", keys.get("service"), null).statusCode()).isEqualTo(403);

        // An admin key's plan changes are audited (SPEC 11), refusals too; the service's and the customer's above are not.
        assertThat(served.api("PUT", "/api/billing/downgrade", keys.get("admin"), "{\"user_id\":\"polly\",\"tier\":\"free\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = served.api("PUT", "/api/billing/upgrade", keys.get("admin"), "{\"user_id\":\"polly\",\"tier\":\"free\"}");
        assertThat(refused.statusCode()).isEqualTo(409);
        String reason = refused.body().replaceAll("^.*\"details\":\\[\"(.*)\"\\]}$", "$1");
        // The log names polly by reference only (audit_user_refs): rows that cannot change must outlive an erase.
        long adminKeyId = db.jdbc().queryForObject("SELECT key_id FROM api_keys WHERE role = 'admin'", Long.class);
        String polly = "user-ref:" + db.jdbc().queryForObject("SELECT ref FROM audit_user_refs WHERE user_id = 'polly'", String.class);
        assertThat(db.jdbc().queryForList("SELECT actor_kind, actor, action, subject, outcome, reason, details FROM audit_log WHERE action LIKE 'plan.%' ORDER BY seq")
                .stream().map(r -> r.values().stream().map(v -> v == null ? null : v.toString()).toList()).toList())
                .containsExactly(
                        java.util.Arrays.asList("api", "key " + adminKeyId, "plan.downgrade", polly, "ok", null, "{\"tier\":\"free\"}"),
                        java.util.Arrays.asList("api", "key " + adminKeyId, "plan.upgrade", polly, "refused", reason.replace("polly", polly), "{\"tier\":\"free\"}"));
    }

    /** SPEC 8's feature gate: tier, feature_metrics and the month's usage against a hard limit. */
    @Test
    void featureChecksFollowTheTierAndStopAtAHardLimit() throws Exception {
        String service = keys.get("service");
        assertThat(check("alice", "ai_replies")).isEqualTo("{\"allowed\":true,\"reason\":\"ok\",\"tier\":\"starter\"}");
        assertThat(check("bob", "ai_replies")).isEqualTo("{\"allowed\":false,\"reason\":\"not_in_tier\",\"tier\":\"free\"}");
        assertThat(check("carol", "ai_replies")).isEqualTo("{\"allowed\":false,\"reason\":\"no_subscription\",\"tier\":null}");
        // business: leads_created has no overage rule, so lead_capture stops at its 5,000 included leads (a whole month here).
        assertThat(served.api("POST", "/api/usage/track", service, event("d1", "dave", "leads_created", 4999)).statusCode()).isEqualTo(202);
        assertThat(check("dave", "lead_capture")).isEqualTo("{\"allowed\":true,\"reason\":\"ok\",\"tier\":\"business\"}");
        assertThat(served.api("POST", "/api/usage/track", service, event("d2", "dave", "leads_created", 1)).statusCode()).isEqualTo(202);
        assertThat(check("dave", "lead_capture")).isEqualTo("{\"allowed\":false,\"reason\":\"limit_reached\",\"tier\":\"business\"}");
        assertThat(check("dave", "crm_sync")).isEqualTo("{\"allowed\":true,\"reason\":\"ok\",\"tier\":\"business\"}");
        assertThat(check("dave", "teleport")).isEqualTo("{\"error\":\"bad_request\",\"details\":[\"feature: no tier offers 'teleport'\"]}");

        assertThat(served.api("GET", "/api/features/available?tier=starter", service, null).body()).isEqualTo("{\"tier\":\"starter\",\"features\":["
                + "{\"name\":\"inbox_triage\",\"enabled\":true,\"metric\":null,\"usage_limit\":null},"
                + "{\"name\":\"ai_replies\",\"enabled\":true,\"metric\":\"ai_responses\",\"usage_limit\":500},"
                + "{\"name\":\"lead_capture\",\"enabled\":true,\"metric\":\"leads_created\",\"usage_limit\":200}]}");
    }

    private String check(String user, String feature) throws Exception {
        return served.api("POST", "/api/features/check", keys.get("service"), "{\"user_id\":\"" + user + "\",\"feature\":\"" + feature + "\"}").body();
    }

    /** Found by the README walk-through: a clock with nanoseconds gave events without a timestamp a refused one. */
    @Test
    void anEventWithoutTimestampTakesNowToTheMicrosecond() throws Exception {
        HttpResponse<String> tracked = special().api("POST", "/api/usage/track", keys.get("service"),
                "{\"event_id\":\"now-1\",\"user_id\":\"nora\",\"metric\":\"ai_responses\",\"quantity\":2}");
        assertThat(tracked.body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        assertThat(db.jdbc().queryForObject("SELECT ts_us FROM tracked_events WHERE event_id = 'now-1'", Long.class)).isEqualTo(1792497600123456L);
    }

    /** Per key, a bucket of one second's worth (here 5 for customer keys): beyond it 429 with Retry-After; other keys are not affected. */
    @Test
    void aKeyOverItsRateIsRefusedWith429AndRetryAfter() throws Exception {
        Served limited = special();
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> refused = null;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> answer = limited.api("GET", "/api/usage/limits", keys.get("customer"), null);
            statuses.add(answer.statusCode());
            if (answer.statusCode() == 429 && refused == null) {
                refused = answer;
            }
        }
        assertThat(statuses.subList(0, 5)).containsOnly(200);
        assertThat(statuses).contains(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.body()).isEqualTo("{\"error\":\"rate_limited\",\"details\":[\"more than 5 requests per second for this key\"]}");
        assertThat(limited.api("GET", "/api/usage/limits?user_id=alice", keys.get("service"), null).statusCode()).isEqualTo(200);
    }
}
