package com.acme.billing.scaleout;

import java.time.Duration;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * RabbitMQ side of remote partitioning, in the processes that use it only ({@link Partitioning#ACTIVE}, set by the
 * command line): the durable queue of partition requests, the flow that sends the manager's requests to it, and the
 * converter both sides use.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = Partitioning.ACTIVE, havingValue = "true")
@EnableIntegration
public class RemotePartitioningConfig {

    /**
     * A request is Spring Batch's {@code StepExecutionRequest} (step name and step execution id), Java-serialized. Spring
     * AMQP 4.1 deserializes only allow-listed classes: without this the worker refuses every request and RabbitMQ redelivers
     * it in a hot loop (STACK-NOTES).
     */
    @Bean
    SimpleMessageConverter partitionRequestConverter() {
        SimpleMessageConverter converter = new SimpleMessageConverter();
        converter.addAllowedListPatterns("org.springframework.batch.integration.partition.*");
        return converter;
    }

    @Bean
    PartitionQueue partitionQueue(@Value("${" + Partitioning.QUEUE + ":}") String queue, @Value("${billing.db.url}") String url) {
        return new PartitionQueue(queue == null || queue.isBlank() ? Partitioning.defaultQueue(url) : queue);
    }

    /**
     * Durable, and requests are sent persistent: a RabbitMQ restart keeps the partitions not yet taken. A queue nobody has
     * used (declared, consumed) for a day goes: what is left in it is long stale, its manager gave up after the partition
     * timeout; and an installation (or a test database) that is gone leaves no queue behind for good.
     */
    @Bean
    Queue partitionRequestQueue(PartitionQueue partitionQueue) {
        return QueueBuilder.durable(partitionQueue.name()).expires((int) java.time.Duration.ofDays(1).toMillis()).build();
    }

    @Bean
    DirectChannel partitionRequests() {
        return new DirectChannel();
    }

    @Bean
    IntegrationFlow partitionRequestsToRabbit(DirectChannel partitionRequests, RabbitTemplate rabbitTemplate, PartitionQueue partitionQueue) {
        return IntegrationFlow.from(partitionRequests).handle(Amqp.outboundAdapter(rabbitTemplate).routingKey(partitionQueue.name())).get();
    }

    @Bean
    RemotePartitioning remotePartitioning(JobRepository jobRepository, DirectChannel partitionRequests, PartitionQueue partitionQueue,
            @Value("${billing.partitioning.partitions:8}") int partitions,
            @Value("${billing.partitioning.partition-timeout:60s}") Duration timeout,
            @Value("${billing.partitioning.poll-interval:1s}") Duration pollInterval,
            @Value("${billing.progress-interval-ms:2000}") long progressMillis) {
        if (partitions < 1) {
            throw new IllegalArgumentException("billing.partitioning.partitions must be at least 1, not " + partitions);
        }
        return new RemotePartitioning(jobRepository, partitionRequests, partitions, timeout, pollInterval, progressMillis, partitionQueue.name());
    }
}
