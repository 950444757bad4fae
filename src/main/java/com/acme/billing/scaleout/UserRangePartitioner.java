package com.acme.billing.scaleout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Splits a period's users into at most {@code gridSize} ranges of consecutive user ids, equal in number of users
 * (PostgreSQL's {@code NTILE} over the users in the database's own order, the order the readers page in).
 *
 * <p>The ranges tile the whole key space: partition {@code i} reads the users after the last user of partition
 * {@code i - 1} ({@link Partitioning#AFTER_USER}, "" for the first) up to its own last user
 * ({@link Partitioning#UP_TO_USER}, absent for the last partition). So a user that appears between the split and a
 * restart (which reuses the split, see SimpleStepExecutionSplitter) is still read by exactly one partition.
 */
public class UserRangePartitioner implements Partitioner {

    private final JdbcTemplate jdbc;
    private final String usersSql;
    private final Object[] parameters;

    /** @param usersSql the distinct user ids to split, one column named {@code user_id} (for example of one period) */
    public UserRangePartitioner(JdbcTemplate jdbc, String usersSql, Object... parameters) {
        this.jdbc = jdbc;
        this.usersSql = usersSql;
        this.parameters = parameters;
    }

    record Range(String first, String last, long users) {
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        List<Object> args = new ArrayList<>();
        args.add(Math.max(1, gridSize));
        args.addAll(List.of(parameters));
        List<Range> ranges = jdbc.query("SELECT MIN(user_id), MAX(user_id), COUNT(*) FROM (SELECT user_id, NTILE(?) OVER (ORDER BY user_id) "
                + "AS part FROM (" + usersSql + ") u) t GROUP BY part ORDER BY part",
                (rs, n) -> new Range(rs.getString(1), rs.getString(2), rs.getLong(3)), args.toArray());
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        String after = "";
        for (int i = 0; i < ranges.size(); i++) {
            Range range = ranges.get(i);
            ExecutionContext context = new ExecutionContext();
            context.putString(Partitioning.FIRST_USER, range.first());
            context.putString(Partitioning.LAST_USER, range.last());
            context.putString(Partitioning.AFTER_USER, after);
            if (i < ranges.size() - 1) {
                context.putString(Partitioning.UP_TO_USER, range.last());
            }
            context.putLong(Partitioning.USERS, range.users());
            partitions.put(String.format("partition%02d", i + 1), context);
            after = range.last();
        }
        return partitions;
    }
}
