package com.acme.billing.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link StatementWriter#pdfOf}: a statement is written directly in the invoices folder or not at all. */
class StatementPathTest {

    static final Path DIR = Path.of("/tmp/reports/2026-10/invoices");

    @Test
    void aStatementIsItsInvoiceIdDotPdfInTheFolder() {
        assertThat(StatementWriter.pdfOf(DIR, "INV-2026-10-user-000042")).isEqualTo(Path.of("/tmp/reports/2026-10/invoices/INV-2026-10-user-000042.pdf"));
        assertThat(StatementWriter.pdfOf(Path.of("rel/./invoices"), "INV-2026-10-a.b_c:d@e-F"))
                .isEqualTo(Path.of("rel/invoices/INV-2026-10-a.b_c:d@e-F.pdf").toAbsolutePath());
        // Dots that stay inside the name are no escape.
        assertThat(StatementWriter.pdfOf(DIR, "INV-2026-10-..")).isEqualTo(DIR.resolve("INV-2026-10-...pdf"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"INV-2026-10-../../../x", "INV-2026-10-../../../../../../etc/cron.d/x", "../INV-2026-10-x", "/etc/passwd",
            "INV-2026-10-sub/dir", "INV-2026-10-a/../../b"})
    void aPathLeavingTheFolderFailsThatInvoiceLoudly(String invoiceId) {
        assertThatThrownBy(() -> StatementWriter.pdfOf(DIR, invoiceId)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("invoice '" + invoiceId + "'")
                .hasMessageEndingWith(": its statement path leaves /tmp/reports/2026-10/invoices; not rendered");
    }

    @Test
    void aNulInTheIdFailsThatInvoiceLoudly() {
        assertThatThrownBy(() -> StatementWriter.pdfOf(DIR, "INV-2026-10-a\u0000b")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("invoice 'INV-2026-10-a\\u0000b': not usable as a file name");
    }
}
