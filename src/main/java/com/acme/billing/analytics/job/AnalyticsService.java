package com.acme.billing.analytics.job;

import com.acme.billing.analytics.Cohorts;
import com.acme.billing.analytics.MonthKpis;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.JobRunner;
import java.nio.file.Path;
import java.util.List;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/** {@code analytics --period P}: the job, then what it wrote; and the stored figures for the API and reports. */
@Service
public class AnalyticsService {

    public record Outcome(String period, Path dir, List<MonthKpis.Row> figures, List<Cohorts.Row> cohorts, Long executionId) {
    }

    private final JobRunner jobRunner;
    private final Job analyticsJob;
    private final AnalyticsRepository analytics;

    public AnalyticsService(JobRunner jobRunner, @Qualifier("analyticsJob") Job analyticsJob, AnalyticsRepository analytics) {
        this.jobRunner = jobRunner;
        this.analyticsJob = analyticsJob;
        this.analytics = analytics;
    }

    public Outcome run(BillingPeriod period, Path dir) {
        JobExecution execution = jobRunner.start(analyticsJob, new JobParametersBuilder()
                .addString("period", period.toString())
                .addString("dir", dir.toString())
                .addLong("run", jobRunner.nextRun(AnalyticsJobConfig.JOB_NAME, period.toString()))
                .toJobParameters());
        return new Outcome(period.toString(), dir, analytics.figures(period), analytics.cohorts(period), execution.getId());
    }

    /** The figures of the period's last run; empty when analytics never ran for it. */
    public List<MonthKpis.Row> figures(BillingPeriod period) {
        return analytics.figures(period);
    }

    public List<Cohorts.Row> cohorts(BillingPeriod period) {
        return analytics.cohorts(period);
    }

    public List<String> periods() {
        return analytics.periods();
    }
}
