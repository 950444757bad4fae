package com.acme.billing.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.tools.SubscriptionGenerator;
import com.acme.billing.tools.UsageLogGenerator;
import com.acme.billing.support.BillingProcess;
import com.acme.billing.support.Cli;
import com.acme.billing.support.TestDatabase;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kill -9} while statements render, then {@code restart}: every statement, none half written, none rendered twice. */
class ReportsKillRestartTest {

    static final String NOW = "2026-11-05T00:00:00Z";

    @Test
    void killedWhileRenderingThenRestarted(@TempDir Path tmp) throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2, tmp.resolve("home"))) {
            Cli cli = db.cli().with("BILLING_NOW", NOW);
            PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
            assertThat(SubscriptionGenerator.main(new String[] {"--users", "1500", "--period", "2026-10", "--seed", "31", "--out",
                    tmp.resolve("subs.csv").toString()}, quiet, System.err)).isZero();
            assertThat(UsageLogGenerator.main(new String[] {"--events", "20000", "--users", "1500", "--period", "2026-10", "--seed", "32",
                    "--out", tmp.resolve("usage.csv").toString()}, quiet, System.err)).isZero();
            cli.ok("import-catalog", "sample-data/catalog.yaml");
            cli.ok("import-subscriptions", tmp.resolve("subs.csv").toString());
            cli.ok("ingest", tmp.resolve("usage.csv").toString());
            cli.ok("close-period", "--period", "2026-10");
            long invoices = db.jdbc().queryForObject("SELECT COUNT(*) FROM invoices", Long.class);
            assertThat(invoices).isGreaterThan(1000);
            Path statements = db.home().resolve("reports/2026-10/invoices");

            Process reports = BillingProcess.start(db, NOW, List.of("-Dbilling.reports.chunk-size=50"), "reports", "--period", "2026-10");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (pdfs(statements) < 200 && reports.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(reports.isAlive()).as("still rendering when killed").isTrue();
            reports.destroyForcibly();
            assertThat(reports.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pdfs(statements)).isBetween(200L, invoices - 1);

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> executions = (List<Map<String, Object>>) cli.ok("executions", "--json").json().get("executions");
            Map<String, Object> killed = executions.stream().filter(e -> e.get("job").equals("renderReports")).findFirst().orElseThrow();
            cli.ok("restart", String.valueOf(killed.get("id")));

            assertThat(pdfs(statements)).isEqualTo(invoices);
            try (var files = Files.walk(db.home().resolve("reports"))) {
                assertThat(files.filter(f -> f.toString().endsWith(".tmp")).toList()).isEmpty();
            }
            try (var files = Files.list(statements)) {
                for (Path pdf : files.toList()) {
                    try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
                        assertThat(document.getNumberOfPages()).as(pdf.toString()).isPositive();
                    }
                }
            }
            assertThat(db.home().resolve("reports/2026-10/finance-report.pdf")).exists();
            // The restart went on after the last committed chunk: it wrote fewer statements than there are invoices.
            List<Long> writes = db.jdbc().queryForList("SELECT s.WRITE_COUNT FROM BATCH_STEP_EXECUTION s WHERE s.STEP_NAME = 'renderStatements' "
                    + "ORDER BY s.STEP_EXECUTION_ID", Long.class);
            assertThat(writes).hasSize(2);
            assertThat(writes.get(1)).isLessThan(invoices).isGreaterThan(0L);
        }
    }

    static long pdfs(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".pdf")).count();
        }
    }
}
