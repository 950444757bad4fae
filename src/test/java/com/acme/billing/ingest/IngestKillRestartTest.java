package com.acme.billing.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.tools.UsageLogGenerator;
import com.acme.billing.support.BillingProcess;
import com.acme.billing.support.Cli;
import com.acme.billing.support.Stores;
import com.acme.billing.support.TestDatabase;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code kill -9} of an ingest, then {@code restart}: the counts, the stored events, the rejects
 * file and {@code usage_metrics} equal those of an uninterrupted run of the same file (made once per database for the class).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestKillRestartTest {

    static final String NOW = "2026-11-05T00:00:00Z";
    static final Pattern PROGRESS = Pattern.compile(": ([\\d,]+) / [\\d,]+ \\(");

    @TempDir
    static Path shared;
    static Path log;

    /** Every test runs on H2 (with DuckDB) and on PostgreSQL. */
    @Parameter
    TestDatabase.Kind kind;

    TestDatabase.Kind kind() {
        return kind;
    }

    @BeforeAll
    static void generateLog() {
        log = shared.resolve("usage-big.csv");
        int exit = UsageLogGenerator.main(new String[] {"--events", "600000", "--users", "5000", "--period", "2026-10", "--ids", "uuid",
                "--duplicates", "3000", "--conflicts", "500", "--bad-lines", "700", "--seed", "11", "--out", log.toString()},
                new PrintStream(PrintStream.nullOutputStream()), System.err);
        assertThat(exit).isZero();
    }

    /** What the uninterrupted ingest of the log gave on this database: its --json, its rejects file, usage_metrics and the event store's totals. */
    Map<String, Object> expected;
    Object expectedRejects;
    Object expectedUsage;
    Object expectedTotals;

    @BeforeParameterizedClassInvocation
    void ingestUninterrupted() throws Exception {
        try (TestDatabase reference = TestDatabase.create(kind(), shared.resolve("reference-" + kind()))) {
            Cli cli = reference.cli().with("BILLING_NOW", NOW);
            cli.ok("import-catalog", "sample-data/catalog.yaml");
            expected = cli.ok("ingest", log.toString(), "--json").json();
            expectedRejects = Files.readString(reference.home().resolve("rejects/usage-big.csv.rejects.csv"));
            expectedUsage = Stores.usageMetrics(reference);
            expectedTotals = Stores.storedTotals(reference);
        }
    }

    @Test
    void killedWhileStagingThenRestarted(@TempDir Path tmp) throws Exception {
        long readAfterRestart = killAndRestart(tmp, line -> {
            Matcher m = PROGRESS.matcher(line);
            return m.find() && Long.parseLong(m.group(1).replace(",", "")) > 150_000;
        });
        // The restart went on from the last commit (at most one chunk of 1,000 lines before the
        // 150,000 lines the killed process had read): it read the rest of the file, not all of it.
        assertThat(readAfterRestart).isPositive().isLessThanOrEqualTo(604_200 - 149_000);
    }

    @Test
    void killedWhileStoringThenRestarted(@TempDir Path tmp) throws Exception {
        long readAfterRestart = killAndRestart(tmp, line -> line.contains("storing"));
        assertThat(readAfterRestart).isZero();
    }

    /** @return the lines that the restarted execution read (staging it had to redo) */
    private long killAndRestart(Path tmp, Predicate<String> killWhen) throws Exception {
        assertThat(expected).containsEntry("accepted", 600_000).containsEntry("duplicates", 3000);

        try (TestDatabase db = TestDatabase.create(kind(), tmp.resolve("killed"))) {
            Cli cli = db.cli().with("BILLING_NOW", NOW);
            cli.ok("import-catalog", "sample-data/catalog.yaml");
            List<String> seen = runAndKill(db, killWhen);
            assertThat(seen).as("the kill came before the job ended").noneMatch(l -> l.startsWith("{"));

            List<?> executions = (List<?>) cli.ok("executions", "--json").json().get("executions");
            @SuppressWarnings("unchecked")
            Map<String, Object> killed = (Map<String, Object>) executions.get(0);
            assertThat(killed).containsEntry("job", "ingestUsage").containsEntry("status", "STARTED");

            Map<String, Object> restarted = cli.ok("restart", killed.get("id").toString(), "--json").json();

            assertThat(restarted).containsEntry("status", "COMPLETED")
                    .containsEntry("accepted", expected.get("accepted"))
                    .containsEntry("duplicates", expected.get("duplicates"))
                    .containsEntry("rejected", expected.get("rejected"));
            assertThat(Files.readString(db.home().resolve("rejects/usage-big.csv.rejects.csv"))).isEqualTo(expectedRejects);
            assertThat(Stores.usageMetrics(db)).isEqualTo(expectedUsage);
            assertThat(Stores.storedTotals(db)).isEqualTo(expectedTotals);
            assertThat(Stores.storedEvents(db)).isEqualTo(600_000);
            assertThat(cli.ok("ingest", log.toString(), "--json").json()).containsEntry("accepted", 0);
            return db.jdbc().queryForObject("SELECT COALESCE(SUM(READ_COUNT), 0) FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = ? "
                    + "AND STEP_NAME LIKE 'stageUsageFile:%'", Long.class, ((Number) restarted.get("execution_id")).longValue());
        }
    }

    /** Runs the ingest in its own JVM and kills it (SIGKILL) when a line on its stderr matches. */
    private static List<String> runAndKill(TestDatabase db, Predicate<String> killWhen) throws Exception {
        return BillingProcess.killWhen(BillingProcess.start(db, NOW, List.of("-Dbilling.progress-interval-ms=50",
                "-Dbilling.ingest.chunk-size=1000"), "ingest", log.toString(), "--json"), killWhen);
    }
}
