package com.acme.billing.platform;

import java.util.Comparator;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Starts and restarts jobs through {@link JobOperator}, turning an unsuccessful end into {@link JobFailedException}. */
@Component
public class JobRunner {

    private final JobOperator jobOperator;
    private final JdbcTemplate jdbc;

    public JobRunner(JobOperator jobOperator, JdbcTemplate jdbc) {
        this.jobOperator = jobOperator;
        this.jdbc = jdbc;
    }

    /** Executions of {@code job} not ended (starting, started, stopping): execution id -> its period parameter. */
    public java.util.Map<Long, String> unfinished(String job) {
        java.util.Map<Long, String> running = new java.util.TreeMap<>();
        jdbc.query("SELECT e.JOB_EXECUTION_ID, p.PARAMETER_VALUE FROM BATCH_JOB_EXECUTION e "
                + "JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID "
                + "LEFT JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID AND p.PARAMETER_NAME = 'period' "
                + "WHERE i.JOB_NAME = ? AND e.STATUS IN ('STARTING', 'STARTED', 'STOPPING')",
                rs -> {
                    running.put(rs.getLong(1), rs.getString(2));
                }, job);
        return running;
    }

    /**
     * The {@code run} parameter of a period job: the number of its completed (or abandoned) runs for
     * the period plus one. Two runs started together get the same job instance, so Spring Batch
     * refuses the second; a run after a failed one is the same instance too, and resumes it.
     */
    public long nextRun(String job, String period) {
        return nextRun(job, "period", period);
    }

    /** As {@link #nextRun(String, String)}, for a job identified by another parameter (nightly: its date). */
    public long nextRun(String job, String parameter, String value) {
        return jdbc.queryForObject("SELECT COUNT(DISTINCT i.JOB_INSTANCE_ID) FROM BATCH_JOB_INSTANCE i "
                + "JOIN BATCH_JOB_EXECUTION e ON e.JOB_INSTANCE_ID = i.JOB_INSTANCE_ID "
                + "JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID "
                + "WHERE i.JOB_NAME = ? AND e.STATUS IN ('COMPLETED', 'ABANDONED') AND p.PARAMETER_NAME = ? AND p.PARAMETER_VALUE = ?",
                Long.class, job, parameter, value) + 1;
    }

    public JobExecution start(Job job, JobParameters parameters) {
        try {
            return checked(jobOperator.start(job, parameters));
        } catch (JobFailedException e) {
            throw e;
        } catch (Exception e) {
            throw new InputRefusedException("cannot start " + job.getName() + ": " + e.getMessage());
        }
    }

    public JobExecution checked(JobExecution execution) {
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            return execution;
        }
        StepExecution failed = execution.getStepExecutions().stream()
                .filter(s -> s.getStatus() != BatchStatus.COMPLETED)
                .max(Comparator.comparing(StepExecution::getId))
                .orElse(null);
        String reason = failed != null ? reason(failed.getExitStatus().getExitDescription()) : null;
        if (reason == null || reason.isBlank()) {
            reason = firstLine(execution.getExitStatus().getExitDescription());
        }
        if (reason == null || reason.isBlank()) {
            reason = execution.getStatus().name().toLowerCase();
        }
        throw new JobFailedException(execution.getJobInstance().getJobName(), execution.getId(), execution.getStatus().name(),
                failed == null ? null : failed.getStepName(), reason);
    }

    /**
     * The reason in a failed step's exit description: its first exception line, except for a chunk step's generic
     * wrapper ("Unable to process chunk"), where the innermost cause says what went wrong.
     */
    static String reason(String description) {
        String first = firstLine(description);
        if (first != null && first.startsWith("Unable to process chunk")) {
            String innermost = description.lines().map(String::trim).filter(l -> l.startsWith("Caused by: ")).reduce((a, b) -> b).orElse(null);
            if (innermost != null) {
                return firstLine(innermost.substring("Caused by: ".length()));
            }
        }
        return first;
    }

    /** The exception line of a stack trace that Spring Batch stores as exit description. */
    public static String firstLine(String text) {
        if (text == null) {
            return null;
        }
        String first = text.lines().findFirst().orElse("").trim();
        int colon = first.indexOf(": ");
        // "java.lang.IllegalStateException: message" reads better without the class name.
        if (colon > 0 && first.substring(0, colon).matches("[\\w.$]+(Exception|Error)")) {
            return first.substring(colon + 2);
        }
        return first;
    }
}
