package com.acme.billing.ingest;

import com.acme.billing.eventstore.EventStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sets {@code usage_metrics} to the stored totals of every month that the run's files touched.
 * Totals are recomputed from all stored events of those months, never added to, so running it twice
 * gives the same rows; only rows whose value changed are written. With the event store in DuckDB, the
 * totals are read out and each batch of rows commits on its own: a big month is 300,000 rows, and one
 * H2 transaction of that size spent longer in its commit than in its inserts. A run that dies half way
 * leaves some rows already right, and the restart sets them again to the same values. With the event
 * store in PostgreSQL, the billing database itself aggregates and sets the rows, in one transaction.
 */
public class RollUpUsageTasklet implements Tasklet {

    private static final int BATCH = 10_000;

    private final EventStore store;
    private final IngestRunRepository runs;
    private final UsageMetricsRepository usage;
    private final Clock clock;
    private final long runId;
    private final TransactionTemplate eachBatch;

    public RollUpUsageTasklet(EventStore store, IngestRunRepository runs, UsageMetricsRepository usage, Clock clock, long runId,
            PlatformTransactionManager transactionManager) {
        this.eachBatch = new TransactionTemplate(transactionManager);
        this.eachBatch.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
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
        AtomicLong totals = new AtomicLong();
        AtomicLong changed = new AtomicLong();
        if (store.inBillingDatabase()) {
            // One transaction: PostgreSQL, unlike H2, does not slow down with the size of a transaction's changes.
            eachBatch.executeWithoutResult(status -> {
                for (int month : months) {
                    UsageMetricsRepository.SetTotals set = usage.setTotalsComputedHere(month, store.monthlyTotalsQuery(month).orElseThrow(),
                            clock.instant());
                    totals.addAndGet(set.totals());
                    changed.addAndGet(set.changed());
                }
            });
        } else {
            setTotalsReadOut(months, totals, changed);
        }
        contribution.incrementWriteCount(changed.get());
        System.err.printf("  usage_metrics: %,d rows (user, metric, month) of %s, %,d changed (%.1f s)%n", totals.get(),
                months.stream().map(UsageMetricsRepository::monthYear).toList(), changed.get(), (System.nanoTime() - startNanos) / 1e9);
        return RepeatStatus.FINISHED;
    }

    /** The totals of a store elsewhere (DuckDB beside H2), read out, compared with the rows and written in batches. */
    private void setTotalsReadOut(List<Integer> months, AtomicLong totals, AtomicLong changed) {
        Map<String, Long> current = usage.counts(months);
        List<EventStore.MonthlyTotal> batch = new ArrayList<>(BATCH);
        store.monthlyTotals(months, total -> {
            totals.incrementAndGet();
            Long known = current.get(UsageMetricsRepository.key(total.userId(), total.metric(), total.month()));
            if (known != null && known == total.quantity()) {
                return;
            }
            batch.add(total);
            if (batch.size() == BATCH) {
                write(batch, current);
                changed.addAndGet(batch.size());
                batch.clear();
            }
        });
        write(batch, current);
        changed.addAndGet(batch.size());
    }

    private void write(List<EventStore.MonthlyTotal> batch, Map<String, Long> current) {
        eachBatch.executeWithoutResult(status -> usage.setTotals(batch, current, clock.instant()));
    }
}
