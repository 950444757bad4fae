package com.acme.billing.eventstore;


import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.StatementCallback;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The production event store: {@code usage_events} in the billing PostgreSQL database, partitioned by
 * month (migrations V3 and V23), and its dedupe table {@code usage_event_ids} (every stored event_id with its
 * month). A staged file is first loaded as if all its events were new ({@link AllNewEventsLoad}: COPY on two
 * connections); when the dedupe key refuses an id, back at a savepoint, it is classified line by line
 * ({@link EventClassification}). Every write joins the caller's transaction, so storing a file commits together with
 * the step's state in the job repository.
 */
public class PostgresEventStore implements EventStore {

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    public PostgresEventStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public StoreResult store(long fileId, Path stagedEvents) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("PostgresEventStore.store runs inside the step's transaction");
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (Statement st = connection.createStatement()) {
            dropWorkingTables(st);
            lockFile(st, fileId);
            dropUnattachedOfOtherFiles(st, fileId);
            StagedIds.Layout layout = StagedIds.scan(stagedEvents);
            SortedSet<Integer> months = layout.months();
            ensurePartitions(st, months);
            OptionalLong loaded;
            try (AllNewEventsLoad load = AllNewEventsLoad.start(dataSource, fileId, layout)) {
                Savepoint savepoint = connection.setSavepoint();
                loaded = load.store(connection);
                if (loaded.isPresent()) {
                    connection.releaseSavepoint(savepoint);
                } else {
                    connection.rollback(savepoint);
                }
            }
            // The classification after the load has given its second connection back.
            StoreResult result;
            if (loaded.isPresent()) {
                result = new StoreResult(loaded.getAsLong(), loaded.getAsLong(), 0, List.of());
                recordMonths(st, fileId, months); // every staged event was stored
            } else {
                result = classify(connection, st, fileId, stagedEvents, months); // records the months of the lines it stores
            }
            // The roll-up that follows plans on these statistics; stale ones made it sort ten million rows on disk. Only the
            // months of this file: ANALYZE of the partitioned table would sample every month again. (A month's partition is
            // partitioned by file: its ANALYZE samples the month across its files and analyzes each of them.)
            for (int month : months) {
                st.execute("ANALYZE " + partition(month));
            }
            return result;
        } catch (SQLException | IOException e) {
            throw new EventStoreException("storing file " + fileId + " from " + stagedEvents, e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** The advisory locks of this store: one per file being stored, held until its transaction ends. */
    private static final int FILE_LOCKS = 0x55534556; // "USEV"

    /**
     * Holds the file's advisory lock until the caller's transaction ends: while it is held, tables of this file that are
     * not attached to a month may be the load's work in progress (another process, or this one), and no one else drops
     * them; two stores of one file wait for each other.
     */
    private static void lockFile(Statement st, long fileId) throws SQLException {
        st.execute("SELECT pg_advisory_xact_lock(" + FILE_LOCKS + ", " + lockKey(fileId) + ")");
    }

    private static int lockKey(long fileId) {
        return (int) (fileId % Integer.MAX_VALUE); // file ids come from a sequence; two files sharing a key only wait for each other
    }

    /**
     * Drops the event tables of other files that a load committed and whose store never attached them (a process killed
     * between the two commits, see {@link AllNewEventsLoad}; no query reads them), for files whose lock is free: no store of
     * them is under way (the lock taken for that is then held to the end of this transaction as well). The file's own are
     * dropped by its load, on its connection, before it writes its tables again.
     */
    static void dropUnattachedOfOtherFiles(Statement st, long fileId) throws SQLException {
        for (UnattachedTable table : unattachedTables(st)) {
            if (table.fileId() == fileId) {
                continue;
            }
            try (ResultSet rs = st.executeQuery("SELECT pg_try_advisory_xact_lock(" + FILE_LOCKS + ", " + lockKey(table.fileId()) + ")")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    st.execute("DROP TABLE " + table.quotedName());
                }
            }
        }
    }

    /** A table named as a file's events in a month ({@link #filePartition}) that is no partition of anything. */
    record UnattachedTable(int month, long fileId) {
        String quotedName() {
            return filePartition(month, fileId);
        }
    }

    static List<UnattachedTable> unattachedTables(Statement st) throws SQLException {
        List<UnattachedTable> unattached = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT (regexp_match(c.relname, '^usage_events_([0-9]{6})_([0-9]+)$'))[1:2] FROM pg_class c "
                + "WHERE c.relkind = 'r' AND NOT c.relispartition "
                + "AND c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = current_schema()) "
                + "AND c.relname ~ '^usage_events_[0-9]{6}_[0-9]+$' ORDER BY 1")) {
            while (rs.next()) {
                String[] monthAndFile = (String[]) rs.getArray(1).getArray();
                unattached.add(new UnattachedTable(Integer.parseInt(monthAndFile[0]), Long.parseLong(monthAndFile[1])));
            }
        }
        return unattached;
    }

    /**
     * A file with ids stored already or repeated within it: staged into a temporary table and classified line by line
     * ({@link EventClassification}), the new lines stored.
     */
    private static StoreResult classify(Connection connection, Statement st, long fileId, Path stagedEvents, SortedSet<Integer> months)
            throws SQLException, IOException {
        List<Integer> created = ensureFilePartitions(st, fileId, months);
        st.execute("CREATE TEMP TABLE staged " + STAGED_COLUMNS);
        long staged = copyFile(connection, "COPY staged FROM STDIN WITH (FORMAT binary)", stagedEvents);
        // Fresh statistics, or the planner takes the new table for empty and loops over it.
        st.execute("ANALYZE staged");
        st.execute("SET LOCAL work_mem = '256MB'");
        StoreResult result = EventClassification.classifyAndInsert(st, knownRows(fileId), newRows(fileId), "hashtextextended(event_id, 0)");
        if (result.staged() != staged) {
            throw new IllegalStateException("copied " + staged + " staged events but classified " + result.staged() + "; nothing stored");
        }
        dropWorkingTables(st);
        // A month where every line of the file was a duplicate keeps no empty table of the file.
        List<Integer> stored = ints(st, "SELECT month FROM usage_event_file_months WHERE file_id = " + fileId);
        for (int month : created) {
            if (!stored.contains(month)) {
                st.execute("DROP TABLE " + filePartition(month, fileId));
            }
        }
        return result;
    }

    /** The columns of a staged events file ({@link PostgresCopyBinary}), for a temporary table that COPY loads it into. */
    static final String STAGED_COLUMNS = "(line BIGINT, event_id VARCHAR(128) COLLATE \"C\", ts_us BIGINT, month INTEGER, "
            + "user_id VARCHAR(64) COLLATE \"C\", metric VARCHAR(64) COLLATE \"C\", quantity BIGINT)";

    /** {@code COPY ... FROM STDIN} of a file's bytes (the files written here are UTF-8, as the connection is). */
    static long copyFile(Connection connection, String sql, Path file) throws SQLException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, in, 1 << 16);
        }
    }

    /**
     * The partition of {@code usage_events} that holds one month (yyyymm), quoted (the migration V23 names them alike);
     * itself partitioned by {@code file_id} (V26).
     */
    static String partition(int month) {
        return "\"usage_events_" + month + "\"";
    }

    /** The table of one file's events in one month, a partition of the month's partition; quoted. */
    static String filePartition(int month, long fileId) {
        return "\"usage_events_" + month + "_" + fileId + "\"";
    }

    /**
     * Creates the missing month partitions, in the caller's transaction: {@code CREATE TABLE ... (LIKE usage_events)} and
     * {@code ATTACH PARTITION}, which takes the parent in SHARE UPDATE EXCLUSIVE mode: readers and writers go on
     * ({@code CREATE TABLE ... PARTITION OF} would take it in ACCESS EXCLUSIVE mode and lock them out until the ingest
     * commits). That lock, taken first, also orders two ingests that both find a month missing: the second waits until the
     * first has committed (or rolled back), and then, the lock having brought its catalog up to date, sees the partition
     * (or creates it), instead of failing on the name. Months already there take no lock.
     */
    static void ensurePartitions(Statement st, Collection<Integer> months) throws SQLException {
        List<Integer> missing = new ArrayList<>();
        for (int month : months) {
            if (!partitionExists(st, month)) {
                missing.add(month);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        st.execute("LOCK TABLE usage_events IN SHARE UPDATE EXCLUSIVE MODE");
        for (int month : missing) {
            if (partitionExists(st, month)) {
                continue;
            }
            st.execute("CREATE TABLE " + partition(month) + " (LIKE usage_events) PARTITION BY LIST (file_id)");
            st.execute("ALTER TABLE usage_events ATTACH PARTITION " + partition(month) + " FOR VALUES IN (" + month + ")");
        }
    }

    /**
     * Creates, in the caller's transaction, the file's table in each of {@code months} (whose partitions exist) where the
     * month routes no row of the file yet: for inserts row by row (the classification, the GDPR erase). A month's file
     * tables made by the migration V26 hold the rows of several files stored before it.
     *
     * @return the months where a table was created
     */
    static List<Integer> ensureFilePartitions(Statement st, long fileId, Collection<Integer> months) throws SQLException {
        List<Integer> created = new ArrayList<>();
        for (int month : months) {
            if (filesOf(st, month).contains(fileId)) {
                continue;
            }
            st.execute("CREATE TABLE " + filePartition(month, fileId) + " (LIKE usage_events)");
            st.execute("ALTER TABLE " + partition(month) + " ATTACH PARTITION " + filePartition(month, fileId) + " FOR VALUES IN (" + fileId + ")");
            created.add(month);
        }
        return created;
    }

    /** The file ids that the month's partition routes to a table, read off its partitions' bounds ({@code FOR VALUES IN ('7', '9')}). */
    private static Set<Long> filesOf(Statement st, int month) throws SQLException {
        Set<Long> files = new HashSet<>();
        try (ResultSet rs = st.executeQuery("SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE i.inhparent = '" + partition(month) + "'::regclass")) {
            while (rs.next()) {
                Matcher values = QUOTED_NUMBER.matcher(rs.getString(1));
                while (values.find()) {
                    files.add(Long.parseLong(values.group(1)));
                }
            }
        }
        return files;
    }

    private static final Pattern QUOTED_NUMBER = Pattern.compile("'(\\d+)'");

    private static boolean partitionExists(Statement st, int month) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + partition(month) + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static List<Integer> ints(Statement st, String sql) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    /**
     * New rows go to both tables: the ids (in key order) first, then the events; their months to {@code
     * usage_event_file_months}. (Lines that an earlier attempt of this file stored need no row of their own here: on
     * PostgreSQL that attempt's transaction recorded their months with them.)
     */
    private static EventClassification.NewRows newRows(long fileId) {
        return (st, rest) -> {
            long ids = st.executeUpdate("INSERT INTO usage_event_ids (event_id, month) SELECT event_id, month FROM staged" + rest
                    + " ORDER BY event_id");
            long events = EventClassification.insertInto(fileId, "").insert(st, rest);
            if (ids != events) {
                throw new IllegalStateException("stored " + ids + " event ids but " + events + " events; nothing stored");
            }
            st.execute("INSERT INTO usage_event_file_months (file_id, month) SELECT DISTINCT " + fileId + ", month FROM staged" + rest
                    + " ON CONFLICT DO NOTHING");
            return events;
        };
    }

    /**
     * The months a file's stored events fall in, for {@link #monthsOf}; in the transaction that stores them. (Without
     * it, which months a run's files touched was read off the events: every partition's BRIN on {@code file_id}, then
     * every row of those files, twice per ingest; docs/decisions.md.)
     */
    private static void recordMonths(Statement st, long fileId, Collection<Integer> months) throws SQLException {
        if (!months.isEmpty()) {
            st.execute("INSERT INTO usage_event_file_months (file_id, month) VALUES "
                    + months.stream().map(m -> "(" + fileId + ", " + m + ")").collect(Collectors.joining(", ")) + " ON CONFLICT DO NOTHING");
        }
    }

    /**
     * Staged lines whose id is stored: the dedupe table names the month of the stored event, and only those months'
     * partitions are read to compare (no index on event_id in them: a hash join over the month, whatever the number of
     * months stored).
     */
    private static EventClassification.KnownRows knownRows(long fileId) {
        return st -> {
            st.execute("CREATE TEMP TABLE ingest_known_ids AS SELECT s.*, d.month AS stored_month "
                    + "FROM staged s JOIN usage_event_ids d ON d.event_id = s.event_id");
            st.execute("ANALYZE ingest_known_ids");
            List<Integer> months = ints(st, "SELECT DISTINCT stored_month FROM ingest_known_ids ORDER BY 1");
            String in = months.isEmpty() ? "NULL" : EventClassification.join(months);
            st.execute("""
                    CREATE TEMP TABLE ingest_known AS
                    SELECT k.line,
                        CASE WHEN e.file_id = %d AND e.line = k.line THEN 'A'
                             WHEN e.ts_us = k.ts_us AND e.user_id = k.user_id AND e.metric = k.metric AND e.quantity = k.quantity THEN 'D'
                             ELSE 'C' END AS outcome
                    FROM ingest_known_ids k JOIN usage_events e ON e.event_id = k.event_id AND e.month = k.stored_month
                    WHERE e.month IN (%s)
                    """.formatted(fileId, in));
            long known = EventClassification.count(st, "SELECT COUNT(*) FROM ingest_known_ids");
            long found = EventClassification.count(st, "SELECT COUNT(*) FROM ingest_known");
            if (known != found) {
                throw new IllegalStateException(known + " staged ids are in usage_event_ids but " + found
                        + " of them in usage_events; nothing stored");
            }
        };
    }

    private static void dropWorkingTables(Statement st) throws SQLException {
        EventClassification.dropWorkingTables(st);
        st.execute("DROP TABLE IF EXISTS staged");
    }

    @Override
    public StagedEventsFormat stagedEventsFormat() {
        return StagedEventsFormat.POSTGRES_COPY_BINARY;
    }

    @Override
    public List<Integer> monthsOf(Collection<Long> fileIds) {
        if (fileIds.isEmpty()) {
            return List.of();
        }
        return jdbc.queryForList("SELECT DISTINCT month FROM usage_event_file_months WHERE file_id IN ("
                + EventClassification.join(fileIds) + ") ORDER BY month", Integer.class);
    }

    /**
     * One aggregate per month, each on its month's partition named directly: the planner then estimates the groups from the
     * partition's statistics (analyzed by {@link #store}); through the parent, even when pruned to one partition, it would
     * use the parent's own statistics, which nothing gathers (ANALYZE of the parent samples every month again): EXPLAIN showed
     * a million groups planned for 300,000, a hash aggregate spilled in 32 batches, then a sort; the roll-up step took 17.5 s
     * against 8.8 s on the unpartitioned table for the first month of jobs/bench-months (docs/benchmarks.md).
     */
    @Override
    public void monthlyTotals(Collection<Integer> months, Consumer<MonthlyTotal> sink) {
        if (months.isEmpty()) {
            return;
        }
        jdbc.execute("SET LOCAL work_mem = '256MB'");
        String sql = months.stream().map(m -> "SELECT user_id, metric, " + m + ", total FROM (" + monthTotals(m) + ") month_" + m)
                .collect(Collectors.joining(" UNION ALL ")) + " ORDER BY 1, 2, 3";
        jdbc.query(sql, rs -> {
            sink.accept(new MonthlyTotal(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
        });
    }

    @Override
    public Optional<String> monthlyTotalsQuery(int month) {
        return Optional.of(monthTotals(month));
    }

    private String monthTotals(int month) {
        return "SELECT user_id, metric, SUM(quantity) AS total FROM " + relationOf(month) + " WHERE month = " + month + " GROUP BY user_id, metric";
    }

    /** The month's partition, or the partitioned table when the month has none (and so no events). */
    private String relationOf(int month) {
        return Boolean.TRUE.equals(jdbc.execute((StatementCallback<Boolean>) st -> partitionExists(st, month))) ? partition(month) : "usage_events";
    }

    @Override
    public void dailyUsage(int month, long monthStartMicros, Consumer<DailyUsage> sink) {
        jdbc.query(EventClassification.DAILY_USAGE.formatted(monthStartMicros, relationOf(month), month), rs -> {
            sink.accept(new DailyUsage(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
        });
    }

    @Override
    public void usageBySegment(int month, Path segmentsCsv, Consumer<SegmentUsageRow> sink) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (Statement st = connection.createStatement()) {
            st.execute("DROP TABLE IF EXISTS segment_bounds");
            st.execute("CREATE TEMP TABLE segment_bounds (user_id VARCHAR(64) COLLATE \"C\", seg_no INTEGER, start_us BIGINT, end_us BIGINT)");
            copyFile(connection, "COPY segment_bounds FROM STDIN WITH (FORMAT csv)", segmentsCsv);
            st.execute("ANALYZE segment_bounds");
            st.execute("SET LOCAL work_mem = '256MB'");
            try (java.sql.ResultSet rs = st.executeQuery(EventClassification.SEGMENT_USAGE.formatted(relationOf(month), month))) {
                while (rs.next()) {
                    int seg = rs.getInt(2);
                    sink.accept(new SegmentUsageRow(rs.getString(1), rs.wasNull() ? null : seg, rs.getString(3), rs.getLong(4)));
                }
            }
            st.execute("DROP TABLE segment_bounds");
        } catch (SQLException | IOException e) {
            throw new EventStoreException("usage by segment of " + month, e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    @Override
    public long storedEventCount() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM usage_events", Long.class);
    }

    @Override
    public String describe() {
        return "PostgreSQL table usage_events (partitioned by month)";
    }

    @Override
    public List<UserMonthUsage> usageOf(String userId) {
        return jdbc.query(EventClassification.USAGE_OF, (rs, n) -> new UserMonthUsage(rs.getInt(1), rs.getString(2), rs.getLong(3), rs.getLong(4)),
                userId);
    }

    @Override
    public void eventsOf(String userId, Consumer<UserEvent> sink) {
        jdbc.query(EventClassification.EVENTS_OF, rs -> {
            sink.accept(new UserEvent(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4)));
        }, userId);
    }

    /** In the caller's transaction: the user's events go together with everything else the caller changes. */
    @Override
    public long replaceUserEvents(String userId, List<Event> replacement) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("PostgresEventStore.replaceUserEvents runs inside the caller's transaction");
        }
        long held = jdbc.queryForObject(EventClassification.COUNT_OF, Long.class, userId);
        if (held == 0) {
            return 0;
        }
        // The dedupe table follows the events: their ids go with them (as before the partitioning, an id of an erased
        // event is free again), the replacements' ids come in.
        jdbc.update("WITH gone AS (DELETE FROM usage_events WHERE user_id = ? RETURNING event_id) "
                + "DELETE FROM usage_event_ids WHERE event_id IN (SELECT event_id FROM gone)", userId);
        jdbc.execute((StatementCallback<Void>) st -> {
            ensurePartitions(st, replacement.stream().map(Event::month).collect(Collectors.toCollection(TreeSet::new)));
            for (var monthsOfFile : replacement.stream().collect(Collectors.groupingBy(Event::fileId,
                    Collectors.mapping(Event::month, Collectors.toCollection(TreeSet::new)))).entrySet()) {
                ensureFilePartitions(st, monthsOfFile.getKey(), monthsOfFile.getValue());
                recordMonths(st, monthsOfFile.getKey(), monthsOfFile.getValue());
            }
            return null;
        });
        jdbc.batchUpdate(EventClassification.INSERT, replacement, 1000, (ps, e) -> {
            ps.setString(1, e.eventId());
            ps.setLong(2, e.tsMicros());
            ps.setInt(3, e.month());
            ps.setString(4, e.userId());
            ps.setString(5, e.metric());
            ps.setLong(6, e.quantity());
            ps.setLong(7, e.fileId());
            ps.setLong(8, e.line());
        });
        jdbc.batchUpdate("INSERT INTO usage_event_ids (event_id, month) VALUES (?, ?)", replacement, 1000, (ps, e) -> {
            ps.setString(1, e.eventId());
            ps.setInt(2, e.month());
        });
        return held;
    }

    @Override
    public boolean inBillingDatabase() {
        return true;
    }
}
