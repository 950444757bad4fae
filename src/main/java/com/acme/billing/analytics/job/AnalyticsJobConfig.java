package com.acme.billing.analytics.job;

import com.acme.billing.ops.ExecutionOwnerListener;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.csv.CsvFiles;
import java.nio.file.Path;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code analytics}: {@code computeKpis} (one pass over the subscription histories; the period's
 * figures and cohort table replaced in the step's transaction) → {@code writeAnalyticsFiles}
 * ({@code analytics.csv}, {@code cohorts.csv}, each written to a temporary name and renamed).
 * Parameters: {@code period}, {@code dir} and {@code run}. Both steps are tasklets, not chunk steps:
 * the output is a few hundred aggregate figures, not one item per user, so a restart simply does the
 * step again; the figures are derived data and replacing them is idempotent.
 */
@Configuration(proxyBeanMethods = false)
public class AnalyticsJobConfig {

    public static final String JOB_NAME = "analytics";
    public static final String[] FIGURES_HEADER = {"metric", "tier", "value"};
    public static final String[] COHORTS_HEADER = {"cohort", "months_since", "users", "paying", "share_paying", "mrr", "net_revenue_retention"};

    @Bean
    Job analyticsJob(JobRepository jobRepository, Step computeKpis, Step writeAnalyticsFiles, ExecutionOwnerListener owners) {
        return new JobBuilder(JOB_NAME, jobRepository).listener(owners).start(computeKpis).next(writeAnalyticsFiles).build();
    }

    @Bean
    Step computeKpis(JobRepository jobRepository, PlatformTransactionManager transactionManager, AnalyticsComputation computation,
            AnalyticsRepository analytics, ChurnAlert churn) {
        return new StepBuilder("computeKpis", jobRepository).tasklet((contribution, context) -> {
            BillingPeriod period = BillingPeriod.parse((String) context.getStepContext().getJobParameters().get("period"));
            AnalyticsComputation.Result result = computation.compute(period);
            analytics.store(period, result.figures(), result.cohorts());
            churn.raiseIfHigh(period, result.figures());
            contribution.incrementReadCount();
            contribution.incrementWriteCount(result.figures().size());
            context.getStepContext().getStepExecution().getExecutionContext().putLong("analytics.users", result.users());
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    @Bean
    Step writeAnalyticsFiles(JobRepository jobRepository, PlatformTransactionManager transactionManager, AnalyticsRepository analytics) {
        return new StepBuilder("writeAnalyticsFiles", jobRepository).tasklet((contribution, context) -> {
            var parameters = context.getStepContext().getJobParameters();
            BillingPeriod period = BillingPeriod.parse((String) parameters.get("period"));
            Path dir = Path.of((String) parameters.get("dir"));
            CsvFiles.writeAtomically(dir.resolve("analytics.csv"), CsvFiles.CRLF, out -> {
                out.row(FIGURES_HEADER);
                analytics.figures(period).forEach(r -> out.row(r.metric(), r.tier(), r.value()));
            });
            CsvFiles.writeAtomically(dir.resolve("cohorts.csv"), CsvFiles.CRLF, out -> {
                out.row(COHORTS_HEADER);
                analytics.cohorts(period).forEach(c -> out.row(c.cohort(), Integer.toString(c.monthsSince()), Long.toString(c.users()),
                        Long.toString(c.paying()), c.sharePaying(), c.mrr(), c.netRevenueRetention()));
            });
            contribution.incrementWriteCount(2);
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }
}
