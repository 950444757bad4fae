package com.acme.billing.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Records which process runs each job execution (see {@code execution_owners}). */
@Component
public class ExecutionOwnerListener implements JobExecutionListener {

    private final JdbcClient jdbc;

    public ExecutionOwnerListener(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        jdbc.sql("INSERT INTO execution_owners (job_execution_id, host, pid, started_at) VALUES (?, ?, ?, ?)")
                .params(execution.getId(), hostName(), ProcessHandle.current().pid(), OffsetDateTime.now(Clock.systemUTC()).withOffsetSameInstant(ZoneOffset.UTC))
                .update();
    }

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
