package com.acme.billing.ingest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Sets {@code usage_metrics} to the stored totals of every month that the run's files touched.
 * Totals are recomputed from all stored events of those months, never added to, so running it twice
 * gives the same rows; only rows whose value changed are written.
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
        long startNanos = System.nanoTime();
        List<Long> fileIds = runs.files(runId).stream().filter(f -> f.status().equals("stored")).map(IngestRunRepository.RunFile::fileId).toList();
        List<Integer> months = store.monthsOf(fileIds);
        Map<String, Long> current = usage.counts(months);
        List<EventStore.MonthlyTotal> batch = new ArrayList<>(BATCH);
        long[] rows = {0, 0};
        store.monthlyTotals(months, total -> {
            rows[0]++;
            Long known = current.get(UsageMetricsRepository.key(total.userId(), total.metric(), total.month()));
            if (known != null && known == total.quantity()) {
                return;
            }
            batch.add(total);
            if (batch.size() == BATCH) {
                usage.setTotals(batch, clock.instant());
                rows[1] += batch.size();
                batch.clear();
            }
        });
        usage.setTotals(batch, clock.instant());
        rows[1] += batch.size();
        contribution.incrementWriteCount(rows[1]);
        System.err.printf("  usage_metrics: %,d rows (user, metric, month) of %s, %,d changed (%.1f s)%n", rows[0],
                months.stream().map(UsageMetricsRepository::monthYear).toList(), rows[1], (System.nanoTime() - startNanos) / 1e9);
        return RepeatStatus.FINISHED;
    }
}
