package com.acme.billing.gdpr;

import com.acme.billing.user.UserId;
import java.util.ArrayList;
import com.acme.billing.scaleout.Partitioning;
import java.util.List;
import java.util.Optional;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Spring Batch's one place with a user id: close-period's {@code rateUsers} step keeps the last user of its
 * last chunk in its execution context ({@code rating.reader.last.user}), the point a restart resumes after.
 * Erase empties that bookmark (read and written through the {@link JobRepository}, whatever its serializer):
 * a restart of an unfinished close then rates every user of the period again, which replaces the same drafts.
 */
@Component
@Order(GdprOrder.EXPERIMENTS + 5)
class JobBookmarks implements PersonalDataHolder {

    static final String KEY = "rating.reader.last.user";

    private final JdbcClient jdbc;
    private final JobRepository jobs;

    JobBookmarks(JdbcClient jdbc, JobRepository jobs) {
        this.jdbc = jdbc;
        this.jobs = jobs;
    }

    @Override
    public String kind() {
        return "job_bookmarks";
    }

    /**
     * Remote partitioning (SPEC 13) runs {@code rateUsers} as partitions ({@code rateUsersPartition:...}) that keep the same
     * bookmark, and every partition (of statements too) keeps the first and last user of its range. A finished partition
     * never runs again, so its range is erased like a bookmark; an unfinished one keeps the bounds its reader resumes within
     * (a restart needs them to read its users and no others), until it completes.
     */
    private static final List<String> RANGE_KEYS = List.of(Partitioning.FIRST_USER, Partitioning.LAST_USER, Partitioning.AFTER_USER,
            Partitioning.UP_TO_USER);

    private List<StepExecution> holding(UserId user) {
        List<long[]> ids = jdbc.sql("SELECT JOB_EXECUTION_ID, STEP_EXECUTION_ID FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = 'rateUsers' "
                + "OR STEP_NAME LIKE 'rateUsersPartition:%' OR STEP_NAME LIKE 'renderStatementsPartition:%' "
                + "ORDER BY STEP_EXECUTION_ID").query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).list();
        List<StepExecution> found = new ArrayList<>();
        for (long[] id : ids) {
            StepExecution step = jobs.getStepExecution(id[0], id[1]);
            if (step != null && !erasable(step, user).isEmpty()) {
                found.add(step);
            }
        }
        return found;
    }

    /** The keys of this step's context that hold the user and may be emptied. */
    private static List<String> erasable(StepExecution step, UserId user) {
        var context = step.getExecutionContext();
        List<String> keys = new ArrayList<>();
        if (context.containsKey(KEY) && user.value().equals(context.getString(KEY))) {
            keys.add(KEY);
        }
        if (step.getStatus() == org.springframework.batch.core.BatchStatus.COMPLETED) {
            for (String key : RANGE_KEYS) {
                if (context.containsKey(key) && user.value().equals(context.get(key))) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    @Override
    public long count(UserId user) {
        return holding(user).size();
    }

    /** A restart bookmark is not data about the user: nothing to export. */
    @Override
    public Optional<Object> export(UserId user) {
        return Optional.empty();
    }

    @Override
    public Erased erase(UserId user, UserId pseudonym) {
        List<StepExecution> steps = holding(user);
        for (StepExecution step : steps) {
            for (String key : erasable(step, user)) {
                step.getExecutionContext().putString(key, "");
            }
            jobs.updateExecutionContext(step);
        }
        return new Erased(0, steps.size());
    }
}
