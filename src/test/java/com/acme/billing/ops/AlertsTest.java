package com.acme.billing.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.October;
import com.acme.billing.support.Served;
import com.acme.billing.support.TestDatabase;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alerts of SPEC 10 on H2 and PostgreSQL: limit alerts where usage is recorded (ingest, and serve's
 * track), once per user, metric and month; cancellations; delivery through the outbox to a local webhook
 * receiver that refuses at first (signed bodies, retries, each alert accepted once, a delivery that fails
 * for good listed with its error) and to GreenMail; {@code /api/ops/alerts}, {@code /actuator/health}
 * and {@code /actuator/prometheus}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class AlertsTest {

    static final String SECRET = "whsec_alerts_test";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path tmp;

    @Parameter
    TestDatabase.Kind kind;

    TestDatabase db;
    Receiver hook;

    /** A webhook endpoint: answers 500 "down" until told to accept; keeps every request. */
    static final class Receiver implements AutoCloseable {
        record Request(String signature, String body, boolean accepted) {
        }

        final HttpServer server;
        final AtomicBoolean accept = new AtomicBoolean();
        final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

        Receiver() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/alerts", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean ok = accept.get();
                requests.add(new Request(exchange.getRequestHeaders().getFirst("Billing-Signature"), body, ok));
                byte[] answer = (ok ? "thanks" : "down").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(ok ? 200 : 500, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
        }

        List<Request> accepted() {
            synchronized (requests) {
                return requests.stream().filter(Request::accepted).toList();
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create(kind, tmp.resolve("home"));
        hook = new Receiver();
    }

    @AfterEach
    void tearDown() {
        hook.close();
        db.close();
    }

    Map<String, String> alertSettings() {
        Map<String, String> env = new HashMap<>();
        env.put("BILLING_NOW", "2026-10-20T00:00:00Z");
        env.put("BILLING_ALERTS_WEBHOOK_URL", hook.url());
        env.put("BILLING_ALERTS_WEBHOOK_SECRET", SECRET);
        env.put("BILLING_ALERTS_RETRY_INITIAL", "PT0S");
        env.put("BILLING_ALERTS_MAIL_TO", "ops@example.com");
        env.put("SPRING_MAIL_HOST", "127.0.0.1");
        env.put("SPRING_MAIL_PORT", Integer.toString(mail.getSmtp().getPort()));
        return env;
    }

    Cli cli() {
        Cli cli = db.cli();
        for (Map.Entry<String, String> e : alertSettings().entrySet()) {
            cli = cli.with(e.getKey(), e.getValue());
        }
        return cli;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alerts(Cli cli) {
        return (List<Map<String, Object>>) cli.ok("alerts", "--json").json().get("alerts");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> webhook(Map<String, Object> alert) {
        return ((List<Map<String, Object>>) alert.get("deliveries")).stream().filter(d -> d.get("channel").equals("webhook")).findFirst().orElseThrow();
    }

    void ingest(Cli cli, String name, String lines) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, "event_id,timestamp,user_id,metric,quantity\n" + lines);
        cli.ok("ingest", file.toString());
    }

    @Test
    void limitAndCancellationAlertsAreRaisedOnceAndDeliveredSignedByWebhookAndMailAfterRetries() throws Exception {
        Cli cli = cli();
        October.subscriptions(cli, tmp);
        // alice: starter all month, 5,000 emails included: 4,000 is 80.0 % exactly. carol: pro (trial 1-14 October, paid from the
        // 15th): 1,000 x 14/31 = 451.6 -> 452 plus 1,000 x 17/31 = 548.4 -> 548 leads included; 1,500 jumps past both thresholds.
        ingest(cli, "usage-1.csv", """
                e1,2026-10-05T10:00:00Z,alice,emails_processed,4000
                e2,2026-10-05T10:00:00Z,alice,ai_responses,100
                e3,2026-10-06T10:00:00Z,carol,leads_created,1500
                """);
        // alice's month passes 100 %: limit_reached, and no second warning.
        ingest(cli, "usage-2.csv", "e4,2026-10-07T10:00:00Z,alice,emails_processed,1000\n");
        Files.writeString(tmp.resolve("cancel.csv"), "user_id,effective_at,action,tier,stripe_customer_id\nbob,2026-10-18T00:00:00Z,cancel,,\n");
        cli.ok("import-subscriptions", tmp.resolve("cancel.csv").toString());
        cli.ok("import-subscriptions", tmp.resolve("cancel.csv").toString()); // known already: no second alert

        List<Map<String, Object>> alerts = alerts(cli);
        assertThat(alerts).extracting(a -> a.get("type") + " " + a.get("user_id") + " " + a.get("metric") + " " + a.get("period") + " " + a.get("at"))
                .containsExactly( // by instant: the cancel took effect on the 18th; the limits were seen "now", the 20th
                        "subscription_cancelled bob null null 2026-10-18T00:00:00Z",
                        "limit_warning alice emails_processed 2026-10 2026-10-20T00:00:00Z",
                        "limit_warning carol leads_created 2026-10 2026-10-20T00:00:00Z",
                        "limit_reached carol leads_created 2026-10 2026-10-20T00:00:00Z",
                        "limit_reached alice emails_processed 2026-10 2026-10-20T00:00:00Z");
        assertThat(alerts).extracting(a -> a.get("message")).containsExactly(
                "bob cancelled at 2026-10-18T00:00:00Z (cancel.csv:2)",
                "alice used 4,000 of 5,000 emails_processed included in 2026-10 (80.0 %)",
                "carol used 1,500 of 1,000 leads_created included in 2026-10 (150.0 %)",
                "carol used 1,500 of 1,000 leads_created included in 2026-10 (150.0 %)",
                "alice used 5,000 of 5,000 emails_processed included in 2026-10 (100.0 %)");

        // The receiver is down: each command ended with one try (a channel that fails is left for the next pass), the
        // first alert's delivery is retried every time (retry-initial 0 s), the others wait; e-mail went out at once.
        int failures = hook.requests.size();
        assertThat(failures).isEqualTo(5); // ingest, ingest, import, import, alerts: one try each
        // (deliveries go in the order the alerts were raised: alice's warning first)
        assertThat(webhook(alerts.get(1))).containsEntry("status", "pending").containsEntry("attempts", 4).containsEntry("last_error", "HTTP 500: down");
        assertThat(List.of(alerts.get(0), alerts.get(2), alerts.get(3), alerts.get(4))).allSatisfy(a -> assertThat(webhook(a)).containsEntry("status", "pending").containsEntry("attempts", 0));

        // The receiver is back: everything is delivered, each alert accepted once, signed with the secret.
        hook.accept.set(true);
        Cli.Result delivered = cli.ok("alerts", "--deliver", "--json");
        assertThat(delivered.out()).startsWith("delivered 5, to retry 0, given up 0");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> after = (List<Map<String, Object>>) delivered.json().get("alerts");
        assertThat(after).allSatisfy(a -> assertThat(webhook(a)).containsEntry("status", "delivered"));
        assertThat(webhook(after.get(1))).containsEntry("attempts", 6);
        List<Receiver.Request> accepted = hook.accepted();
        assertThat(accepted).extracting(r -> ((Number) JSON.readValue(r.body(), Map.class).get("id")).longValue())
                .containsExactlyInAnyOrderElementsOf(alerts.stream().map(a -> ((Number) a.get("id")).longValue()).toList());
        Receiver.Request first = accepted.stream().filter(r -> r.body().contains("\"type\":\"limit_warning\",\"user_id\":\"alice\"")).findFirst().orElseThrow();
        assertThat(first.body()).isEqualTo("{\"id\":" + alerts.get(1).get("id") + ",\"type\":\"limit_warning\",\"user_id\":\"alice\","
                + "\"at\":\"2026-10-20T00:00:00Z\",\"message\":\"alice used 4,000 of 5,000 emails_processed included in 2026-10 (80.0 %)\","
                + "\"invoice_id\":null,\"metric\":\"emails_processed\",\"period\":\"2026-10\"}");
        assertThat(accepted).allSatisfy(r -> assertThat(verified(r)).as(r.signature()).isTrue());
        long t = Long.parseLong(first.signature().substring(2, first.signature().indexOf(',')));
        assertThat(Math.abs(System.currentTimeMillis() / 1000 - t)).isLessThan(120); // the wall clock, not BILLING_NOW

        // E-mail: one message per alert.
        MimeMessage[] messages = mail.getReceivedMessages();
        assertThat(messages).hasSize(5);
        assertThat(messages[0].getSubject()).isEqualTo("[billing] limit_warning alice emails_processed 2026-10");
        assertThat(messages[0].getAllRecipients()[0].toString()).isEqualTo("ops@example.com");
        assertThat(((String) messages[0].getContent()).trim()).startsWith("alice used 4,000 of 5,000 emails_processed included in 2026-10 (80.0 %)");

        // A delivery that fails for good is listed with its last error and not tried again.
        hook.accept.set(false);
        Files.writeString(tmp.resolve("cancel-2.csv"), "user_id,effective_at,action,tier,stripe_customer_id\ncarol,2026-10-19T00:00:00Z,cancel,,\n");
        cli.with("BILLING_ALERTS_MAX_ATTEMPTS", "1").ok("import-subscriptions", tmp.resolve("cancel-2.csv").toString());
        int tries = hook.requests.size();
        Cli.Result listed = cli.ok("alerts", "--deliver");
        assertThat(hook.requests).hasSize(tries);
        assertThat(listed.out()).contains("subscription_cancelled carol").contains("          webhook failed after 1 attempt(s): HTTP 500: down");
        assertThat(alerts(cli)).filteredOn(a -> "carol".equals(a.get("user_id")) && a.get("type").equals("subscription_cancelled"))
                .singleElement().satisfies(a -> assertThat(webhook(a)).containsEntry("status", "failed").containsEntry("attempts", 1)
                        .containsEntry("last_error", "HTTP 500: down"));

        // serve: tracking raises the limit alert at once (alice: 100 + 350 of 500 ai_responses), delivered by serve itself.
        hook.accept.set(true);
        String operator = (String) cli.ok("api-key", "create", "--role", "operator", "--json").json().get("key");
        String service = (String) cli.ok("api-key", "create", "--role", "service", "--json").json().get("key");
        Map<String, String> env = alertSettings();
        env.put("BILLING_ALERTS_DELIVERY_INTERVAL", "PT0.2S");
        try (Served served = Served.start(db, env)) {
            assertThat(served.api("POST", "/api/usage/track", service,
                    "{\"event_id\":\"t1\",\"user_id\":\"alice\",\"metric\":\"ai_responses\",\"quantity\":350}").statusCode()).isEqualTo(202);
            Map<String, Object> tracked = waitFor(() -> apiAlerts(served, operator), list -> list.size() == 7).get(6);
            assertThat(tracked).containsEntry("type", "limit_warning").containsEntry("user_id", "alice").containsEntry("metric", "ai_responses")
                    .containsEntry("message", "alice used 450 of 500 ai_responses included in 2026-10 (90.0 %)");
            waitFor(() -> hook.accepted().stream().map(r -> JSON.readValue(r.body(), Map.class).get("id")).toList(),
                    ids -> ids.contains(tracked.get("id")));
            // 49 more stay under the headroom of 50 left by that check and are counted without one; 1 more reaches the limit.
            assertThat(served.api("POST", "/api/usage/track", service,
                    "{\"event_id\":\"t2\",\"user_id\":\"alice\",\"metric\":\"ai_responses\",\"quantity\":49}").statusCode()).isEqualTo(202);
            assertThat(served.api("POST", "/api/usage/track", service,
                    "{\"event_id\":\"t3\",\"user_id\":\"alice\",\"metric\":\"ai_responses\",\"quantity\":1}").statusCode()).isEqualTo(202);
            Map<String, Object> reached = waitFor(() -> apiAlerts(served, operator), list -> list.size() == 8).get(7);
            assertThat(reached).containsEntry("type", "limit_reached").containsEntry("user_id", "alice")
                    .containsEntry("message", "alice used 500 of 500 ai_responses included in 2026-10 (100.0 %)");
            assertThat(apiAlerts(served, operator)).extracting(a -> a.get("message"))
                    .isEqualTo(alerts(cli).stream().map(a -> a.get("message")).toList());
            assertThat(served.api("GET", "/api/ops/alerts", service, null).statusCode()).isEqualTo(403);
            assertThat(served.api("GET", "/api/ops/alerts?since=yesterday", operator, null).body()).contains("since: 'yesterday' is not an ISO-8601 instant");

            HttpResponse<String> health = served.api("GET", "/actuator/health", null, null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"groups\":[\"liveness\",\"readiness\"],\"status\":\"UP\"}");
            assertThat(served.api("GET", "/actuator/prometheus", null, null).statusCode()).isEqualTo(401);
            assertThat(served.api("GET", "/actuator/prometheus", service, null).statusCode()).isEqualTo(403);
            String scrape = served.api("GET", "/actuator/prometheus", operator, null).body();
            assertThat(scrape.lines()).contains(
                    "billing_alerts_total{type=\"limit_warning\"} 3.0",
                    "billing_alerts_total{type=\"limit_reached\"} 3.0",
                    "billing_alerts_total{type=\"subscription_cancelled\"} 2.0",
                    "billing_events_ingested_total 4.0",
                    "billing_events_tracked_total 3.0",
                    "billing_job_runs_total{job=\"ingestUsage\",status=\"COMPLETED\"} 2.0",
                    "billing_alert_deliveries{status=\"failed\"} 1.0",
                    "billing_step_runs_total{job=\"ingestUsage\",status=\"COMPLETED\",step=\"raiseLimitAlerts\"} 2.0");
            assertThat(scrape).contains("billing_job_last_duration_seconds{job=\"ingestUsage\"} ")
                    .contains("billing_step_last_duration_seconds{job=\"ingestUsage\",step=\"storeNewEvents\"} ")
                    .doesNotContain(":partition")
                    .containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/api/ops/alerts\"[^}]*} [1-9]");
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> apiAlerts(Served served, String key) throws Exception {
        HttpResponse<String> answer = served.api("GET", "/api/ops/alerts", key, null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return (List<Map<String, Object>>) JSON.readValue(answer.body(), Map.class).get("alerts");
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls for at most 15 s (serve checks tracked usage within half a second and delivers every 0.2 s here). */
    static <T> T waitFor(Probe<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        T value = probe.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            value = probe.get();
        }
        assertThat(done.test(value)).as("in time: " + value).isTrue();
        return value;
    }

    static boolean verified(Receiver.Request request) {
        try {
            String header = request.signature();
            String t = header.substring(2, header.indexOf(','));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + request.body()).getBytes(StandardCharsets.UTF_8)));
            return header.equals("t=" + t + ",v1=" + expected);
        } catch (Exception e) {
            return false;
        }
    }
}
