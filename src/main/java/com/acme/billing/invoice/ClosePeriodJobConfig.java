package com.acme.billing.invoice;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.ops.ExecutionOwnerListener;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.rating.Rating;
import com.acme.billing.scaleout.Partitioning;
import com.acme.billing.scaleout.RemotePartitioning;
import com.acme.billing.scaleout.UserRangePartitioner;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemWriter;
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
 * {@code close-period}: {@code computeSegmentUsage} (segments of every user and the usage in each,
 * into {@code rating_segments} and {@code rating_usage}), {@code discardOldDrafts} (the drafts of an earlier close of the
 * period, in ranges of users) then {@code rateUsers} (chunks of users: rate, write drafts or, for a finalized period,
 * adjustment drafts). Parameters: {@code period} and {@code run} (the number of
 * completed closes of the period plus one, so that two runs started together are the same job
 * instance and Spring Batch refuses the second), and the non-identifying {@code catalog.version}
 * that the run pins before its first step and rates every user with.
 */
@Configuration(proxyBeanMethods = false)
public class ClosePeriodJobConfig {

    public static final String JOB_NAME = "closePeriod";

    /**
     * The catalog version of a run: a (non-identifying) job parameter set by whoever starts the run, and
     * the job's execution context once pinned. A restart or a resumed run keeps the pinned version, so
     * that the users rated before a failure and after it are rated alike even if a catalog was imported
     * in between (the next close-period, a new run, then takes the new version).
     */
    public static final String CATALOG_VERSION = "catalog.version";

    @Bean
    Job closePeriodJob(JobRepository jobRepository, Step computeSegmentUsage, Step discardOldDrafts, Step rateUsers,
            ExecutionOwnerListener owners, PeriodCatalog periodCatalog) {
        return new JobBuilder(JOB_NAME, jobRepository).listener(owners).listener(pinCatalogVersion(jobRepository, periodCatalog))
                .start(computeSegmentUsage).next(discardOldDrafts).next(rateUsers).build();
    }

    private static JobExecutionListener pinCatalogVersion(JobRepository jobRepository, PeriodCatalog periodCatalog) {
        return new JobExecutionListener() {
            @Override
            public void beforeJob(JobExecution execution) {
                ExecutionContext context = execution.getExecutionContext();
                if (context.containsKey(CATALOG_VERSION)) {
                    return;
                }
                Long chosen = execution.getJobParameters().getLong(CATALOG_VERSION);
                String period = execution.getJobParameters().getString("period");
                context.putInt(CATALOG_VERSION, chosen != null ? chosen.intValue() : periodCatalog.of(period).version());
                // Saved now, not at the end of the first step: a run killed in that step resumes with this version too.
                jobRepository.updateExecutionContext(execution);
            }
        };
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

    /**
     * Removes the drafts (and an open period's usage summaries) that an earlier close wrote, so that the
     * per-user replace of {@code rateUsers} finds nothing to delete. A transaction per range of users: a kill leaves the later
     * users' old drafts, and the restart runs this step again, which removes them; once it completed, a restart resumes
     * {@code rateUsers} at its last chunk, whose users' drafts were never written, and does not come back here. Not run beside
     * {@code computeSegmentUsage} (they touch different tables): tried, the re-close of 100,000 users took 41-43 s instead of
     * 31-32 s, H2's writers of the two steps slowing each other down (docs/benchmarks.md).
     */
    @Bean
    Step discardOldDrafts(JobRepository jobRepository, PlatformTransactionManager transactionManager, InvoiceRepository invoices) {
        return new StepBuilder("discardOldDrafts", jobRepository).tasklet((contribution, context) -> {
            String period = (String) context.getStepContext().getJobParameters().get("period");
            long start = System.nanoTime();
            boolean finalized = invoices.period(period).map(InvoiceRepository.PeriodState::finalized).orElse(false);
            InvoiceRepository.Discarded discarded = invoices.discardDrafts(period, finalized);
            contribution.incrementWriteCount(discarded.invoices());
            if (discarded.invoices() > 0 || discarded.usageRows() > 0) {
                System.err.printf("  %s: %,d earlier draft invoices (%,d lines) and %,d usage summaries discarded (%.1f s)%n", period,
                        discarded.invoices(), discarded.lines(), discarded.usageRows(), (System.nanoTime() - start) / 1e9);
            }
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    /**
     * Local (the default): chunks of users in this process. With {@code billing.partitioning=remote} (SPEC 13) the manager
     * step of the same name: the period's users split into ranges, each rated by a worker as {@link #rateUsersPartition}.
     */
    @Bean
    Step rateUsers(JobRepository jobRepository, PlatformTransactionManager transactionManager, ItemStreamReader<UserPeriod> ratingInputReader,
            ItemProcessor<UserPeriod, RatedUser> userRater, ItemWriter<RatedUser> invoiceDraftWriter,
            @Value("${billing.rating.chunk-size:1000}") int chunkSize, ObjectProvider<RemotePartitioning> remote,
            @Qualifier("ratingUserRanges") ObjectProvider<UserRangePartitioner> ratingUserRanges) {
        RemotePartitioning partitioning = remote.getIfAvailable();
        if (partitioning != null) {
            return partitioning.managerStep("rateUsers", "rateUsersPartition", ratingUserRanges.getObject());
        }
        return ratingChunks("rateUsers", jobRepository, transactionManager, ratingInputReader, userRater, invoiceDraftWriter, chunkSize);
    }

    /** A worker's part of {@code rateUsers}: the same chunks, over the users of its partition's range. */
    @Bean
    @ConditionalOnProperty(name = Partitioning.ACTIVE, havingValue = "true")
    Step rateUsersPartition(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ItemStreamReader<UserPeriod> ratingInputReader, ItemProcessor<UserPeriod, RatedUser> userRater,
            ItemWriter<RatedUser> invoiceDraftWriter, @Value("${billing.rating.chunk-size:1000}") int chunkSize) {
        return ratingChunks("rateUsersPartition", jobRepository, transactionManager, ratingInputReader, userRater, invoiceDraftWriter,
                chunkSize);
    }

    private static Step ratingChunks(String name, JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ItemStreamReader<UserPeriod> ratingInputReader, ItemProcessor<UserPeriod, RatedUser> userRater,
            ItemWriter<RatedUser> invoiceDraftWriter, int chunkSize) {
        return new StepBuilder(name, jobRepository).<UserPeriod, RatedUser>chunk(chunkSize)
                .transactionManager(transactionManager)
                .reader(ratingInputReader)
                .processor(userRater)
                .writer(invoiceDraftWriter)
                .build();
    }

    /**
     * The users with rating inputs in the period, in ranges (remote partitioning). The manager's {@link RatingRun} is made
     * first: it records the period as rated with the run's catalog, once, before any worker (whose own run then finds the
     * period's row and only updates it, instead of several inserting it at once).
     */
    @Bean
    @StepScope
    @ConditionalOnProperty(name = Partitioning.ACTIVE, havingValue = "true")
    UserRangePartitioner ratingUserRanges(JdbcTemplate jdbc, RatingRun run) {
        return new UserRangePartitioner(jdbc, "SELECT DISTINCT user_id FROM rating_segments WHERE period = ?", run.period().toString());
    }

    /** The whole period, or in a worker the users of the partition's range (bounds absent from a local step's context). */
    @Bean
    @StepScope
    RatingInputReader ratingInputReader(DataSource dataSource, @Value("#{jobParameters['period']}") String period,
            @Value("#{stepExecutionContext['" + Partitioning.AFTER_USER + "']}") String afterUser,
            @Value("#{stepExecutionContext['" + Partitioning.UP_TO_USER + "']}") String upToUser) {
        return new RatingInputReader(dataSource, period, afterUser, upToUser);
    }

    /**
     * The catalog of this step execution: the version the run pinned, read once here and shared by the
     * rater and the writer; an open period records it as the version its drafts are rated with.
     */
    @Bean
    @StepScope
    RatingRun ratingRun(CatalogRepository catalogs, InvoiceRepository invoices, @Value("#{jobParameters['period']}") String period,
            @Value("#{jobExecutionContext['" + CATALOG_VERSION + "']}") Integer catalogVersion) {
        boolean finalized = invoices.period(period).map(InvoiceRepository.PeriodState::finalized).orElse(false);
        CatalogRepository.StoredCatalog catalog = catalogs.load(catalogVersion);
        if (!finalized) {
            invoices.markRated(period, catalog.version());
        }
        return new RatingRun(BillingPeriod.parse(period), catalog, finalized);
    }

    @Bean
    @StepScope
    UserRater userRater(RatingRun run, com.acme.billing.experiment.store.ExperimentPricing pricing) {
        return new UserRater(run.period(), pricing.catalogs(run.catalog().catalog()));
    }

    /*
     * The step-scoped reader, processor and writer are classes, not lambdas, and their @Bean methods
     * declare those classes: Spring Batch looks for listener annotations on the class behind a
     * step-scoped proxy and warns at every start when a bean method declares only an interface.
     */

    /** Rates one user's period at the period's catalog, with the overrides of the user's experiment variant if any. */
    static class UserRater implements ItemProcessor<UserPeriod, RatedUser> {
        private final BillingPeriod period;
        private final com.acme.billing.experiment.VariantCatalogs catalogs;

        UserRater(BillingPeriod period, com.acme.billing.experiment.VariantCatalogs catalogs) {
            this.period = period;
            this.catalogs = catalogs;
        }

        @Override
        public RatedUser process(UserPeriod user) {
            return new RatedUser(user.userId(), Rating.rate(period, user.segments(), catalogs.forUser(user.userId())));
        }
    }

    @Bean
    @StepScope
    InvoiceDraftWriter invoiceDraftWriter(RatingRun run, InvoicePlanner planner, InvoiceRepository invoices, Clock clock,
            @Value("${billing.progress-interval-ms:2000}") long progressMillis,
            @Value("#{stepExecutionContext['" + Partitioning.USERS + "']}") Long partitionUsers) {
        String period = run.period().toString();
        long total = partitionUsers != null ? partitionUsers : invoices.ratingUsers(period);
        var progress = new com.acme.billing.platform.Progress("rating " + period + " (users)", total, 0, System.err, progressMillis);
        return new InvoiceDraftWriter(planner, invoices, clock, period, run.finalized(), run.catalog(), progress);
    }

    /** Writes a chunk of rated users as drafts (or adjustment drafts of a finalized period). */
    static class InvoiceDraftWriter implements ItemWriter<RatedUser> {
        private final InvoicePlanner planner;
        private final InvoiceRepository invoices;
        private final Clock clock;
        private final String period;
        private final boolean finalized;
        private final CatalogRepository.StoredCatalog catalog;
        private final com.acme.billing.platform.Progress progress;
        private long done;

        InvoiceDraftWriter(InvoicePlanner planner, InvoiceRepository invoices, Clock clock, String period, boolean finalized,
                CatalogRepository.StoredCatalog catalog, com.acme.billing.platform.Progress progress) {
            this.planner = planner;
            this.invoices = invoices;
            this.clock = clock;
            this.period = period;
            this.finalized = finalized;
            this.catalog = catalog;
            this.progress = progress;
        }

        @Override
        public void write(Chunk<? extends RatedUser> chunk) {
            List<? extends RatedUser> users = chunk.getItems();
            invoices.replaceDrafts(period, planner.plan(period, finalized, users), catalog.version(), catalog.catalog().currency(),
                    clock.instant());
            done += users.size();
            progress.at(done);
        }
    }
}
