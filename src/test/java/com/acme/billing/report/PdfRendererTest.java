package com.acme.billing.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.PdfText;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PdfRenderer} lays out left-to-right text without the bidirectional algorithm; text with a right-to-left
 * character must still go through it, or a customer's name in Hebrew or Arabic would be written backwards.
 */
class PdfRendererTest {

    @TempDir
    Path tmp;

    @Test
    void aNameInAnyScriptReadsAsItIsWrittenBesideTheLatinText() throws Exception {
        Path pdf = tmp.resolve("statement.pdf");

        StatementWriter.render(new ReportTemplates().get(ReportTemplates.STATEMENT),
                statement(new Statement.BillTo("אברהם כהן בע\"מ", "Rehov Herzl 1\nTel Aviv", "IL", "")), "Acme Billing", 31, pdf);

        String text = PdfText.of(pdf);
        // PDFBox reads what the page shows back into the order it was written: the Hebrew name comes out as given only
        // when the page shows it right to left, as the bidirectional algorithm lays it out
        assertThat(text).contains("אברהם כהן בע\"מ").contains("Rehov Herzl 1 Tel Aviv Israel").contains("Account u-1")
                .contains("Base fee 2026-10-01 to 2026-11-01 1.000000 29.00 29.00").contains("Total USD 29.00");
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files).as("no temporary file left").containsExactly(pdf);
        }
    }

    @Test
    void textBelowTheHebrewBlockIsLeftToRightOnly() {
        assertThat(PdfRenderer.leftToRightOnly("Account u-1 · Stripe customer cus_1, 1,234 ü é ß ж Ω")).isTrue();
        assertThat(PdfRenderer.leftToRightOnly("שלום")).isFalse();
        assertThat(PdfRenderer.leftToRightOnly("Acme مرحبا")).isFalse();
        assertThat(PdfRenderer.leftToRightOnly("a\u200Fb")).as("a right-to-left mark").isFalse();
        assertThat(PdfRenderer.leftToRightOnly("a\u202Eb")).as("a right-to-left override").isFalse();
        assertThat(PdfRenderer.leftToRightOnly("\u058F")).as("the last character before the Hebrew block").isTrue();
        // the rule is the block, not the direction: text with a character past it goes through the algorithm, unchanged
        assertThat(PdfRenderer.leftToRightOnly("12 €")).isFalse();
    }

    private static Statement statement(Statement.BillTo billTo) {
        Instant start = Instant.parse("2026-10-01T00:00:00Z");
        Instant end = Instant.parse("2026-11-01T00:00:00Z");
        return new Statement("INV-2026-10-u-1", "u-1", "2026-10", "original", "final", "USD", new BigDecimal("29.00"),
                Instant.parse("2026-11-01T00:00:00Z"), null,
                List.of(new Statement.Line("base_fee", "starter", null, "Base fee", new BigDecimal("1"), new BigDecimal("29.00"),
                        new BigDecimal("29.00"), start, end)),
                List.of(new Statement.Usage("emails_processed", "starter", 1_000, 5_000, 0, false)),
                List.of(new Statement.Daily("emails_processed", 5, 1_000)), billTo);
    }
}
