package com.acme.billing.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.Served;
import com.acme.billing.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC 8's durability: serve is killed with SIGKILL while four clients track batches; after a restart
 * every event that was acknowledged (202) is stored exactly once, and the next close moves and counts
 * each stored event once.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class TrackKillTest {

    @TempDir
    Path tmp;

    @Parameter
    TestDatabase.Kind kind;

    TestDatabase db;
    Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create(kind, tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", "2026-10-20T12:00:00Z");
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        Files.writeString(tmp.resolve("subs.csv"), "user_id,effective_at,action,tier,stripe_customer_id\nalice,2026-09-01T00:00:00Z,subscribe,pro,\n");
        cli.ok("import-subscriptions", tmp.resolve("subs.csv").toString());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void everyAcknowledgedEventSurvivesASigkillExactlyOnce() throws Exception {
        String key = (String) cli.ok("api-key", "create", "--role", "service", "--json").json().get("key");
        Served served = Served.start(db, Map.of("BILLING_NOW", "2026-10-20T12:00:00Z"));
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                for (int batch = 0; !stop.get(); batch++) {
                    List<String> ids = new ArrayList<>();
                    StringBuilder body = new StringBuilder("{\"events\":[");
                    for (int i = 0; i < 50; i++) {
                        String id = "c" + client + "-b" + batch + "-" + i;
                        ids.add(id);
                        body.append(i == 0 ? "" : ",").append("{\"event_id\":\"").append(id)
                                .append("\",\"user_id\":\"alice\",\"metric\":\"ai_responses\",\"quantity\":1,\"timestamp\":\"2026-10-20T11:00:00Z\"}");
                    }
                    try {
                        HttpResponse<String> answer = served.api("POST", "/api/usage/track", key, body.append("]}").toString());
                        if (answer.statusCode() == 202) {
                            acknowledged.addAll(ids);
                        }
                    } catch (Exception e) {
                        return; // the server is gone
                    }
                }
            });
            thread.start();
            clients.add(thread);
        }
        while (acknowledged.size() < 2_000) {
            Thread.sleep(20);
        }
        served.kill();
        stop.set(true);
        for (Thread thread : clients) {
            thread.join(10_000);
        }

        List<String> stored = db.jdbc().queryForList("SELECT event_id FROM tracked_events", String.class);
        assertThat(new HashSet<>(stored)).hasSameSizeAs(stored).containsAll(acknowledged);
        // What was committed but not acknowledged (the answer lost in the kill) is whole batches, never half of one.
        assertThat(stored.size() % 50).isZero();
        // The month's unmoved sum was committed with the events, never apart from them.
        assertThat(db.jdbc().queryForObject("SELECT quantity FROM tracked_usage WHERE yyyymm = 202610 AND user_id = 'alice' AND metric = 'ai_responses'",
                Long.class)).isEqualTo(stored.size());

        // Restarted, the same events again are duplicates, and the close moves each stored event once.
        Served again = Served.start(db, Map.of("BILLING_NOW", "2026-10-20T12:00:00Z"));
        try {
            String first = acknowledged.iterator().next();
            assertThat(again.api("POST", "/api/usage/track", key, "{\"event_id\":\"" + first
                    + "\",\"user_id\":\"alice\",\"metric\":\"ai_responses\",\"quantity\":1,\"timestamp\":\"2026-10-20T11:00:00Z\"}").body())
                    .isEqualTo("{\"accepted\":0,\"duplicates\":1}");
        } finally {
            again.close();
        }
        cli.ok("close-period", "--period", "2026-10");
        assertThat(db.jdbc().queryForObject("SELECT quantity FROM tracked_usage WHERE user_id = 'alice'", Long.class)).isZero();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) cli.ok("usage", "--period", "2026-10", "--user", "alice", "--json").json().get("rows");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("metric")).isEqualTo("ai_responses");
            assertThat(((Number) row.get("quantity")).longValue()).isEqualTo(stored.size());
        });
    }
}
