package com.acme.billing.scaleout;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * Watches the partitions of a manager step while Spring Batch's {@code MessageChannelPartitionHandler} polls the job
 * repository for their end, and ends the wait when the work has stalled: when no unfinished partition has changed
 * (status, version, commit and write counts: every chunk a worker commits changes them) for the partition timeout, every
 * unfinished partition is marked FAILED with an end time and "no progress for N s"; the handler then sees them all ended,
 * the manager step fails, and {@code restart} runs exactly the partitions not COMPLETED, each from its last commit.
 *
 * <p>Stalled is judged over all partitions, not one by one: with fewer workers than partitions the waiting ones sit in
 * the queue (never started) while the workers progress on others, and a partition whose worker died is redelivered to a
 * busy worker that takes it up once it is free. Either is fine as long as something progresses. With no worker at all, or
 * every worker gone, nothing changes and the step fails after the timeout.
 *
 * <p>A worker still running a partition marked failed (a chunk slower than the timeout) cannot commit again: its next
 * update of the step execution meets the version this wrote and fails, so its chunk rolls back. Marking loses the race
 * the other way round when the worker commits first; that is progress, and the wait goes on.
 */
public class PartitionWatch implements StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionWatch.class);

    private final JobRepository jobRepository;
    private final String workerStep;
    private final Duration timeout;
    private final Duration pollInterval;
    private final long progressMillis;
    private final String queue;
    private final PrintStream err;
    private final Map<Long, ScheduledExecutorService> watching = new ConcurrentHashMap<>();

    public PartitionWatch(JobRepository jobRepository, String workerStep, Duration timeout, Duration pollInterval, long progressMillis,
            String queue, PrintStream err) {
        this.jobRepository = jobRepository;
        this.workerStep = workerStep;
        this.timeout = timeout;
        this.pollInterval = pollInterval;
        this.progressMillis = progressMillis;
        this.queue = queue;
        this.err = err;
    }

    @Override
    public void beforeStep(StepExecution manager) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "partition-watch-" + manager.getId());
            thread.setDaemon(true);
            return thread;
        });
        Check check = new Check(manager.getJobExecutionId(), manager.getStepName());
        timer.scheduleWithFixedDelay(() -> {
            try {
                check.run();
            } catch (RuntimeException e) {
                // A database hiccup: the next check tries again (the handler's own polling would fail the step anyway).
                log.warn("checking the partitions of {} failed: {}", manager.getStepName(), e.toString());
            }
        }, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        watching.put(manager.getId(), timer);
    }

    /**
     * Ends the watch. A manager step that failed for another reason (RabbitMQ unreachable when sending, say) leaves no
     * partition STARTING or STARTED behind, since restart refuses a step in those states; and the partitions in the
     * manager's job execution (created there when it split, never updated since) take their stored state, so that the
     * command names the partition that failed and why.
     */
    @Override
    public ExitStatus afterStep(StepExecution manager) {
        ScheduledExecutorService timer = watching.remove(manager.getId());
        if (timer != null) {
            timer.shutdownNow();
        }
        if (manager.getStatus() != BatchStatus.COMPLETED) {
            markUnfinished(partitions(manager.getJobExecutionId()), "not run: the manager step " + manager.getStepName() + " ended "
                    + manager.getStatus() + "; jobs/billing restart " + manager.getJobExecutionId() + " runs it again");
        }
        Map<Long, StepExecution> stored = new TreeMap<>();
        partitions(manager.getJobExecutionId()).forEach(p -> stored.put(p.getId(), p));
        for (StepExecution local : manager.getJobExecution().getStepExecutions()) {
            StepExecution fresh = stored.get(local.getId());
            if (fresh != null && local != manager) {
                local.setStatus(fresh.getStatus());
                local.setExitStatus(fresh.getExitStatus());
                local.setEndTime(fresh.getEndTime());
                local.setReadCount(fresh.getReadCount());
                local.setWriteCount(fresh.getWriteCount());
                local.setCommitCount(fresh.getCommitCount());
            }
        }
        return null;
    }

    private List<StepExecution> partitions(long jobExecutionId) {
        JobExecution execution = jobRepository.getJobExecution(jobExecutionId);
        return execution == null ? List.of()
                : execution.getStepExecutions().stream().filter(s -> s.getStepName().startsWith(workerStep + ":")).toList();
    }

    /** Marks the partitions still STARTING or STARTED as FAILED; returns how many, or -1 when one of them moved meanwhile. */
    private int markUnfinished(List<StepExecution> partitions, String why) {
        int marked = 0;
        for (StepExecution partition : partitions) {
            if (partition.getStatus() != BatchStatus.STARTING && partition.getStatus() != BatchStatus.STARTED) {
                continue;
            }
            partition.setStatus(BatchStatus.FAILED);
            partition.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
            partition.setEndTime(LocalDateTime.now());
            try {
                jobRepository.update(partition);
                marked++;
            } catch (OptimisticLockingFailureException e) {
                return -1;
            }
        }
        return marked;
    }

    /** One look at the partitions: what changed since the last look, and when anything last did. */
    private final class Check implements Runnable {
        private final long jobExecutionId;
        private final String managerStep;
        private Map<Long, String> last = Map.of();
        private long lastChange = System.nanoTime();
        private long lastPrint = System.nanoTime();

        Check(long jobExecutionId, String managerStep) {
            this.jobExecutionId = jobExecutionId;
            this.managerStep = managerStep;
        }

        @Override
        public void run() {
            List<StepExecution> partitions = partitions(jobExecutionId);
            if (partitions.isEmpty()) {
                lastChange = System.nanoTime(); // still splitting
                return;
            }
            Map<Long, String> now = new TreeMap<>();
            int waiting = 0;
            int running = 0;
            int done = 0;
            for (StepExecution p : partitions) {
                now.put(p.getId(), p.getStatus() + "/" + p.getVersion() + "/" + p.getCommitCount() + "/" + p.getWriteCount());
                switch (p.getStatus()) {
                    case STARTING -> waiting++;
                    case STARTED -> running++;
                    default -> done++;
                }
            }
            long at = System.nanoTime();
            if (!now.equals(last)) {
                last = now;
                lastChange = at;
            }
            if (at - lastPrint >= progressMillis * 1_000_000L) {
                lastPrint = at;
                err.printf("  %s: %d of %d partitions done, %d running, %d waiting for a worker (queue %s)%n", managerStep, done,
                        partitions.size(), running, waiting, queue);
            }
            if (waiting + running > 0 && at - lastChange >= timeout.toNanos()) {
                String why = "no progress for " + timeout.toSeconds() + " s (no worker took the partition, or its worker stopped); "
                        + "jobs/billing restart " + jobExecutionId + " runs it again";
                int marked = markUnfinished(partitions, why);
                if (marked < 0) {
                    lastChange = System.nanoTime(); // a worker committed meanwhile: that is progress
                    return;
                }
                err.printf("  %s: no partition progressed for %d s: %d unfinished partitions marked failed%n", managerStep,
                        timeout.toSeconds(), marked);
                log.warn("{} of job execution {}: no progress for {} s, {} partitions marked FAILED", managerStep, jobExecutionId,
                        timeout.toSeconds(), marked);
            }
        }
    }
}
