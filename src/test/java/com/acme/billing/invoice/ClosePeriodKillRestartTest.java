package com.acme.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.acme.billing.tools.SubscriptionGenerator;
import com.acme.billing.tools.UsageLogGenerator;
import com.acme.billing.support.BillingProcess;
import com.acme.billing.support.Cli;
import com.acme.billing.support.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code kill -9} during close-period, then {@code restart}: the same invoices and lines as an uninterrupted run. The October
 * every test closes (catalog, 3,000 subscriptions, 100,000 events ingested) is built once per database and copied for each
 * database a test needs.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClosePeriodKillRestartTest {

    static final String NOW = "2026-11-05T00:00:00Z";
    static final Pattern PROGRESS = Pattern.compile("rating 2026-10 \\(users\\): ([\\d,]+) /");

    @TempDir
    static Path shared;

    /** Every test runs on H2 (with DuckDB) and on PostgreSQL. */
    @Parameter
    TestDatabase.Kind kind;

    TestDatabase.Kind kind() {
        return kind;
    }

    @BeforeAll
    static void generate() {
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        assertThat(SubscriptionGenerator.main(new String[] {"--users", "3000", "--period", "2026-10", "--seed", "3", "--out",
                shared.resolve("subs.csv").toString()}, quiet, System.err)).isZero();
        assertThat(UsageLogGenerator.main(new String[] {"--events", "100000", "--users", "3250", "--period", "2026-10", "--seed", "4",
                "--out", shared.resolve("usage.csv").toString()}, quiet, System.err)).isZero();
    }

    /** This database's prepared October, before any close; copied, never used itself. */
    TestDatabase prepared;

    @BeforeParameterizedClassInvocation
    void prepare() throws Exception {
        prepared = TestDatabase.create(kind(), shared.resolve("prepared-" + kind()));
        Cli cli = prepared.cli().with("BILLING_NOW", NOW);
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        cli.ok("import-subscriptions", shared.resolve("subs.csv").toString());
        cli.ok("ingest", shared.resolve("usage.csv").toString());
    }

    @AfterParameterizedClassInvocation
    void dropPrepared() {
        if (prepared != null) {
            prepared.close();
            prepared = null;
        }
    }

    /** The command line on a copy of the prepared October. */
    Cli cli(TestDatabase db) {
        return db.cli().with("BILLING_NOW", NOW);
    }

    @Test
    void killedWhileRatingThenRestarted(@TempDir Path tmp) throws Exception {
        List<String> expected;
        Map<String, Object> expectedJson;
        try (TestDatabase reference = prepared.copy(tmp.resolve("reference"))) {
            expectedJson = cli(reference).ok("close-period", "--period", "2026-10", "--json").json();
            expected = lines(reference);
        }
        assertThat(expected).hasSizeGreaterThan(2000);

        try (TestDatabase db = prepared.copy(tmp.resolve("killed"))) {
            Cli cli = cli(db);
            killAt(db, PROGRESS, 1000, List.of("-Dbilling.progress-interval-ms=20", "-Dbilling.rating.chunk-size=50"),
                    "close-period", "--period", "2026-10");
            long draftsBefore = db.jdbc().queryForObject("SELECT COUNT(*) FROM invoices", Long.class);
            assertThat(draftsBefore).as("some chunks committed before the kill").isPositive();

            List<?> executions = (List<?>) cli.ok("executions", "--json").json().get("executions");
            @SuppressWarnings("unchecked")
            Map<String, Object> last = (Map<String, Object>) executions.get(0);
            assertThat(last).containsEntry("job", "closePeriod").containsEntry("status", "STARTED");
            cli.ok("restart", last.get("id").toString());

            assertThat(lines(db)).containsExactlyElementsOf(expected);
            Map<String, Object> json = cli.ok("close-period", "--period", "2026-10", "--json").json();
            assertThat(json.get("total")).isEqualTo(expectedJson.get("total"));
            assertThat(json.get("lines")).isEqualTo(expectedJson.get("lines"));
        }
    }

    /**
     * A re-close deletes the earlier close's rating inputs, then its drafts, in ranges of users, each committed on its own.
     * Killed half-way through the first, restarted and killed half-way through the second, restarted again: it bills exactly
     * what the first close billed, with the same rows in the scratch tables, invoices and usage summaries. On H2 only: the
     * restart is Spring Batch's and the same on both databases, the ranged deletes run on PostgreSQL in ClosePeriodTest's
     * re-closes, and the suite's time budget is better spent elsewhere (about 30 s a database).
     */
    @Test
    void reCloseKilledInEachOfItsDeletesThenRestarted(@TempDir Path tmp) throws Exception {
        assumeThat(kind).isEqualTo(TestDatabase.Kind.H2);
        try (TestDatabase db = prepared.copy(tmp.resolve("killed"))) {
            Cli cli = cli(db);
            // What the first close writes is what the re-close must end with (nothing changed in between).
            cli.ok("close-period", "--period", "2026-10");
            List<String> expected = lines(db);
            List<Long> expectedCounts = counts(db);
            assertThat(expectedCounts).allMatch(n -> n > 1000);

            killHalfWay(db, "deleting the rating inputs of an earlier close of 2026-10", "rating_segments", "close-period", "--period", "2026-10");
            String execution = lastCloseStarted(cli);
            killHalfWay(db, "discarding the drafts of 2026-10", "invoices", "restart", execution);
            // The restart was an execution of its own, which the second kill left STARTED in turn.
            String restarted = lastCloseStarted(cli);
            assertThat(restarted).isNotEqualTo(execution);
            cli.ok("restart", restarted);

            assertThat(lines(db)).containsExactlyElementsOf(expected);
            assertThat(counts(db)).isEqualTo(expectedCounts);
        }
    }

    /** Runs the command in a JVM of its own with ranges of 50 users and kills it when the work is past 600 users. */
    void killHalfWay(TestDatabase db, String work, String table, String... command) throws Exception {
        long rowsBefore = db.jdbc().queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
        killAt(db, Pattern.compile(Pattern.quote(work) + " \\(users\\): ([\\d,]+) /"), 600,
                List.of("-Dbilling.progress-interval-ms=1", "-Dbilling.delete-range-users=50"), command);
        long rowsLeft = db.jdbc().queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
        assertThat(rowsLeft).as("the kill came half-way through " + work).isPositive().isLessThan(rowsBefore);
    }

    /** Runs the command in a JVM of its own and kills it (SIGKILL) once its progress (group 1 of the pattern) reaches {@code at}. */
    static void killAt(TestDatabase db, Pattern progress, long at, List<String> properties, String... command) throws Exception {
        BillingProcess.killWhen(BillingProcess.start(db, NOW, properties, command), line -> {
            Matcher m = progress.matcher(line);
            return m.find() && Long.parseLong(m.group(1).replace(",", "")) >= at;
        });
    }

    /** The id of the last closePeriod execution, which a kill left STARTED. */
    static String lastCloseStarted(Cli cli) {
        List<?> executions = (List<?>) cli.ok("executions", "--json").json().get("executions");
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) executions.get(0);
        assertThat(last).containsEntry("job", "closePeriod").containsEntry("status", "STARTED");
        return last.get("id").toString();
    }

    @Test
    void aSecondCloseOfTheSamePeriodWhileOneRunsIsRefused(@TempDir Path tmp) throws Exception {
        try (TestDatabase db = prepared.copy(tmp.resolve("home"))) {
            Cli cli = cli(db);
            Process first = BillingProcess.start(db, NOW, List.of("-Dbilling.progress-interval-ms=20", "-Dbilling.rating.chunk-size=10"),
                    "close-period", "--period", "2026-10");
            try (BufferedReader err = new BufferedReader(new InputStreamReader(first.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null && !PROGRESS.matcher(line).find()) {
                    // wait until the first run is rating
                }
                Cli.Result second = cli.run("close-period", "--period", "2026-10");

                assertThat(second.exit()).as(second.toString()).isEqualTo(2);
                assertThat(second.err()).contains("cannot start closePeriod").contains("already running");
                while (err.readLine() != null) {
                    // drain until the first run ends
                }
            }
            assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isZero();
            assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION e JOIN BATCH_JOB_INSTANCE i "
                    + "ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID WHERE i.JOB_NAME = 'closePeriod'", Long.class)).isEqualTo(1);
            // What the refused second run left is exactly what a fresh rating bills: same line count as a dry run, and
            // an ordinary close afterwards changes no line.
            List<String> afterRace = lines(db);
            Map<String, Object> dryRun = cli.ok("close-period", "--period", "2026-10", "--dry-run", "--json").json();
            assertThat(((Number) dryRun.get("lines")).longValue()).isEqualTo(afterRace.size());
            cli.ok("close-period", "--period", "2026-10");
            assertThat(lines(db)).isEqualTo(afterRace);
        }
    }

    /** Rows of the scratch tables, invoices and usage summaries. */
    static List<Long> counts(TestDatabase db) {
        return List.of("rating_segments", "rating_usage", "invoices", "usage_summaries").stream()
                .map(table -> db.jdbc().queryForObject("SELECT COUNT(*) FROM " + table, Long.class)).toList();
    }

    static List<String> lines(TestDatabase db) {
        return db.jdbc().queryForList("SELECT line_id || '|' || CAST(CAST(amount AS DECIMAL(19, 2)) AS VARCHAR(40)) FROM invoice_lines "
                + "ORDER BY line_id", String.class);
    }
}
