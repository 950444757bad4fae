package com.acme.billing.scaleout;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.integration.partition.BeanFactoryStepLocator;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * {@code jobs/billing worker}: takes partition requests from the queue one at a time and runs each partition's step (the
 * worker steps are beans named as the manager's requests say: {@code rateUsersPartition}, {@code renderStatementsPartition}).
 *
 * <p>The request is acknowledged when the listener returns, that is when the partition's step has ended: a worker killed
 * mid-partition never acknowledged it, RabbitMQ hands it to another worker as soon as the dead one's connection closes, and
 * that worker continues the same step execution from its last committed chunk. A request that cannot be handled at all
 * (no such step) is dropped, never requeued: requeued it would come straight back.
 *
 * <p>Spring Batch's {@code RemotePartitioningWorkerStepBuilderFactory} would wire the same {@code StepExecutionRequestHandler}
 * to a channel from inside each worker step's builder; the flow here is that wiring, once, with the check of
 * {@link PartitionRequests} in front.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = Partitioning.WORKER, havingValue = "true")
public class PartitionWorkerConfig {

    @Bean
    PartitionRequests partitionRequestHandler(JobRepository jobRepository, BeanFactory beanFactory) {
        BeanFactoryStepLocator steps = new BeanFactoryStepLocator();
        steps.setBeanFactory(beanFactory);
        StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
        handler.setJobRepository(jobRepository);
        handler.setStepLocator(steps);
        return new PartitionRequests(jobRepository, handler, System.err);
    }

    @Bean
    IntegrationFlow partitionRequestsFromRabbit(ConnectionFactory connectionFactory, SimpleMessageConverter partitionRequestConverter,
            PartitionQueue partitionQueue, PartitionRequests partitionRequestHandler) {
        return IntegrationFlow.from(Amqp.inboundAdapter(connectionFactory, partitionQueue.name())
                        .messageConverter(partitionRequestConverter)
                        .configureContainer(container -> container
                                .acknowledgeMode(AcknowledgeMode.AUTO)
                                .prefetchCount(1)
                                .concurrentConsumers(1)
                                .defaultRequeueRejected(false)))
                .handle(partitionRequestHandler, "handle")
                .get();
    }
}
