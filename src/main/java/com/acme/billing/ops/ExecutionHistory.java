package com.acme.billing.ops;

import com.acme.billing.platform.JobRunner;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The job runs as {@code jobs/billing executions} lists them: one query on Spring Batch's tables and nothing else, so that
 * the command can start with this bean and the database alone (cli.OperatorQueryBeans), not with the application's jobs.
 */
@Component
public class ExecutionHistory {

    public record ExecutionRow(long id, String job, String status, String start, String end, String failedStep, String message) {
    }

    /** The step a run stopped in, for both listings: the one not completed (SELECT column over execution {@code e}). */
    static final String FAILED_STEP = "(SELECT MAX(s.STEP_NAME) FROM BATCH_STEP_EXECUTION s WHERE s.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID "
            + "AND s.STATUS IN ('FAILED', 'STOPPED', 'UNKNOWN', 'STARTED'))";

    private final JdbcClient jdbc;

    public ExecutionHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every run, newest first; with {@code failedOnly} those failed, stopped or left unknown. */
    public List<ExecutionRow> executions(boolean failedOnly) {
        String where = failedOnly ? " WHERE e.STATUS IN ('FAILED', 'STOPPED', 'UNKNOWN')" : "";
        return jdbc.sql("SELECT e.JOB_EXECUTION_ID, i.JOB_NAME, e.STATUS, e.START_TIME, e.END_TIME, e.EXIT_MESSAGE, "
                + FAILED_STEP + " "
                + "FROM BATCH_JOB_EXECUTION e JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID" + where
                + " ORDER BY e.JOB_EXECUTION_ID DESC")
                .query((rs, n) -> new ExecutionRow(rs.getLong(1), rs.getString(2), rs.getString(3), iso(rs.getTimestamp(4)),
                        iso(rs.getTimestamp(5)), rs.getString(7), JobRunner.firstLine(rs.getString(6))))
                .list();
    }

    private static String iso(java.sql.Timestamp timestamp) {
        // Spring Batch stores LocalDateTime of the JVM's zone; jobs/billing runs the JVM in UTC.
        return timestamp == null ? null : timestamp.toLocalDateTime().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).toString();
    }
}
