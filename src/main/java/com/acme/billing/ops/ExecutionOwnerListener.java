package com.acme.billing.ops;

import com.acme.billing.platform.JobRunner;


import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records which process runs each job execution (see {@code execution_owners}), and raises a
 * {@code job_failed} alert when one ends failed.
 */
@Component
public class ExecutionOwnerListener implements JobExecutionListener {

    private final JdbcClient jdbc;
    private final AlertRepository alerts;
    private final Clock clock;

    public ExecutionOwnerListener(JdbcClient jdbc, AlertRepository alerts, Clock clock) {
        this.jdbc = jdbc;
        this.alerts = alerts;
        this.clock = clock;
    }

    @Override
    public void afterJob(JobExecution execution) {
        if (execution.getStatus() != org.springframework.batch.core.BatchStatus.FAILED) {
            return;
        }
        String step = execution.getStepExecutions().stream()
                .filter(s -> s.getStatus() == org.springframework.batch.core.BatchStatus.FAILED)
                .map(s -> s.getStepName() + ": " + JobRunner.firstLine(s.getExitStatus().getExitDescription()))
                .findFirst().orElse(JobRunner.firstLine(execution.getExitStatus().getExitDescription()));
        alerts.raise("job_failed", null, null, clock.instant(), "job " + execution.getJobInstance().getJobName() + " execution "
                + execution.getId() + " failed in " + step + "; jobs/billing restart " + execution.getId(), "execution " + execution.getId(),
                "job_failed:" + execution.getId());
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
