package com.acme.billing.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.audit.store.AuditLog;
import com.acme.billing.support.Cli;
import com.acme.billing.support.October;
import com.acme.billing.support.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * SPEC 11's audit log: the operators' commands append exact rows (who, what, outcome; never a secret), {@code audit
 * verify} passes an intact log and names the first broken row of a tampered one (an edited row, a deleted one, the
 * last one deleted), and appends from two writers at once keep one chain numbered without gaps.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class AuditLogTest {

    @TempDir
    Path tmp;

    @Parameter
    TestDatabase.Kind kind;

    TestDatabase db;
    Cli cli;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(kind, tmp.resolve("home"));
        cli = db.cli();
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    /** A row as the test compares it: everything but the instant and the hashes. */
    record Row(String actorKind, String actor, String action, String subject, String outcome, String reason, Long executionId, Object details,
            String billingNow) {
    }

    @Test
    @SuppressWarnings("unchecked")
    void operatorsCommandsAppendExactRowsAndVerifyNamesTheFirstBrokenRow() throws Exception {
        October.subscriptions(cli, tmp);
        cli.ok("close-period", "--period", "2026-10", "--now", "2026-11-02T00:00:00Z");
        long finalized = ((Number) cli.ok("finalize", "--period", "2026-10", "--now", "2026-11-02T00:00:00Z", "--json").json().get("execution_id"))
                .longValue();
        assertThat(cli.run("finalize", "--period", "2026-12").exit()).isEqualTo(2);
        String secret = (String) cli.ok("api-key", "create", "--role", "operator", "--name", "nightly checks", "--json").json().get("key");
        cli.ok("api-key", "revoke", "1");
        assertThat(cli.run("api-key", "revoke", "7").exit()).isEqualTo(2);
        String password = "correct horse battery";
        cli.withInput(password + "\n").ok("console-user", "create", "--email", "ann@example.com", "--role", "operator");
        assertThat(cli.withInput(password + "\n").run("console-user", "create", "--email", "ann@example.com", "--role", "finance").exit()).isEqualTo(2);
        assertThat(cli.run("restart", Long.toString(finalized)).exit()).isEqualTo(2);
        assertThat(cli.run("stop", "999").exit()).isEqualTo(2);
        assertThat(cli.run("abandon", "999").exit()).isEqualTo(2);
        // Refused before the database opened (a bad option): nothing to log.
        assertThat(cli.run("api-key", "create", "--role", "customer").exit()).isEqualTo(2);

        String me = AuditActor.currentProcess().name();
        List<Row> expected = List.of(
                new Row("cli", me, "finalize", "period:2026-10", "ok", null, finalized, null, "2026-11-02T00:00:00Z"),
                new Row("cli", me, "finalize", "period:2026-12", "refused", "period 2026-12 has not been closed; run close-period --period 2026-12 first",
                        null, null, null),
                new Row("cli", me, "api-key.create", "api-key:1", "ok", null, null, Map.of("role", "operator"), null), // no free text: the key's name stays in api_keys
                new Row("cli", me, "api-key.revoke", "api-key:1", "ok", null, null, null, null),
                new Row("cli", me, "api-key.revoke", "api-key:7", "refused", "no API key 7 (api-key list shows them)", null, null, null),
                new Row("cli", me, "console-user.create", "console-user:1", "ok", null, null, Map.of("role", "operator"), null),
                // The refusal named the address; the log keeps no personal data.
                new Row("cli", me, "console-user.create", "console-user", "refused", "--email: <e-mail> has a console account already", null,
                        Map.of("role", "finance"), null),
                new Row("cli", me, "restart", "execution:" + finalized, "refused", "execution " + finalized + " completed; nothing to restart", null, null,
                        null),
                new Row("cli", me, "stop", "execution:999", "refused", "no job execution 999 (see jobs/billing executions)", null, null, null),
                new Row("cli", me, "abandon", "execution:999", "refused", "no job execution 999 (see jobs/billing executions)", null, null, null));
        List<Map<String, Object>> listed = (List<Map<String, Object>>) cli.ok("audit", "list", "--json").json().get("rows");
        assertThat(listed).extracting(r -> new Row((String) r.get("actor_kind"), (String) r.get("actor"), (String) r.get("action"),
                (String) r.get("subject"), (String) r.get("outcome"), (String) r.get("reason"),
                r.get("execution_id") == null ? null : ((Number) r.get("execution_id")).longValue(),
                r.get("details"), (String) r.get("billing_now")))
                .containsExactlyElementsOf(expected);
        assertThat(listed).extracting(r -> ((Number) r.get("seq")).longValue()).containsExactly(LongStream.rangeClosed(1, 10).boxed().toArray(Long[]::new));
        // Written at the machine's time (BILLING_NOW, a past month, is kept beside it where set).
        assertThat(listed).allSatisfy(r -> assertThat(java.time.Instant.parse((String) r.get("at")))
                .isBetween(java.time.Instant.now().minusSeconds(600), java.time.Instant.now()));
        String dump = db.jdbc().queryForList("SELECT * FROM audit_log").toString();
        assertThat(dump).doesNotContain(secret).doesNotContain(password).doesNotContain("ann@example.com");

        String head = (String) listed.get(9).get("hash");
        assertThat(cli.ok("audit", "verify", "--json").json()).isEqualTo(Map.of("ok", true, "rows", 10, "head_hash", head));

        var jdbc = db.jdbc();
        jdbc.execute("CREATE TABLE audit_saved AS SELECT * FROM audit_log");
        // A middle row's field edited.
        jdbc.update("UPDATE audit_log SET outcome = 'ok', reason = NULL WHERE seq = 5");
        assertBroken(5, "edited", "row 5 was edited: its content no longer matches its hash");
        jdbc.update("UPDATE audit_log SET outcome = 'refused', reason = (SELECT reason FROM audit_saved WHERE seq = 5) WHERE seq = 5");
        // A middle row deleted.
        jdbc.update("DELETE FROM audit_log WHERE seq = 3");
        assertBroken(3, "missing", "row 3 is missing: row 4 follows row 2");
        jdbc.update("INSERT INTO audit_log SELECT * FROM audit_saved WHERE seq = 3");
        // The last row deleted: the chain that is left is whole, the head still counts it.
        jdbc.update("DELETE FROM audit_log WHERE seq = 10");
        assertBroken(10, "missing", "row 10 is missing: the head counts 10 rows, the log ends at row 9");
    }

    private void assertBroken(long row, String problem, String why) {
        Cli.Result result = cli.run("audit", "verify", "--json");
        assertThat(result.exit()).as(result.toString()).isEqualTo(1);
        String message = "audit log broken at row " + row + " (" + problem + "): " + why;
        assertThat(result.err()).isEqualTo("billing: " + message + "\n");
        assertThat(result.json()).isEqualTo(Map.of("error", message, "ok", false, "row", (int) row, "problem", problem, "rows_verified", (int) row - 1));
    }

    /** Two writers (as serve and a command would be: each its own connections) append at once; one chain, numbered 1..n. */
    @Test
    void appendsFromTwoWritersAtOnceKeepOneChain() throws Exception {
        assertThat(cli.ok("audit", "verify").out()).isEqualTo("audit log intact: 0 row(s), head " + AuditChain.GENESIS + "\n");
        int each = 100;
        AuditVerifier.Result verified;
        List<HikariDataSource> pools = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<?>> writers = new ArrayList<>();
            for (String name : List.of("serve", "cli")) {
                HikariDataSource pool = new HikariDataSource();
                pool.setJdbcUrl(db.url());
                pool.setUsername(kind == TestDatabase.Kind.POSTGRES ? "postgres" : "");
                pool.setMaximumPoolSize(2);
                pools.add(pool);
                AuditLog log = new AuditLog(JdbcClient.create(pool), new DataSourceTransactionManager(pool), "");
                writers.add(threads.submit(() -> {
                    start.await();
                    for (int i = 1; i <= each; i++) {
                        log.append(AuditActor.cli(name, "test"), "stop", "execution:" + i, AuditOutcome.ok(), null);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            verified = new AuditLog(JdbcClient.create(pools.get(0)), new DataSourceTransactionManager(pools.get(0)), "").verify();
        } finally {
            threads.shutdownNow();
            pools.forEach(HikariDataSource::close);
        }
        assertThat(verified.ok()).as(verified.message()).isTrue();
        assertThat(verified.rows()).isEqualTo(2 * each);
        assertThat(db.jdbc().queryForList("SELECT seq FROM audit_log ORDER BY seq", Long.class))
                .containsExactly(LongStream.rangeClosed(1, 2 * each).boxed().toArray(Long[]::new));
        assertThat(db.jdbc().queryForList("SELECT actor FROM audit_log WHERE actor = 'cli@test'", String.class)).hasSize(each);
        // The head moved with the rows.
        assertThat(db.jdbc().queryForObject("SELECT hash FROM audit_head", String.class)).isEqualTo(verified.headHash());
    }
}
