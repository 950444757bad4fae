package com.acme.billing.ingest;

import com.acme.billing.eventstore.EventStore;
import com.acme.billing.platform.DatabaseUrl;

import com.acme.billing.platform.Progress;
import com.acme.billing.platform.ScopedTargets;
import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.platform.BillingPaths;
import com.acme.billing.ops.ExecutionOwnerListener;
import java.nio.file.Path;
import java.time.Clock;
import com.acme.billing.period.BillingPeriod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The ingest job (SPEC 2), one run of {@code jobs/billing ingest}:
 * <ol>
 * <li>{@code stageUsageFiles}: one partition per file, in the order given, each a chunk step that
 * reads, validates and stages its lines;</li>
 * <li>{@code storeNewEvents}: per file, dedupe against all stored events, keep the new ones, write
 * the rejects file, record the counts;</li>
 * <li>{@code rollUpUsageMetrics}: set {@code usage_metrics} for every user, metric and month touched;</li>
 * <li>{@code raiseLimitAlerts}: the limit alerts of SPEC 10 for those months ({@link UsageRolledUp});</li>
 * <li>{@code finishIngestRun}: move inbox files to the archive, delete the staging files.</li>
 * </ol>
 * The run's files live in {@code ingest_run_files}; the only job parameter is {@code run.id}.
 */
@Configuration(proxyBeanMethods = false)
public class IngestJobConfig {

    public static final String JOB_NAME = "ingestUsage";
    public static final String RUN_ID = "run.id";
    static final String RUN_FILE_ID = "runFileId";

    @Bean
    Job ingestUsageJob(JobRepository jobRepository, Step stageUsageFiles, Step storeNewEvents, Step rollUpUsageMetrics,
            Step raiseLimitAlerts, Step finishIngestRun, ExecutionOwnerListener owners) {
        return new JobBuilder(JOB_NAME, jobRepository)
                .listener(owners)
                .start(stageUsageFiles)
                .next(storeNewEvents)
                .next(rollUpUsageMetrics)
                .next(raiseLimitAlerts)
                .next(finishIngestRun)
                .build();
    }

    @Bean
    Step stageUsageFiles(JobRepository jobRepository, Step stageUsageFile, Partitioner usageFilePartitioner) {
        // Files are staged one after the other: their order decides which copy of an event is "first".
        return new StepBuilder("stageUsageFiles", jobRepository)
                .partitioner("stageUsageFile", usageFilePartitioner)
                .step(stageUsageFile)
                .taskExecutor(new SyncTaskExecutor())
                .build();
    }

    @Bean
    @JobScope
    Partitioner usageFilePartitioner(IngestRunRepository runs, @Value("#{jobParameters['run.id']}") Long runId) {
        return gridSize -> {
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            for (IngestRunRepository.RunFile file : runs.files(runId)) {
                if (file.status().equals("pending")) {
                    ExecutionContext context = new ExecutionContext();
                    context.putLong(RUN_FILE_ID, file.id());
                    partitions.put(String.format("file-%04d", file.seq()), context);
                }
            }
            return partitions;
        };
    }

    @Bean
    Step stageUsageFile(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ItemStreamReader<UsageLine> usageLogReader, ItemProcessor<UsageLine, StagedLine> usageLineValidator,
            ItemStreamWriter<StagedLine> stagingWriter, @Value("${billing.ingest.chunk-size:0}") int chunkSize,
            @Value("${spring.datasource.url}") String databaseUrl) {
        return new StepBuilder("stageUsageFile", jobRepository)
                .<UsageLine, StagedLine>chunk(chunkSize > 0 ? chunkSize : stagingChunkLines(databaseUrl))
                .transactionManager(transactionManager)
                // Two calls a line: on the targets, not through the step-scoped proxies (see ScopedTargets).
                .reader(ScopedTargets.reader(usageLogReader))
                .processor(ScopedTargets.processor(usageLineValidator))
                .writer(stagingWriter)
                .build();
    }

    /**
     * Lines a chunk of {@code stageUsageFile}, unless {@code billing.ingest.chunk-size} says. Every chunk commits the step's
     * state to the job repository: on PostgreSQL a few round trips and a WAL flush, two thousand times for ten million lines
     * in chunks of 5,000; chunks of 20,000 staged the benchmark's file in 12.7 s instead of 14.3 s (medians of 3,
     * docs/benchmarks.md). H2 commits in the process, where 20,000 gained nothing.
     */
    static int stagingChunkLines(String databaseUrl) {
        return DatabaseUrl.isPostgres(databaseUrl) ? 20_000 : 5_000;
    }

    @Bean
    @StepScope
    UsageLogReader usageLogReader(IngestRunRepository runs,
            @Value("#{stepExecutionContext['runFileId']}") Long runFileId,
            @Value("${billing.progress-interval-ms:2000}") long progressMillis) {
        IngestRunRepository.RunFile file = runs.file(runFileId);
        return new UsageLogReader(Path.of(file.path()), file.format(),
                fromLine -> new Progress(file.fileName(), file.totalLines(), fromLine, System.err, progressMillis));
    }

    @Bean
    @StepScope
    UsageLineValidator usageLineValidator(CatalogRepository catalogs, Clock clock) {
        var catalog = catalogs.latest().orElseThrow(() -> new IllegalStateException("no catalog imported"));
        return new UsageLineValidator(new HashSet<>(catalog.catalog().metrics()), clock.instant().toEpochMilli() * 1000);
    }

    @Bean
    @StepScope
    StagingWriter stagingWriter(BillingPaths paths, IngestRunRepository runs, EventStore eventStore,
            @Value("#{stepExecutionContext['runFileId']}") Long runFileId) {
        return new StagingWriter(StagingFiles.of(paths.staging(), runs.file(runFileId).fileId(), eventStore.stagedEventsFormat()));
    }

    @Bean
    Step storeNewEvents(JobRepository jobRepository, PlatformTransactionManager transactionManager, StoreNewEventsTasklet tasklet) {
        return new StepBuilder("storeNewEvents", jobRepository).tasklet(tasklet, transactionManager).build();
    }

    @Bean
    @JobScope
    StoreNewEventsTasklet storeNewEventsTasklet(EventStore eventStore, IngestRunRepository runs, BillingPaths paths, Clock clock,
            @Value("#{jobParameters['run.id']}") Long runId) {
        return new StoreNewEventsTasklet(eventStore, runs, paths, clock, runId);
    }

    @Bean
    Step rollUpUsageMetrics(JobRepository jobRepository, PlatformTransactionManager transactionManager, RollUpUsageTasklet tasklet) {
        return new StepBuilder("rollUpUsageMetrics", jobRepository).tasklet(tasklet, transactionManager).build();
    }

    @Bean
    @JobScope
    RollUpUsageTasklet rollUpUsageTasklet(EventStore eventStore, IngestRunRepository runs, UsageMetricsRepository usage, Clock clock,
            @Value("#{jobParameters['run.id']}") Long runId, PlatformTransactionManager transactionManager) {
        return new RollUpUsageTasklet(eventStore, runs, usage, clock, runId, transactionManager);
    }

    @Bean
    Step finishIngestRun(JobRepository jobRepository, PlatformTransactionManager transactionManager, FinishIngestRunTasklet tasklet) {
        return new StepBuilder("finishIngestRun", jobRepository).tasklet(tasklet, transactionManager).build();
    }

    @Bean
    @JobScope
    FinishIngestRunTasklet finishIngestRunTasklet(IngestRunRepository runs, BillingPaths paths, EventStore eventStore,
            @Value("#{jobParameters['run.id']}") Long runId) {
        return new FinishIngestRunTasklet(runs, paths, eventStore.stagedEventsFormat(), runId);
    }

    /**
     * Tells the listeners (limit alerts) which months now hold new totals. Its own step: when raising
     * fails, a restart raises again (alerts are once per subject) without rolling up again.
     */
    @Bean
    Step raiseLimitAlerts(JobRepository jobRepository, PlatformTransactionManager transactionManager, EventStore eventStore,
            IngestRunRepository runs, org.springframework.context.ApplicationEventPublisher events) {
        return new StepBuilder("raiseLimitAlerts", jobRepository).tasklet((contribution, chunkContext) -> {
            long runId = (Long) chunkContext.getStepContext().getJobParameters().get(RUN_ID);
            List<Long> fileIds = runs.files(runId).stream().filter(f -> f.status().equals("stored")).map(IngestRunRepository.RunFile::fileId).toList();
            List<BillingPeriod> months = eventStore.monthsOf(fileIds).stream()
                    .map(m -> new BillingPeriod(java.time.YearMonth.of(m / 100, m % 100))).toList();
            if (!months.isEmpty()) {
                events.publishEvent(new UsageRolledUp(months));
            }
            return org.springframework.batch.infrastructure.repeat.RepeatStatus.FINISHED;
        }, transactionManager).build();
    }
}
