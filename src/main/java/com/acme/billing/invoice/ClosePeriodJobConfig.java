package com.acme.billing.invoice;

import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.ops.ExecutionOwnerListener;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.rating.Rating;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code close-period}: {@code computeSegmentUsage} (segments of every user and the usage in each,
 * into {@code rating_segments} and {@code rating_usage}) then {@code rateUsers} (chunks of users: rate, write drafts or, for a
 * finalized period, adjustment drafts). Parameters: {@code period} and {@code run} (the number of
 * completed closes of the period plus one, so that two runs started together are the same job
 * instance and Spring Batch refuses the second).
 */
@Configuration(proxyBeanMethods = false)
public class ClosePeriodJobConfig {

    public static final String JOB_NAME = "closePeriod";

    @Bean
    Job closePeriodJob(JobRepository jobRepository, Step computeSegmentUsage, Step rateUsers, ExecutionOwnerListener owners) {
        return new JobBuilder(JOB_NAME, jobRepository).listener(owners).start(computeSegmentUsage).next(rateUsers).build();
    }

    @Bean
    Step computeSegmentUsage(JobRepository jobRepository, PlatformTransactionManager transactionManager, RatingInputs inputs,
            RatingInputRepository inputRows) {
        return new StepBuilder("computeSegmentUsage", jobRepository).tasklet((contribution, context) -> {
            String period = (String) context.getStepContext().getJobParameters().get("period");
            long start = System.nanoTime();
            var sink = inputRows.sink(BillingPeriod.parse(period));
            long users = inputs.build(BillingPeriod.parse(period), sink);
            contribution.incrementWriteCount(users);
            System.err.printf("  %s: segments of %,d subscribed users and their usage (%.1f s)%n", period, users, (System.nanoTime() - start) / 1e9);
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    @Bean
    Step rateUsers(JobRepository jobRepository, PlatformTransactionManager transactionManager, ItemStreamReader<UserPeriod> ratingInputReader,
            ItemProcessor<UserPeriod, RatedUser> userRater, ItemWriter<RatedUser> invoiceDraftWriter,
            @Value("${billing.rating.chunk-size:1000}") int chunkSize) {
        return new StepBuilder("rateUsers", jobRepository).<UserPeriod, RatedUser>chunk(chunkSize)
                .transactionManager(transactionManager)
                .reader(ratingInputReader)
                .processor(userRater)
                .writer(invoiceDraftWriter)
                .build();
    }

    @Bean
    @StepScope
    ItemStreamReader<UserPeriod> ratingInputReader(DataSource dataSource, @Value("#{jobParameters['period']}") String period) {
        return new RatingInputReader(dataSource, period);
    }

    @Bean
    @StepScope
    ItemProcessor<UserPeriod, RatedUser> userRater(PeriodCatalog close, @Value("#{jobParameters['period']}") String period) {
        var catalog = close.of(period).catalog();
        BillingPeriod billingPeriod = BillingPeriod.parse(period);
        return user -> new RatedUser(user.userId(), Rating.rate(billingPeriod, user.segments(), catalog));
    }

    @Bean
    @StepScope
    ItemWriter<RatedUser> invoiceDraftWriter(PeriodCatalog close, InvoicePlanner planner, InvoiceRepository invoices, Clock clock,
            @Value("#{jobParameters['period']}") String period, @Value("${billing.progress-interval-ms:2000}") long progressMillis) {
        boolean finalized = invoices.period(period).map(InvoiceRepository.PeriodState::finalized).orElse(false);
        CatalogRepository.StoredCatalog catalog = close.of(period);
        if (!finalized) {
            invoices.markRated(period, catalog.version());
        }
        long total = invoices.ratingUsers(period);
        var progress = new com.acme.billing.platform.Progress("rating " + period + " (users)", total, 0, System.err, progressMillis);
        long[] done = {0};
        return chunk -> {
            List<? extends RatedUser> users = chunk.getItems();
            invoices.replaceDrafts(period, planner.plan(period, finalized, users), catalog.version(), catalog.catalog().currency(),
                    clock.instant());
            done[0] += users.size();
            progress.at(done[0]);
        };
    }
}
