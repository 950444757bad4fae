package com.acme.billing.report;

import com.acme.billing.customer.Customers;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.BillingPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * One statement PDF for the API (SPEC 8): the one the reports job rendered when it exists and is not
 * older than the invoice, else rendered now from the same template and data. Rendered on demand, the
 * usage-by-day chart shows what the reports job last collected for the month (the event store may be
 * busy with an ingest; SPEC 8 asks for the statement, the chart is an extra).
 */
@Service
public class StatementOnDemand {

    /** The invoice's owner and period, for the caller's checks. */
    public record InvoiceRef(String invoiceId, String userId, String period) {
    }

    private final ReportRepository reports;
    private final ReportTemplates templates;
    private final BillingPaths paths;
    private final JdbcClient jdbc;
    private final String seller;
    private final Customers customers;

    public StatementOnDemand(ReportRepository reports, ReportTemplates templates, BillingPaths paths, JdbcClient jdbc,
            @Value("${billing.reports.seller}") String seller, Customers customers) {
        this.customers = customers;
        this.reports = reports;
        this.templates = templates;
        this.paths = paths;
        this.jdbc = jdbc;
        this.seller = seller;
    }

    /** One invoice of a user as listed (API and console): total at the currency's minor digits. */
    public record UserInvoice(String invoiceId, String period, String status, java.math.BigDecimal total, String currency) {
    }

    /** Every invoice of the user, drafts too, newest period first. */
    public List<UserInvoice> invoicesOf(com.acme.billing.user.UserId user) {
        return jdbc.sql("SELECT invoice_id, period, status, total, currency FROM invoices WHERE user_id = ? ORDER BY period DESC, invoice_id")
                .param(user.value())
                .query((rs, n) -> {
                    String currency = rs.getString(5);
                    java.math.BigDecimal total = rs.getBigDecimal(4).setScale(com.acme.billing.money.Money.minorDigits(currency),
                            java.math.RoundingMode.UNNECESSARY);
                    return new UserInvoice(rs.getString(1), rs.getString(2), rs.getString(3), total, currency);
                })
                .list();
    }

    /**
     * The invoice as {@code onlyUser} may see it: a customer's own invoices only (another user's reads as absent, so
     * its existence does not leak); null for the roles that see every user's.
     */
    public Optional<InvoiceRef> find(String invoiceId, String onlyUser) {
        return find(invoiceId).filter(i -> onlyUser == null || i.userId().equals(onlyUser));
    }

    public Optional<InvoiceRef> find(String invoiceId) {
        return jdbc.sql("SELECT invoice_id, user_id, period FROM invoices WHERE invoice_id = ?").param(invoiceId)
                .query((rs, n) -> new InvoiceRef(rs.getString(1), rs.getString(2), rs.getString(3))).optional();
    }

    /** The PDF's bytes. */
    public byte[] pdf(InvoiceRef invoice) {
        Path rendered = StatementWriter.pdfOf(paths.reports().resolve(invoice.period()).resolve("invoices"), invoice.invoiceId());
        try {
            if (Files.isRegularFile(rendered) && !renderedBeforeLastChange(invoice, rendered)) {
                return Files.readAllBytes(rendered);
            }
            Path dir = Files.createDirectories(paths.staging().resolve("statements"));
            Path target = StatementWriter.pdfOf(dir, invoice.invoiceId() + "-" + Thread.currentThread().getId());
            try {
                Statement statement = reports.statements(invoice.period(), List.of(invoice.invoiceId())).get(0);
                BillingPeriod period = BillingPeriod.parse(invoice.period());
                int days = (int) Duration.between(period.start(), period.end()).toDays();
                StatementWriter.render(templates.get(ReportTemplates.STATEMENT), statement, seller, days, target);
                return Files.readAllBytes(target);
            } finally {
                Files.deleteIfExists(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("statement " + invoice.invoiceId() + ": " + e.getMessage(), e);
        }
    }

    /** A draft recomputed (or a line added), or the customer's profile imported, after the reports ran: the file is stale. */
    private boolean renderedBeforeLastChange(InvoiceRef invoice, Path rendered) throws IOException {
        var changed = jdbc.sql("SELECT created_at FROM invoices WHERE invoice_id = ?").param(invoice.invoiceId())
                .query(java.time.OffsetDateTime.class).optional().orElse(null);
        java.time.Instant renderedAt = Files.getLastModifiedTime(rendered).toInstant();
        if (changed != null && renderedAt.isBefore(changed.toInstant())) {
            return true;
        }
        return customers.updatedAt(invoice.userId()).map(renderedAt::isBefore).orElse(false);
    }
}
