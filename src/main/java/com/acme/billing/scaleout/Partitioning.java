package com.acme.billing.scaleout;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of remote partitioning (SPEC 13) and the names both sides agree on. {@code billing.partitioning} is
 * {@code local} (the default: every step runs in the one process, the code path as before) or {@code remote}; the
 * command line turns on {@link #ACTIVE} for the commands that run a partitioned step (and for {@code worker}), and only
 * then are RabbitMQ and Spring Integration configured at all.
 */
public final class Partitioning {

    /** {@code local} or {@code remote}. */
    public static final String MODE = "billing.partitioning";
    public static final String LOCAL = "local";
    public static final String REMOTE = "remote";
    /** Set by the command line only: this process sends or takes partition requests. */
    public static final String ACTIVE = "billing.partitioning.active";
    /** Set by the command line only: this process is a worker ({@code jobs/billing worker}). */
    public static final String WORKER = "billing.partitioning.worker";
    /** The queue of partition requests; default derived from the database name, see {@link #defaultQueue(String)}. */
    public static final String QUEUE = "billing.partitioning.queue";

    /** The keys of a partition's execution context: the range of users it covers. */
    public static final String FIRST_USER = "user.range.first";
    public static final String LAST_USER = "user.range.last";
    /** Readers' bounds: users after this one (exclusive; "" for the first partition) ... */
    public static final String AFTER_USER = "user.range.after";
    /** ... up to this one (inclusive; absent for the last partition, which is open-ended). */
    public static final String UP_TO_USER = "user.range.up_to";
    /** Users in the range when it was split (for progress). */
    public static final String USERS = "user.range.users";

    private static final Pattern DATABASE = Pattern.compile("^jdbc:postgresql://[^/]*/([^?;]+)");

    private Partitioning() {
    }

    /**
     * {@code billing.partition-requests.<database>}: manager and workers of one installation find each other through the
     * database they share, and two installations (or two tests, each on a database of its own) on one RabbitMQ never take
     * each other's requests. Installations whose databases have the same name on different servers set
     * {@code billing.partitioning.queue} themselves.
     */
    public static String defaultQueue(String jdbcUrl) {
        Matcher m = DATABASE.matcher(jdbcUrl == null ? "" : jdbcUrl);
        String database = m.find() ? m.group(1) : "billing";
        return "billing.partition-requests." + database;
    }
}
