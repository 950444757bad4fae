package com.acme.billing.scaleout;

import java.io.PrintStream;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;

/**
 * A worker's handling of one partition request: Spring Batch's {@link StepExecutionRequestHandler} runs the partition's step
 * execution (loaded from the shared job repository, so a partition taken over from a killed worker goes on from its last
 * committed chunk), after a check and with a line on stderr before and after.
 *
 * <p>The check: a request whose partition has ended meanwhile is dropped, not run. That is a request left in the queue
 * when the manager gave up waiting (its partition marked FAILED; {@code restart} sends a new request for a new execution of
 * it) or a second delivery of a partition that completed; running it would run the users twice beside the restart.
 */
public class PartitionRequests {

    private final JobRepository jobRepository;
    private final StepExecutionRequestHandler handler;
    private final PrintStream err;

    public PartitionRequests(JobRepository jobRepository, StepExecutionRequestHandler handler, PrintStream err) {
        this.jobRepository = jobRepository;
        this.handler = handler;
        this.err = err;
    }

    /** Returns once the partition's step has ended: only then is the request acknowledged. */
    public void handle(StepExecutionRequest request) {
        StepExecution partition = jobRepository.getStepExecution(request.getStepExecutionId());
        if (partition == null) {
            err.printf("worker: request for step execution %d: no such step execution in this database; dropped%n",
                    request.getStepExecutionId());
            return;
        }
        String name = describe(partition);
        JobExecution job = partition.getJobExecution();
        if ((partition.getStatus() != BatchStatus.STARTING && partition.getStatus() != BatchStatus.STARTED)
                || (job != null && !job.getStatus().isRunning())) {
            err.printf("worker: %s is %s (job execution %s); request dropped%n", name, partition.getStatus(),
                    job == null ? "?" : job.getId() + " " + job.getStatus());
            return;
        }
        boolean resumed = partition.getStatus() == BatchStatus.STARTED;
        err.printf("worker: %s: %s%n", name, resumed ? "taken over from a worker that stopped, from its last commit ("
                + partition.getWriteCount() + " written)" : "started");
        long start = System.nanoTime();
        StepExecution ended = handler.handle(request);
        settle(ended);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (ended.getStatus() == BatchStatus.COMPLETED) {
            err.printf("worker: %s: COMPLETED, %,d read, %,d written in %.1f s%n", name, ended.getReadCount(), ended.getWriteCount(), seconds);
        } else {
            String why = ended.getExitStatus().getExitDescription();
            err.printf("worker: %s: %s after %.1f s: %s%n", name, ended.getStatus(), seconds,
                    why == null || why.isBlank() ? "no reason given" : why.lines().findFirst().orElse(""));
        }
    }

    /**
     * The step records its own end; the handler only marks in memory what escaped the step (a stop, an error outside it) and
     * leaves it to a reply that polling mode does not have. Stored here so that the manager sees the partition ended.
     */
    private void settle(StepExecution ended) {
        if (ended.getStatus().isRunning()) {
            return;
        }
        try {
            StepExecution stored = jobRepository.getStepExecution(ended.getId());
            if (stored != null && stored.getStatus().isRunning()) {
                if (ended.getEndTime() == null) {
                    ended.setEndTime(java.time.LocalDateTime.now());
                }
                jobRepository.update(ended);
            }
        } catch (RuntimeException e) {
            err.printf("worker: could not record the end of step execution %d: %s%n", ended.getId(), e);
        }
    }

    private static String describe(StepExecution partition) {
        ExecutionContext context = partition.getExecutionContext();
        JobExecution job = partition.getJobExecution();
        String jobName = job == null || job.getJobInstance() == null ? "?" : job.getJobInstance().getJobName();
        return String.format("%s of %s execution %s (step execution %d, users %s .. %s)", partition.getStepName(), jobName,
                job == null ? "?" : job.getId(), partition.getId(), context.getString(Partitioning.FIRST_USER, "?"),
                context.getString(Partitioning.LAST_USER, "?"));
    }
}
