package com.acme.billing.report;

import com.acme.billing.platform.Progress;
import com.acme.billing.platform.Workers;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.user.UserId;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import net.sf.jasperreports.engine.JasperReport;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Renders a chunk of statements, one per core at a time, into {@code <dir>/invoices/<invoice_id>.pdf}.
 * The chunk's data is read in slices on a thread of its own while the slices before it render, so
 * the cores never wait for the database (reading a slice took as long as rendering a third of it).
 */
public class StatementWriter implements ItemWriter<String> {

    private final ReportRepository reports;
    private final JasperReport template;
    private final ExecutorService workers;
    private final ExecutorService loader;
    private final String period;
    private final int daysInMonth;
    private final Path invoicesDir;
    private final String seller;
    private final Progress progress;
    private final AtomicLong done = new AtomicLong();

    /** @param loader one thread that reads the chunk's data while {@code workers} render */
    public StatementWriter(ReportRepository reports, JasperReport template, ExecutorService workers, ExecutorService loader, String period,
            Path invoicesDir, String seller, Progress progress) {
        this.loader = loader;
        this.reports = reports;
        this.template = template;
        this.workers = workers;
        this.period = period;
        this.invoicesDir = invoicesDir;
        this.seller = seller;
        this.progress = progress;
        BillingPeriod p = BillingPeriod.parse(period);
        this.daysInMonth = (int) java.time.Duration.between(p.start(), p.end()).toDays();
    }

    static final int SLICE = 50;

    @Override
    public void write(Chunk<? extends String> chunk) throws Exception {
        List<String> ids = new ArrayList<>(chunk.getItems());
        List<Future<List<Statement>>> slices = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += SLICE) {
            List<String> slice = ids.subList(from, Math.min(ids.size(), from + SLICE));
            slices.add(loader.submit(() -> reports.statements(period, slice)));
        }
        List<Future<Void>> futures = new ArrayList<>();
        for (Future<List<Statement>> slice : slices) {
            for (Statement statement : slice.get()) {
                futures.add(render(statement));
            }
        }
        Workers.awaitAll(futures);
    }

    /**
     * {@code <invoicesDir>/<invoiceId>.pdf}, refused unless that is a file directly in the folder: ids are
     * checked where they come in, and this makes sure that an id that slipped past (data from before the
     * checks, a new door) fails its invoice loudly instead of writing somewhere else.
     *
     * @throws IllegalStateException naming the invoice when the path would leave the folder
     */
    static Path pdfOf(Path invoicesDir, String invoiceId) {
        Path dir = invoicesDir.toAbsolutePath().normalize();
        Path pdf;
        try {
            pdf = dir.resolve(invoiceId + ".pdf").normalize();
        } catch (InvalidPathException e) {
            throw new IllegalStateException("invoice " + UserId.quote(invoiceId) + ": not usable as a file name: " + e.getMessage(), e);
        }
        if (!pdf.startsWith(dir) || !dir.equals(pdf.getParent())) {
            throw new IllegalStateException("invoice " + UserId.quote(invoiceId) + ": its statement path leaves " + dir + "; not rendered");
        }
        return pdf;
    }

    /** One statement into {@code target}: the reports job's way, and the API's on demand. */
    static void render(JasperReport template, Statement statement, String seller, int daysInMonth, Path target) {
        Map<String, Object> parameters = StatementFormat.parameters(statement, seller);
        parameters.put("USAGE_CHART", UsageByDayChart.of(statement, daysInMonth));
        PdfRenderer.render(template, parameters, StatementFormat.rows(statement), target);
    }

    private Future<Void> render(Statement statement) {
        return workers.submit(() -> {
            render(template, statement, seller, daysInMonth, pdfOf(invoicesDir, statement.invoiceId()));
            progress.at(done.incrementAndGet());
            return null;
        });
    }
}
