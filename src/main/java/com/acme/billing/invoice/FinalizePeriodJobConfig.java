package com.acme.billing.invoice;

import com.acme.billing.ops.ExecutionOwnerListener;
import java.time.Clock;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** {@code finalize}: one step, {@code finalizeDrafts}, that freezes the period's drafts in one transaction. */
@Configuration(proxyBeanMethods = false)
public class FinalizePeriodJobConfig {

    public static final String JOB_NAME = "finalizePeriod";

    @Bean
    Job finalizePeriodJob(JobRepository jobRepository, Step finalizeDrafts, ExecutionOwnerListener owners) {
        return new JobBuilder(JOB_NAME, jobRepository).listener(owners).start(finalizeDrafts).build();
    }

    @Bean
    Step finalizeDrafts(JobRepository jobRepository, PlatformTransactionManager transactionManager, InvoiceRepository invoices,
            Clock clock) {
        return new StepBuilder("finalizeDrafts", jobRepository).tasklet((contribution, context) -> {
            String period = (String) context.getStepContext().getJobParameters().get("period");
            // The version the drafts were rated with (recorded by close-period), not the latest: a catalog imported
            // after the service's check must not become the finalized period's version.
            int ratedWith = invoices.period(period).map(InvoiceRepository.PeriodState::catalogVersion)
                    .orElseThrow(() -> new IllegalStateException("period " + period + " has not been closed"));
            int finalized = invoices.finalizeDrafts(period, ratedWith, clock.instant());
            contribution.incrementWriteCount(finalized);
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }
}
