package com.acme.billing.platform;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes many rows of a period in ranges of users, each range in a transaction of its own, with progress on stderr. Only for
 * rows that a rerun deletes again anyway (close-period's scratch rows, the drafts a close is about to replace): a kill between
 * two ranges leaves the remaining ranges to the restart.
 *
 * <p>Why not one statement: H2 keeps every row that a transaction deletes in its undo log, and the cost per row grows with the
 * log. Measured on the 100,000-user benchmark home: 380,600 {@code rating_usage} rows in one statement 17.0 s, in transactions
 * of about 2,000 rows 5.5 s; the period's drafts (537,019 rows of three tables) 21.5 s against 8.9 s in ranges of 500 users
 * (docs/benchmarks.md).
 *
 * <p>The ranges cut the users' order as the database sorts them (cuts read from it, predicates evaluated by it), and the first
 * and last ranges are open, so every row of the period is in exactly one range, including rows of users that the query of cuts
 * does not return.
 */
@Component
public class RangedDelete {

    /** The placeholder in each statement that the range's predicate on {@code user_id} replaces. */
    public static final String USERS = "{users}";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate eachRange;
    private final int usersPerRange;
    private final long progressMillis;

    public RangedDelete(JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
            @Value("${billing.delete-range-users:500}") int usersPerRange, @Value("${billing.progress-interval-ms:2000}") long progressMillis) {
        if (usersPerRange < 1) {
            throw new IllegalArgumentException("billing.delete-range-users must be at least 1, not " + usersPerRange);
        }
        this.jdbc = jdbc;
        this.eachRange = new TransactionTemplate(transactionManager);
        this.eachRange.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.usersPerRange = usersPerRange;
        this.progressMillis = progressMillis;
    }

    /**
     * Runs the statements for every range of users, in one transaction per range, and returns the rows each statement deleted
     * (in the order of the statements).
     *
     * @param label       what the progress line calls the work ("discarding the drafts of 2026-10")
     * @param usersSql    the users of the rows, in the database's order of {@code user_id} (repeats allowed), with one parameter:
     *                    the period
     * @param period      the first parameter of every statement and of {@code usersSql}
     * @param statements  deletes with {@code period = ?} as their only parameter and {@link #USERS} where the range goes
     */
    public List<Long> delete(String label, String usersSql, String period, List<String> statements) {
        Cuts found = cuts(usersSql, period);
        List<String> cuts = found.bounds();
        long users = found.users();
        Progress progress = new Progress(label + " (users)", users, 0, System.err, progressMillis);
        long[] deleted = new long[statements.size()];
        // Ranges: (.., cut 0], (cut 0, cut 1], ..., (last cut, ..).
        for (int range = 0; range <= cuts.size(); range++) {
            String after = range == 0 ? null : cuts.get(range - 1);
            String upTo = range == cuts.size() ? null : cuts.get(range);
            String predicate = after == null ? (upTo == null ? "1 = 1" : "user_id <= ?") : (upTo == null ? "user_id > ?" : "user_id > ? AND user_id <= ?");
            List<Object> args = new ArrayList<>(List.of(period));
            if (after != null) {
                args.add(after);
            }
            if (upTo != null) {
                args.add(upTo);
            }
            eachRange.executeWithoutResult(status -> {
                for (int i = 0; i < statements.size(); i++) {
                    deleted[i] += jdbc.update(statements.get(i).replace(USERS, predicate), args.toArray());
                }
            });
            progress.at(Math.min(users, (long) (range + 1) * usersPerRange));
        }
        List<Long> counts = new ArrayList<>();
        for (long n : deleted) {
            counts.add(n);
        }
        return counts;
    }

    /** The upper bounds of the closed ranges, and how many distinct users the query of cuts returned. */
    private record Cuts(List<String> bounds, long users) {
    }

    /** Every {@code usersPerRange}-th distinct user, in the database's order: the upper bound of each closed range. */
    private Cuts cuts(String usersSql, String period) {
        List<String> bounds = new ArrayList<>();
        var counter = new Object() {
            String previous;
            long users;
        };
        jdbc.query(usersSql, rs -> {
            String user = rs.getString(1);
            if (user.equals(counter.previous)) {
                return;
            }
            counter.previous = user;
            if (++counter.users % usersPerRange == 0) {
                bounds.add(user);
            }
        }, period);
        return new Cuts(bounds, counter.users);
    }
}
