package com.acme.billing.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** revenue-summary.csv from its typed rows: exact bytes, negative amounts kept as numbers, a formula-like tier name neutralized. */
class RevenueSummaryCsvTest {

    @TempDir
    Path tmp;

    @Test
    void writesTheRowsAsRfc4180WithNumbersKeptAndFormulasNeutralized() throws IOException {
        // Amounts come from NUMERIC(19,6) sums; MRR sums monthly prices and is rounded half up to cents once (58.005 -> 58.01).
        var figures = new FinanceFigures.Figures("2026-10", "USD",
                List.of(new FinanceFigures.Revenue("=evil()", "base_fee", 2, 2, new BigDecimal("58.000000")),
                        new FinanceFigures.Revenue("starter", "adjustment", 1, 3, new BigDecimal("-12.500000")),
                        new FinanceFigures.Revenue("team, large", "overage", 1, 1, new BigDecimal("0.010000"))),
                new BigDecimal("45.510000"), 3, 6, new BigDecimal("58.005"), new BigDecimal("29"), List.of(), Map.of(), List.of());

        Path file = new CsvReports(null).writeRevenue(figures, tmp);

        assertThat(file).isEqualTo(tmp.resolve("revenue-summary.csv"));
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).isEqualTo(String.join("\r\n",
                "period,tier,line_type,invoices,lines,amount,currency",
                "2026-10,'=evil(),base_fee,2,2,58.00,USD",
                "2026-10,starter,adjustment,1,3,-12.50,USD",
                "2026-10,\"team, large\",overage,1,1,0.01,USD",
                "2026-10,,total,3,6,45.51,USD",
                "2026-10,,mrr,,,58.01,USD",
                "2026-10,,mrr_previous_month,,,29.00,USD",
                ""));
    }
}
