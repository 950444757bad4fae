package com.acme.billing.scaleout;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.PdfText;
import com.acme.billing.support.TestDatabase;
import com.acme.billing.support.WorkerProcess;
import com.acme.billing.tools.SubscriptionGenerator;
import com.acme.billing.tools.UsageLogGenerator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * Remote partitioning (SPEC 13) on PostgreSQL and the RabbitMQ at 127.0.0.1:5672: close-period's rating and reports'
 * statements split into ranges of users run by worker JVMs give the same bytes as the local run; a worker killed
 * mid-partition is noticed and its partition runs again, by another worker or by {@code restart}, with nothing doubled.
 * The October (catalog, 120 subscriptions, 6,000 events) is built once, with its local results, and copied per test;
 * worker JVMs start with the quick compiler only, and the first one while the local results are made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// Workers must show progress within the partition timeout: runs in its own surefire execution (pom.xml), never beside another class.
@Tag("alone")
class RemotePartitioningTest {

    static final String NOW = "2026-11-05T00:00:00Z";
    static final String PERIOD = "2026-10";
    static final Pattern RATING = Pattern.compile("rating 2026-10 \\(users\\): ([\\d,]+) /");

    @TempDir
    static Path shared;

    TestDatabase prepared;
    Results local;
    /** The first test's database and worker, prepared with the class (see {@link #prepare()}). */
    TestDatabase oneAndTwo;
    WorkerProcess firstWorker;

    /** What a run leaves: the close's --json totals, the stored lines, invoice-lines.csv and each statement's text. */
    record Results(Object invoices, Object lines, Object total, List<String> storedLines, byte[] invoiceLinesCsv, Map<String, String> statements) {
    }

    @BeforeAll
    void prepare() throws Exception {
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        assertThat(SubscriptionGenerator.main(new String[] {"--users", "120", "--period", PERIOD, "--seed", "13", "--out",
                shared.resolve("subs.csv").toString()}, quiet, System.err)).isZero();
        assertThat(UsageLogGenerator.main(new String[] {"--events", "6000", "--users", "135", "--period", PERIOD, "--seed", "14",
                "--out", shared.resolve("usage.csv").toString()}, quiet, System.err)).isZero();
        prepared = TestDatabase.create(TestDatabase.Kind.POSTGRES, shared.resolve("prepared"));
        Cli cli = prepared.cli().with("BILLING_NOW", NOW);
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        cli.ok("import-subscriptions", shared.resolve("subs.csv").toString());
        cli.ok("ingest", shared.resolve("usage.csv").toString());
        // The copy of the first test and its worker, started now: the JVM starts while the local run below works.
        oneAndTwo = prepared.copy(shared.resolve("one-and-two"));
        firstWorker = worker(oneAndTwo);
        try (TestDatabase db = prepared.copy(shared.resolve("local"))) {
            Cli localCli = db.cli().with("BILLING_NOW", NOW);
            Map<String, Object> close = localCli.ok("close-period", "--period", PERIOD, "--json").json();
            localCli.ok("reports", "--period", PERIOD);
            local = results(db, close);
        }
        assertThat(local.storedLines().size()).isGreaterThan(100);
        assertThat(local.statements().size()).isGreaterThan(80);
    }

    @AfterAll
    void drop() throws Exception {
        if (firstWorker != null) {
            firstWorker.close();
        }
        if (oneAndTwo != null) {
            oneAndTwo.close();
        }
        if (prepared != null) {
            prepared.close();
        }
    }

    /** The manager's command line: remote, 4 partitions, a quick poll, and this partition timeout. */
    static Cli remote(TestDatabase db, String timeout) {
        return db.cli().with("BILLING_NOW", NOW).with("BILLING_PARTITIONING", "remote").with("BILLING_PARTITIONING_PARTITIONS", "4")
                .with("BILLING_PARTITIONING_POLL_INTERVAL", "200ms").with("BILLING_PARTITIONING_PARTITION_TIMEOUT", timeout)
                .with("SPRING_RABBITMQ_HOST", "127.0.0.1");
    }

    /** A worker JVM on {@code db}, started but not yet known to be ready; {@code properties}: more {@code -D} settings. */
    static WorkerProcess worker(TestDatabase db, String... properties) throws Exception {
        List<String> options = new java.util.ArrayList<>(List.of(properties));
        // The quick compiler alone: a worker here starts often and rates a few hundred users.
        options.add("-XX:TieredStopAtLevel=1");
        return WorkerProcess.launch(db, NOW, Map.of("SPRING_RABBITMQ_HOST", "127.0.0.1"), options);
    }

    /**
     * One worker, then two: close-period and reports give the local run's bytes. Then a third worker, slow (chunks of two
     * users), is killed (SIGKILL) in the middle of its partition while the month is closed again: one of the others takes
     * the partition over from its last commit, and the lines are the local run's, none doubled.
     */
    @Test
    void oneAndTwoWorkersGiveTheLocalBytesAndTakeOverAKilledWorkersPartition() throws Exception {
        TestDatabase db = oneAndTwo;
        try (WorkerProcess first = firstWorker.ready()) {
            Cli cli = remote(db, "60s");
            Map<String, Object> close = cli.ok("close-period", "--period", PERIOD, "--json").json();
            cli.ok("reports", "--period", PERIOD);
            assertSame(results(db, close));
            assertThat(first.lines()).anyMatch(l -> l.contains("rateUsersPartition:partition01") && l.contains("COMPLETED"))
                    .anyMatch(l -> l.contains("renderStatementsPartition:partition04") && l.contains("COMPLETED"));
            assertThat(db.jdbc().queryForList("SELECT STEP_NAME FROM BATCH_STEP_EXECUTION WHERE STEP_NAME LIKE 'rateUsers%' ORDER BY STEP_NAME",
                    String.class)).containsExactly("rateUsers", "rateUsersPartition:partition01", "rateUsersPartition:partition02",
                            "rateUsersPartition:partition03", "rateUsersPartition:partition04");

            try (WorkerProcess second = worker(db).ready()) {
                // The month closed and rendered again from scratch, by two workers: the same bytes.
                FileSystemUtils.deleteRecursively(db.home().resolve("reports"));
                close = cli.ok("close-period", "--period", PERIOD, "--json").json();
                cli.ok("reports", "--period", PERIOD);
                assertSame(results(db, close));
                assertThat(second.lines()).as(second.toString()).anyMatch(l -> l.contains("COMPLETED"));

                // Closed once more with a third, slow worker beside them, killed in the middle of its partition.
                try (WorkerProcess slow = worker(db, "-Dbilling.rating.chunk-size=2", "-Dbilling.progress-interval-ms=20")) {
                    slow.killWhen(line -> usersRated(line) >= 10);
                    slow.ready();
                    close = remote(db, "10s").ok("close-period", "--period", PERIOD, "--json").json();
                    assertThat(slow.killed()).as(slow.toString()).isTrue();
                }
                assertThat(java.util.stream.Stream.concat(first.lines().stream(), second.lines().stream()))
                        .as(first + "\n" + second).anyMatch(l -> l.contains("taken over from a worker that stopped"));
                assertSameRating(db, close);
            }
        }
    }

    @Test
    void withNoWorkerLeftTheStepFailsAfterTheTimeoutAndRestartCompletesIt(@TempDir Path tmp) throws Exception {
        try (TestDatabase db = prepared.copy(tmp.resolve("remote"))) {
            Cli cli = remote(db, "3s");
            Cli.Result failed;
            try (WorkerProcess slow = worker(db, "-Dbilling.rating.chunk-size=2", "-Dbilling.progress-interval-ms=20").ready()) {
                // Killed in the middle of its second partition: one partition completed, three not.
                java.util.concurrent.atomic.AtomicInteger completed = new java.util.concurrent.atomic.AtomicInteger();
                slow.killWhen(line -> {
                    if (line.contains("): COMPLETED")) {
                        completed.incrementAndGet();
                        return false;
                    }
                    return completed.get() >= 1 && usersRated(line) >= 10;
                });
                long start = System.nanoTime();
                failed = cli.run("close-period", "--period", PERIOD, "--json");
                assertThat(slow.killed()).as(slow.toString()).isTrue();
                assertThat((System.nanoTime() - start) / 1e9).as("noticed within the timeout, not waiting forever").isLessThan(30);
            }
            assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
            assertThat(failed.err()).contains("rateUsersPartition:partition0").contains("no progress for 3 s");
            long id = ((Number) failed.json().get("execution_id")).longValue();
            // Every partition not completed was marked failed, with an end: restart takes them (and refuses a STARTED one).
            assertThat(db.jdbc().queryForList("SELECT STATUS FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = ? AND STEP_NAME LIKE "
                    + "'rateUsersPartition:%' AND (STATUS <> 'FAILED' OR END_TIME IS NULL) AND STATUS <> 'COMPLETED'", String.class, id)).isEmpty();
            assertThat(db.jdbc().queryForList("SELECT STATUS FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = ? AND STEP_NAME LIKE "
                    + "'rateUsersPartition:%' ORDER BY STATUS", String.class, id)).containsExactly("COMPLETED", "FAILED", "FAILED", "FAILED");

            try (WorkerProcess fresh = worker(db)) {
                remote(db, "60s").ok("restart", String.valueOf(id));
                // The requests left in the queue for the failed executions were dropped, not run beside the restart.
                assertThat(fresh.lines()).as(fresh.toString()).anyMatch(l -> l.contains("is FAILED") && l.contains("request dropped"));
            }
            Map<String, Object> totals = cli.ok("close-period", "--period", PERIOD, "--dry-run", "--json").json();
            assertThat(lines(db)).containsExactlyElementsOf(local.storedLines());
            assertThat(totals.get("total")).isEqualTo(local.total());
            // The restart ran exactly the three partitions not completed, the killed one from its last commit: fewer users
            // than the three ranges hold were rated again.
            List<Map<String, Object>> rerun = db.jdbc().queryForList("SELECT STEP_NAME, STATUS, WRITE_COUNT FROM BATCH_STEP_EXECUTION "
                    + "WHERE JOB_EXECUTION_ID > ? AND STEP_NAME LIKE 'rateUsersPartition:%'", id);
            assertThat(rerun).hasSize(3).allMatch(r -> r.get("status").equals("COMPLETED"));
            long users = db.jdbc().queryForObject("SELECT COUNT(DISTINCT user_id) FROM rating_segments WHERE period = ?", Long.class, PERIOD);
            long ratedAgain = rerun.stream().mapToLong(r -> ((Number) r.get("write_count")).longValue()).sum();
            assertThat(ratedAgain).isLessThan(users * 3 / 4);
        }
    }

    @Test
    void remotePartitioningOnH2IsRefusedBeforeAnythingRuns(@TempDir Path tmp) throws Exception {
        // An empty database: the refusal must leave no trace, not even a home.
        try (TestDatabase db = TestDatabase.empty(TestDatabase.Kind.H2, tmp.resolve("home"))) {
            for (String[] command : List.of(new String[] {"close-period", "--period", PERIOD}, new String[] {"worker"})) {
                Cli.Result refused = db.cli().with("BILLING_PARTITIONING", "remote").run(command);
                assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
                assertThat(refused.err()).contains("remote partitioning needs PostgreSQL");
            }
            Cli.Result typo = db.cli().with("BILLING_PARTITIONING", "remtoe").run("close-period", "--period", PERIOD);
            assertThat(typo.exit()).isEqualTo(2);
            assertThat(typo.err()).contains("billing.partitioning is remtoe; it is local (the default) or remote");
            assertThat(tmp.resolve("home")).doesNotExist();
        }
    }

    static long usersRated(String line) {
        Matcher m = RATING.matcher(line);
        return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
    }

    void assertSame(Results remote) {
        assertThat(remote.total()).isEqualTo(local.total());
        assertThat(remote.invoices()).isEqualTo(local.invoices());
        assertThat(remote.lines()).isEqualTo(local.lines());
        assertThat(remote.storedLines()).containsExactlyElementsOf(local.storedLines());
        assertThat(remote.invoiceLinesCsv()).isEqualTo(local.invoiceLinesCsv());
        assertThat(remote.statements().keySet()).containsExactlyElementsOf(local.statements().keySet());
        for (Map.Entry<String, String> statement : local.statements().entrySet()) {
            assertThat(remote.statements().get(statement.getKey())).as(statement.getKey()).isEqualTo(statement.getValue());
        }
    }

    void assertSameRating(TestDatabase db, Map<String, Object> close) {
        assertThat(close.get("total")).isEqualTo(local.total());
        assertThat(close.get("invoices")).isEqualTo(local.invoices());
        assertThat(close.get("lines")).isEqualTo(local.lines());
        assertThat(lines(db)).containsExactlyElementsOf(local.storedLines());
    }

    static Results results(TestDatabase db, Map<String, Object> close) throws Exception {
        Path dir = db.home().resolve("reports").resolve(PERIOD);
        Map<String, String> statements = new TreeMap<>();
        if (Files.isDirectory(dir.resolve("invoices"))) {
            try (var files = Files.list(dir.resolve("invoices"))) {
                for (Path pdf : files.filter(f -> f.toString().endsWith(".pdf")).toList()) {
                    statements.put(pdf.getFileName().toString(), PdfText.of(pdf));
                }
            }
        }
        byte[] csv = Files.exists(dir.resolve("invoice-lines.csv")) ? Files.readAllBytes(dir.resolve("invoice-lines.csv")) : new byte[0];
        return new Results(close.get("invoices"), close.get("lines"), close.get("total"), lines(db), csv, statements);
    }

    static List<String> lines(TestDatabase db) {
        return db.jdbc().queryForList("SELECT line_id || '|' || CAST(CAST(amount AS DECIMAL(19, 2)) AS VARCHAR(40)) || '|' || invoice_id "
                + "FROM invoice_lines ORDER BY line_id", String.class);
    }
}
