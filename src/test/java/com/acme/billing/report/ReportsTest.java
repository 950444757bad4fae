package com.acme.billing.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.October;
import com.acme.billing.support.TestDatabase;
import com.opencsv.CSVReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code reports}: the CSV files, a PDF statement per invoice and the finance report, read back with PDFBox. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class ReportsTest {

    @TempDir
    Path tmp;

    TestDatabase db;
    Cli cli;

    /** Every test runs on H2 (with DuckDB) and on PostgreSQL. */
    @Parameter
    TestDatabase.Kind kind;

    TestDatabase.Kind kind() {
        return kind;
    }

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create(kind(), tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", "2026-11-04T00:00:00Z");
        October.withUsage(cli, tmp, """
                a1,2026-10-05T00:00:00Z,alice,emails_processed,6000
                a2,2026-10-06T00:00:00Z,alice,leads_created,350
                c1,2026-10-03T00:00:00Z,carol,ai_responses,9000
                """);
        cli.ok("close-period", "--period", "2026-10");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    static List<String[]> csv(Path file) throws Exception {
        try (Reader reader = Files.newBufferedReader(file); CSVReader csv = new CSVReader(reader)) {
            return csv.readAll();
        }
    }

    /** Wrapped cells come out on several lines: compare with all whitespace made single spaces. */
    static String text(Path pdf) throws Exception {
        return com.acme.billing.support.PdfText.of(pdf);
    }

    @Test
    void everyStatementHoldsItsLinesAndTotalAsInTheCsvAndTheFinanceReportTheSums() throws Exception {
        Map<String, Object> json = cli.ok("reports", "--period", "2026-10", "--json").json();
        Path dir = Path.of((String) json.get("dir"));
        assertThat(json).containsEntry("statements", 3);

        List<String[]> lines = csv(dir.resolve("invoice-lines.csv"));
        assertThat(lines).hasSize(7);
        for (String invoice : List.of("INV-2026-10-alice", "INV-2026-10-bob", "INV-2026-10-carol")) {
            String pdf = text(dir.resolve("invoices").resolve(invoice + ".pdf"));
            BigDecimal total = BigDecimal.ZERO;
            for (String[] line : lines.subList(1, lines.size())) {
                if (line[0].equals(invoice)) {
                    assertThat(pdf).contains(line[7].replaceAll("\\s+", " ")).contains(" " + line[10] + " ");
                    total = total.add(new BigDecimal(line[10]));
                }
            }
            assertThat(pdf).contains(invoice).contains("Total USD " + total.toPlainString()).contains("DRAFT: not final");
        }
        // alice: 29.00 + 4.00 + 62.50; the usage table shows her leads over the 200 included.
        assertThat(text(dir.resolve("invoices/INV-2026-10-alice.pdf"))).contains("Total USD 95.50").contains("leads_created starter 350 200 150");
        // Her usage chart: its labels are text in the page (the axis from 0, every day of October, a legend entry per metric).
        String chart = text(dir.resolve("invoices/INV-2026-10-alice.pdf")).replaceFirst("(?s).*Usage by day ", "");
        assertThat(chart).startsWith("0 ").contains(" 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 ")
                .contains("leads_created");

        // revenue-summary.csv: per tier and line type, then the total and MRR (end of October: alice starter 29, bob starter 29,
        // carol pro 99 since her trial ended; end of September: alice 29 + bob business 299).
        assertThat(csv(dir.resolve("revenue-summary.csv"))).containsExactly(
                new String[] {"period", "tier", "line_type", "invoices", "lines", "amount", "currency"},
                new String[] {"2026-10", "business", "base_fee", "1", "1", "96.45", "USD"},
                new String[] {"2026-10", "pro", "base_fee", "1", "1", "54.29", "USD"},
                new String[] {"2026-10", "starter", "base_fee", "2", "2", "48.65", "USD"},
                new String[] {"2026-10", "starter", "overage", "1", "2", "66.50", "USD"},
                new String[] {"2026-10", "", "total", "3", "6", "265.89", "USD"},
                new String[] {"2026-10", "", "mrr", "", "", "157.00", "USD"},
                new String[] {"2026-10", "", "mrr_previous_month", "", "", "328.00", "USD"});
        BigDecimal csvTotal = lines.subList(1, lines.size()).stream().map(l -> new BigDecimal(l[10])).reduce(BigDecimal.ZERO, BigDecimal::add);
        String finance = text(dir.resolve("finance-report.pdf"));
        assertThat(finance).contains(csvTotal.toPlainString() + " USD").contains("All tiers total 3 6 " + csvTotal.toPlainString())
                .contains("business base_fee 1 1 96.45").contains("starter overage 1 2 66.50")
                .contains("157.00 USD").contains("-171.00 (-52.1 %)")
                .contains("new trials 1").contains("conversions 1").contains("downgrades 1");

        // Twice: the same CSV bytes.
        byte[] first = Files.readAllBytes(dir.resolve("invoice-lines.csv"));
        byte[] revenue = Files.readAllBytes(dir.resolve("revenue-summary.csv"));
        cli.ok("reports", "--period", "2026-10");
        assertThat(Files.readAllBytes(dir.resolve("invoice-lines.csv"))).isEqualTo(first);
        assertThat(Files.readAllBytes(dir.resolve("revenue-summary.csv"))).isEqualTo(revenue);
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".tmp"))).isEmpty();
        }
    }
}
