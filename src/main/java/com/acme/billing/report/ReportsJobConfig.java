package com.acme.billing.report;

import com.acme.billing.ops.ExecutionOwnerListener;
import com.acme.billing.platform.KeysetReader;
import com.acme.billing.platform.Workers;
import com.acme.billing.platform.Progress;
import com.acme.billing.scaleout.Partitioning;
import com.acme.billing.scaleout.RemotePartitioning;
import com.acme.billing.scaleout.UserRangePartitioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code reports}: {@code collectDailyUsage} (the month's usage per user, metric and day, from the
 * event store) → {@code writeCsvReports} (invoice-lines, usage-summary) →
 * {@code renderStatements} (chunks of invoices, one PDF per invoice, rendered on every core; the
 * last invoice done is in the step context, so a restart renders the rest) →
 * {@code writeFinanceReports} (revenue-summary.csv and finance-report.pdf, from one computation of the
 * month's figures). Every file is written to a temporary name and renamed. Parameters:
 * {@code period}, {@code dir} and {@code run}.
 */
@Configuration(proxyBeanMethods = false)
public class ReportsJobConfig {

    public static final String JOB_NAME = "renderReports";

    @Bean
    Job renderReportsJob(JobRepository jobRepository, Step collectDailyUsage, Step writeCsvReports, Step renderStatements,
            Step writeFinanceReports, ExecutionOwnerListener owners) {
        return new JobBuilder(JOB_NAME, jobRepository).listener(owners).start(collectDailyUsage).next(writeCsvReports)
                .next(renderStatements).next(writeFinanceReports).build();
    }

    @Bean
    Step collectDailyUsage(JobRepository jobRepository, PlatformTransactionManager transactionManager, ReportRepository reports) {
        return new StepBuilder("collectDailyUsage", jobRepository).tasklet((contribution, context) -> {
            String period = (String) context.getStepContext().getJobParameters().get("period");
            contribution.incrementWriteCount(reports.collectDailyUsage(period));
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    @Bean
    Step writeCsvReports(JobRepository jobRepository, PlatformTransactionManager transactionManager, CsvReports csv) {
        return new StepBuilder("writeCsvReports", jobRepository).tasklet((contribution, context) -> {
            var parameters = context.getStepContext().getJobParameters();
            String period = (String) parameters.get("period");
            Path dir = Path.of((String) parameters.get("dir"));
            csv.write(period, dir);
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    /**
     * Local (the default): chunks of invoices in this process. With {@code billing.partitioning=remote} (SPEC 13) the manager
     * step of the same name: the period's invoiced users split into ranges, each rendered by a worker as
     * {@link #renderStatementsPartition}.
     */
    @Bean
    Step renderStatements(JobRepository jobRepository, PlatformTransactionManager transactionManager, ItemStreamReader<String> invoiceIdReader,
            StatementWriter statementWriter, @Value("${billing.reports.chunk-size:500}") int chunkSize, ObjectProvider<RemotePartitioning> remote,
            @Qualifier("invoicedUserRanges") ObjectProvider<UserRangePartitioner> invoicedUserRanges) {
        RemotePartitioning partitioning = remote.getIfAvailable();
        if (partitioning != null) {
            return partitioning.managerStep("renderStatements", "renderStatementsPartition", invoicedUserRanges.getObject());
        }
        return statementChunks("renderStatements", jobRepository, transactionManager, invoiceIdReader, statementWriter, chunkSize);
    }

    /** A worker's part of {@code renderStatements}: the same chunks, over the invoices of its partition's users. */
    @Bean
    @ConditionalOnProperty(name = Partitioning.ACTIVE, havingValue = "true")
    Step renderStatementsPartition(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ItemStreamReader<String> invoiceIdReader, StatementWriter statementWriter, @Value("${billing.reports.chunk-size:500}") int chunkSize) {
        return statementChunks("renderStatementsPartition", jobRepository, transactionManager, invoiceIdReader, statementWriter, chunkSize);
    }

    private static Step statementChunks(String name, JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ItemStreamReader<String> invoiceIdReader, StatementWriter statementWriter, int chunkSize) {
        return new StepBuilder(name, jobRepository).<String, String>chunk(chunkSize)
                .transactionManager(transactionManager)
                .reader(invoiceIdReader)
                .writer(statementWriter)
                .build();
    }

    /** The users with invoices in the period, in ranges (remote partitioning). */
    @Bean
    @StepScope
    @ConditionalOnProperty(name = Partitioning.ACTIVE, havingValue = "true")
    UserRangePartitioner invoicedUserRanges(JdbcTemplate jdbc, @Value("#{jobParameters['period']}") String period) {
        return new UserRangePartitioner(jdbc, "SELECT DISTINCT user_id FROM invoices WHERE period = ?", period);
    }

    /** The period's invoices, or in a worker those of the partition's users (bounds absent from a local step's context). */
    @Bean
    @StepScope
    KeysetReader<String> invoiceIdReader(ReportRepository reports, @Value("#{jobParameters['period']}") String period,
            @Value("#{stepExecutionContext['" + Partitioning.AFTER_USER + "']}") String afterUser,
            @Value("#{stepExecutionContext['" + Partitioning.UP_TO_USER + "']}") String upToUser) {
        if (afterUser != null) {
            return new KeysetReader<>("reports.last_invoice_id", (after, limit) -> reports.invoiceIdsAfter(period, after, limit, afterUser, upToUser),
                    id -> id, 1000);
        }
        return new KeysetReader<>("reports.last_invoice_id", (after, limit) -> reports.invoiceIdsAfter(period, after, limit), id -> id, 1000);
    }

    @Bean
    @StepScope
    StatementWriter statementWriter(ReportRepository reports, ReportTemplates templates, ExecutorService reportWorkers, ExecutorService reportLoader,
            @Value("#{jobParameters['period']}") String period, @Value("#{jobParameters['dir']}") String dir,
            @Value("${billing.reports.seller}") String seller,
            @Value("${billing.progress-interval-ms:2000}") long progressMillis,
            @Value("#{stepExecutionContext['" + Partitioning.AFTER_USER + "']}") String afterUser,
            @Value("#{stepExecutionContext['" + Partitioning.UP_TO_USER + "']}") String upToUser) throws java.io.IOException {
        Path invoices = Path.of(dir).resolve("invoices");
        Files.createDirectories(invoices);
        var template = templates.get(ReportTemplates.STATEMENT);
        long total = afterUser != null ? reports.invoiceCount(period, afterUser, upToUser) : reports.invoiceCount(period);
        Progress progress = new Progress("rendering statements " + period + " (PDFs)", total, 0, System.err, progressMillis);
        return new StatementWriter(reports, template, reportWorkers, reportLoader, period, invoices, seller, progress);
    }

    @Bean
    Step writeFinanceReports(JobRepository jobRepository, PlatformTransactionManager transactionManager, FinanceFigures finance,
            FinanceReport report, CsvReports csv) {
        return new StepBuilder("writeFinanceReports", jobRepository).tasklet((contribution, context) -> {
            var parameters = context.getStepContext().getJobParameters();
            Path dir = Path.of((String) parameters.get("dir"));
            // One pass over every subscription history (MRR, movements) serves both files.
            FinanceFigures.Figures figures = finance.of((String) parameters.get("period"));
            csv.writeRevenue(figures, dir);
            report.render(figures, dir);
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    /** One rendering thread per core: filling and exporting a PDF is pure CPU. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService reportWorkers(@Value("${billing.reports.workers:0}") int workers) {
        return Workers.daemons("report-worker", workers > 0 ? workers : Runtime.getRuntime().availableProcessors());
    }

    /** The thread that reads a chunk's statements from the database while the workers render. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService reportLoader() {
        return Workers.daemons("report-loader", 1);
    }
}
