package com.acme.billing.report;

import com.acme.billing.customer.Customers;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.platform.JobRunner;
import com.acme.billing.period.BillingPeriod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/** {@code reports --period P [--out DIR]}: the job {@code renderReports}, then the list of what it wrote. */
@Service
public class ReportsService {

    public record Outcome(String period, Path dir, List<String> files, long statements, Long executionId) {
    }

    private final JobRunner jobRunner;
    private final Job reportsJob;
    private final ReportRepository reports;
    private final Customers customers;

    public ReportsService(JobRunner jobRunner, @Qualifier("renderReportsJob") Job reportsJob, ReportRepository reports, Customers customers) {
        this.customers = customers;
        this.jobRunner = jobRunner;
        this.reportsJob = reportsJob;
        this.reports = reports;
    }

    public Outcome render(BillingPeriod month, Path dir) {
        String period = month.toString();
        if (reports.invoiceCount(period) == 0) {
            throw new InputRefusedException("period " + period + " has no invoices: run close-period --period " + period + " first");
        }
        // Statements show the customers' profiles: refuse now, before any job, when the key set cannot read them.
        customers.checkReadable();
        JobExecution execution = jobRunner.start(reportsJob, new JobParametersBuilder()
                .addString("period", period)
                .addString("dir", dir.toString())
                .addLong("run", jobRunner.nextRun(ReportsJobConfig.JOB_NAME, period))
                .toJobParameters());
        return outcome(period, dir, execution.getId());
    }

    public boolean hasInvoices(BillingPeriod period) {
        return reports.invoiceCount(period.toString()) > 0;
    }

    public Outcome outcome(String period, Path dir, Long executionId) {
        List<String> files = new ArrayList<>(List.of("invoice-lines.csv", "usage-summary.csv", "revenue-summary.csv", "finance-report.pdf"));
        long statements;
        try (var list = Files.list(dir.resolve("invoices"))) {
            statements = list.filter(f -> f.getFileName().toString().endsWith(".pdf")).count();
        } catch (IOException e) {
            statements = 0;
        }
        files.add("invoices/");
        return new Outcome(period, dir, files, statements, executionId);
    }
}
