package com.acme.billing.ingest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Sets {@code usage_metrics} to the stored totals of every user, metric and month that the run's
 * files touched. Totals are recomputed from all stored events, never added to, so running it twice
 * gives the same rows.
 */
public class RollUpUsageTasklet implements Tasklet {

    private static final int BATCH = 10_000;

    private final EventStore store;
    private final IngestRunRepository runs;
    private final UsageMetricsRepository usage;
    private final Clock clock;
    private final long runId;

    public RollUpUsageTasklet(EventStore store, IngestRunRepository runs, UsageMetricsRepository usage, Clock clock, long runId) {
        this.store = store;
        this.runs = runs;
        this.usage = usage;
        this.clock = clock;
        this.runId = runId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        List<Long> fileIds = runs.files(runId).stream().filter(f -> f.status().equals("stored")).map(IngestRunRepository.RunFile::fileId).toList();
        List<EventStore.MonthlyTotal> batch = new ArrayList<>(BATCH);
        long[] rows = {0};
        store.monthlyTotalsTouchedBy(fileIds, total -> {
            batch.add(total);
            if (batch.size() == BATCH) {
                usage.setTotals(batch, clock.instant());
                rows[0] += batch.size();
                batch.clear();
            }
        });
        usage.setTotals(batch, clock.instant());
        rows[0] += batch.size();
        contribution.incrementWriteCount(rows[0]);
        return RepeatStatus.FINISHED;
    }
}
