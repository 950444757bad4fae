package com.acme.billing.ops;

import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.platform.JobRunner;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The operators' commands on Spring Batch's job repository: restart, stop, abandon, and the console's list of runs
 * ({@code jobs/billing executions} lists them through {@link ExecutionHistory}).
 */
@Component
public class Operations {

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final JobRunner jobRunner;
    private final JdbcClient jdbc;

    /**
     * The job operator (and the runner over it) only when a restart, stop or abandon asks for it: creating it registers
     * every job of the application, which a command started with lazy beans for a look at the runs or a stop (see
     * BillingCommand#fewBeans) would otherwise pay for at each start.
     */
    public Operations(@Lazy JobOperator jobOperator, JobRepository jobRepository, @Lazy JobRunner jobRunner, JdbcClient jdbc) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.jobRunner = jobRunner;
        this.jdbc = jdbc;
    }

    /** One run as the console lists it: with its duration and the counts of its steps added up. */
    public record RunRow(long id, String job, String status, Instant start, Instant end, String failedStep, String message, long read,
            long written, long skipped, Long resumedBy) {

        /** The start as people read it: UTC to the second. */
        public String started() {
            return start == null ? "" : java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC).format(start);
        }

        /** Whether restart, stop or abandon can apply: a run not yet resumed by a later one of its instance, not finished. */
        public boolean actionable() {
            return resumedBy == null && !status.equals("COMPLETED") && !status.equals("ABANDONED");
        }

        public java.time.Duration duration() {
            return start == null || end == null ? null : java.time.Duration.between(start, end);
        }
    }

    /** The execution that resumed this one (a later execution of the same job instance), if any. */
    public Optional<Long> resumedBy(long id) {
        return jdbc.sql("SELECT MIN(x.JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION x JOIN BATCH_JOB_EXECUTION e ON e.JOB_INSTANCE_ID = x.JOB_INSTANCE_ID "
                        + "WHERE e.JOB_EXECUTION_ID = ? AND x.JOB_EXECUTION_ID > e.JOB_EXECUTION_ID")
                .param(id).query(Long.class).optional();
    }

    /** The newest {@code limit} runs, newest first. */
    public List<RunRow> recentRuns(int limit) {
        return jdbc.sql("SELECT e.JOB_EXECUTION_ID, i.JOB_NAME, e.STATUS, e.START_TIME, e.END_TIME, e.EXIT_MESSAGE, "
                        + ExecutionHistory.FAILED_STEP + ", "
                        + "(SELECT COALESCE(SUM(s.READ_COUNT), 0) FROM BATCH_STEP_EXECUTION s WHERE s.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID), "
                        + "(SELECT COALESCE(SUM(s.WRITE_COUNT), 0) FROM BATCH_STEP_EXECUTION s WHERE s.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID), "
                        + "(SELECT COALESCE(SUM(s.READ_SKIP_COUNT + s.PROCESS_SKIP_COUNT + s.WRITE_SKIP_COUNT), 0) FROM BATCH_STEP_EXECUTION s "
                        + "   WHERE s.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID), "
                        + "(SELECT MIN(x.JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION x WHERE x.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID "
                        + "   AND x.JOB_EXECUTION_ID > e.JOB_EXECUTION_ID) "
                        + "FROM BATCH_JOB_EXECUTION e JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID "
                        + "ORDER BY e.JOB_EXECUTION_ID DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY")
                .query((rs, n) -> new RunRow(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)),
                        instant(rs.getTimestamp(5)), rs.getString(7), JobRunner.firstLine(rs.getString(6)), rs.getLong(8), rs.getLong(9),
                        rs.getLong(10), rs.getObject(11) == null ? null : rs.getLong(11)))
                .list();
    }

    private static Instant instant(java.sql.Timestamp at) {
        return at == null ? null : at.toInstant();
    }

    /**
     * Restarts a failed or stopped execution from its last committed chunk. An execution left
     * STARTED by a process that died is first marked failed; one whose process still runs is refused.
     */
    public JobExecution restart(long id) {
        JobExecution execution = execution(id);
        if (execution.getStatus().isRunning() || execution.getStatus() == BatchStatus.UNKNOWN) {
            refuseIfAlive(execution);
            execution = jobOperator.recover(execution);
        }
        refuseFinished(execution);
        JobExecution restarted;
        try {
            restarted = jobOperator.restart(execution);
        } catch (Exception e) {
            throw new InputRefusedException("cannot restart execution " + id + ": " + e.getMessage());
        }
        return jobRunner.checked(restarted);
    }

    /**
     * Refuses, with {@link #restart}'s own words, a run that restart would refuse: completed, abandoned, resumed already
     * by a later execution of its job instance, or still running in a live process. Changes nothing: for a caller that
     * has {@code jobs/billing restart} run elsewhere (the console) and must answer before it starts.
     */
    public void refuseUnlessRestartable(long id) {
        JobExecution execution = execution(id);
        if (execution.getStatus().isRunning() || execution.getStatus() == BatchStatus.UNKNOWN) {
            refuseIfAlive(execution);
        }
        refuseFinished(execution);
        Optional<Long> later = resumedBy(id);
        if (later.isPresent()) {
            throw new InputRefusedException("execution " + id + " was resumed by execution " + later.get() + "; restart that one if it failed");
        }
    }

    /** Restart's refusal of a run that ended for good. */
    private static void refuseFinished(JobExecution execution) {
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            throw new InputRefusedException("execution " + execution.getId() + " completed; nothing to restart");
        }
        if (execution.getStatus() == BatchStatus.ABANDONED) {
            throw new InputRefusedException("execution " + execution.getId() + " was abandoned; it cannot be restarted");
        }
    }

    public void stop(long id) {
        JobExecution execution = execution(id);
        try {
            jobOperator.stop(execution);
        } catch (Exception e) {
            throw new InputRefusedException("cannot stop execution " + id + " (" + execution.getStatus() + "): " + e.getMessage());
        }
    }

    public JobExecution abandon(long id) {
        JobExecution execution = execution(id);
        if (execution.getStatus().isRunning()) {
            refuseIfAlive(execution);
            execution = jobOperator.recover(execution);
        }
        try {
            return jobOperator.abandon(execution);
        } catch (Exception e) {
            throw new InputRefusedException("cannot abandon execution " + id + ": " + e.getMessage());
        }
    }

    public JobExecution execution(long id) {
        JobExecution execution;
        try {
            execution = jobRepository.getJobExecution(id);
        } catch (org.springframework.dao.EmptyResultDataAccessException e) {
            execution = null;
        }
        if (execution == null) {
            throw new InputRefusedException("no job execution " + id + " (see jobs/billing executions)");
        }
        return execution;
    }

    private void refuseIfAlive(JobExecution execution) {
        record Owner(String host, long pid, Instant startedAt) {
        }
        Optional<Owner> owner = jdbc.sql("SELECT host, pid, started_at FROM execution_owners WHERE job_execution_id = ?")
                .param(execution.getId())
                .query((rs, n) -> new Owner(rs.getString(1), rs.getLong(2), rs.getObject(3, OffsetDateTime.class).toInstant()))
                .optional();
        if (owner.isEmpty()) {
            return;
        }
        if (!owner.get().host().equals(ExecutionOwnerListener.hostName())) {
            throw new InputRefusedException("execution " + execution.getId() + " is " + execution.getStatus() + " on host "
                    + owner.get().host() + " (pid " + owner.get().pid() + "); restart it there, or stop it first");
        }
        boolean alive = ProcessHandle.of(owner.get().pid())
                .filter(ProcessHandle::isAlive)
                // A live process that started after the execution is another one that reuses the pid.
                .filter(p -> p.info().startInstant().map(s -> !s.isAfter(owner.get().startedAt())).orElse(true))
                .isPresent();
        if (alive && owner.get().pid() != ProcessHandle.current().pid()) {
            throw new InputRefusedException("execution " + execution.getId() + " is still running in process " + owner.get().pid()
                    + "; wait for it, or jobs/billing stop " + execution.getId());
        }
    }
}
