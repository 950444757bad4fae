package com.acme.billing.cli;

import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.scaleout.PartitionQueue;
import java.util.concurrent.CountDownLatch;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;

/**
 * {@code jobs/billing worker} (SPEC 13): a worker of remote partitioning. It takes partition requests of close-period's rating
 * and reports' statements from this installation's queue on RabbitMQ ({@code spring.rabbitmq.*}), one at a time, and runs
 * each against the shared PostgreSQL database, until it is stopped.
 */
@Command(name = "worker", header = "run partitions of close-period and reports (RabbitMQ)",
        description = "Remote partitioning (billing.partitioning=remote, PostgreSQL): takes partition requests from this installation's "
                + "queue on RabbitMQ (spring.rabbitmq.*) one at a time and runs them; runs until stopped (Ctrl-C, SIGTERM). A worker "
                + "killed mid-partition leaves it to another worker, or to restart.")
final class WorkerCommand extends BillingCommand {

    record Result(String queue, String rabbitmq, String database) {
    }

    @Override
    boolean partitionWorker() {
        return true;
    }

    /** Runs until the process is stopped: Spring closes the context (the listener ends its partition first), and this returns. */
    @Override
    int run(CommandContext context) throws InterruptedException {
        String queue = context.bean(PartitionQueue.class).name();
        ConnectionFactory rabbit = context.bean(ConnectionFactory.class);
        String broker = rabbit.getHost() + ":" + rabbit.getPort();
        // Fail now, not in a listener that retries every 5 s in the log file while the operator sees a worker "running".
        try {
            rabbit.createConnection().close();
        } catch (RuntimeException e) {
            throw new InputRefusedException("cannot reach RabbitMQ at " + broker + " (spring.rabbitmq.*): " + e.getMessage());
        }
        String database = Settings.redacted(context.spring().getEnvironment().getProperty("billing.db.url"));
        CountDownLatch closed = new CountDownLatch(1);
        context.spring().addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> closed.countDown());
        System.err.printf("worker: taking partition requests from queue %s on RabbitMQ %s; database %s; stop with Ctrl-C or SIGTERM%n",
                queue, broker, database);
        context.console().done(new Result(queue, broker, database));
        closed.await();
        return 0;
    }
}
