package com.acme.billing.scaleout;

import java.time.Duration;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.integration.partition.RemotePartitioningManagerStepBuilderFactory;
import org.springframework.messaging.MessageChannel;

/**
 * Builds the manager steps of remote partitioning (Spring Batch's {@code RemotePartitioningManagerStepBuilderFactory}, polling
 * mode: the partitions' requests go out over {@code requests} to RabbitMQ, and the manager polls the shared job repository
 * for their end), each with a {@link PartitionWatch} that fails the step when the partitions stall. A bean only when
 * {@link Partitioning#ACTIVE}: the jobs build their local steps when it is absent.
 */
public class RemotePartitioning {

    private final JobRepository jobRepository;
    private final MessageChannel requests;
    private final int partitions;
    private final Duration timeout;
    private final Duration pollInterval;
    private final long progressMillis;
    private final String queue;

    public RemotePartitioning(JobRepository jobRepository, MessageChannel requests, int partitions, Duration timeout, Duration pollInterval,
            long progressMillis, String queue) {
        this.jobRepository = jobRepository;
        this.requests = requests;
        this.partitions = partitions;
        this.timeout = timeout;
        this.pollInterval = pollInterval;
        this.progressMillis = progressMillis;
        this.queue = queue;
    }

    /**
     * The step {@code name} that splits the work with {@code partitioner} into {@code billing.partitioning.partitions}
     * partitions, each run by a worker as the step {@code workerStep} (a bean of that name in the worker's context).
     */
    public Step managerStep(String name, String workerStep, Partitioner partitioner) {
        return new RemotePartitioningManagerStepBuilderFactory(jobRepository).get(name)
                .partitioner(workerStep, partitioner)
                .gridSize(partitions)
                .outputChannel(requests)
                .pollInterval(pollInterval.toMillis())
                .listener(new PartitionWatch(jobRepository, workerStep, timeout, pollInterval, progressMillis, queue, System.err))
                .build();
    }

    public String queue() {
        return queue;
    }
}
