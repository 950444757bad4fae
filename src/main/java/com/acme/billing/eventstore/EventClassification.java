package com.acme.billing.eventstore;

import com.acme.billing.eventstore.EventStore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The classification of {@link EventStore#store} that DuckDB and PostgreSQL share, over a relation
 * {@code staged} holding one file's staged events (a table on PostgreSQL, a view over the staging
 * file on DuckDB, which then reads the file three times rather than copying ten million rows into
 * a temporary table first: 7.7 s instead of 17.7 s, docs/benchmarks.md). Only the exceptional rows
 * (ids stored already, or repeated within the file) are classified one by one, in small tables;
 * everything else is new, so the big work is one join, one aggregate and one plain insert that
 * leaves out the few exceptional lines.
 */
final class EventClassification {

    private EventClassification() {
    }

    /** The working tables; each adapter drops its own {@code staged}. */
    static final List<String> DROP = List.of("DROP TABLE IF EXISTS ingest_known", "DROP TABLE IF EXISTS ingest_id_counts",
            "DROP TABLE IF EXISTS ingest_hash_counts",
            "DROP TABLE IF EXISTS ingest_repeat_rows", "DROP TABLE IF EXISTS ingest_later", "DROP TABLE IF EXISTS ingest_known_ids");

    /** Creates {@code ingest_known (line, outcome)}: the staged lines whose event_id is stored, each A, D or C. */
    @FunctionalInterface
    interface KnownRows {
        void create(Statement st) throws SQLException;
    }

    /** Stores the new rows: {@code staged} filtered by {@code rest} (empty, or a WHERE clause); returns the rows stored. */
    @FunctionalInterface
    interface NewRows {
        long insert(Statement st, String rest) throws SQLException;
    }

    /**
     * The stored rows compared with the staged ones by a join of {@code staged} with {@code usage_events} on event_id (DuckDB;
     * PostgreSQL finds the stored rows through its dedupe table, {@link PostgresEventStore}).
     */
    static KnownRows knownByJoin(long fileId) {
        return st -> st.execute("""
                CREATE TEMP TABLE ingest_known AS
                SELECT s.line,
                    CASE WHEN e.file_id = %d AND e.line = s.line THEN 'A'
                         WHEN e.ts_us = s.ts_us AND e.user_id = s.user_id AND e.metric = s.metric AND e.quantity = s.quantity THEN 'D'
                         ELSE 'C' END AS outcome
                FROM staged s JOIN usage_events e ON e.event_id = s.event_id
                """.formatted(fileId));
    }

    /** The plain insert into {@code usage_events}; {@code insertOrder} is an ORDER BY for it, or empty. */
    static NewRows insertInto(long fileId, String insertOrder) {
        return (st, rest) -> st.executeUpdate("INSERT INTO usage_events (event_id, ts_us, month, user_id, metric, quantity, file_id, line) "
                + "SELECT event_id, ts_us, month, user_id, metric, quantity, " + fileId + ", line FROM staged" + rest + insertOrder);
    }

    /** {@link #classifyAndInsert(Statement, KnownRows, NewRows, String)} with the join on {@code usage_events} and its plain insert. */
    static EventStore.StoreResult classifyAndInsert(Statement st, long fileId, String insertOrder, String idHash) throws SQLException {
        return classifyAndInsert(st, knownByJoin(fileId), insertInto(fileId, insertOrder), idHash);
    }

    /**
     * Classifies and stores; {@code staged} must hold the file's events (their number is counted here,
     * in the same pass that finds the repeated ids). Runs inside the caller's transaction. Rows whose id is stored come from
     * {@code known}: this very line stored by an earlier attempt (A), same content (D), other content (C). {@code idHash} is
     * the database's 64-bit hash of {@code event_id} (only a first sieve: equal ids are then compared exactly).
     */
    static EventStore.StoreResult classifyAndInsert(Statement st, KnownRows known, NewRows newRows, String idHash) throws SQLException {
        known.create(st);
        // Ids repeated within the file, and (the ROLLUP's grand total, whole = 1) the number of staged events: first by a
        // 64-bit hash of the id, then exactly, over the ids whose hash repeats (those repeated, and any that only share a
        // hash). Grouping ten million integers took 2.0 s where grouping the id strings took 7.2 s (DuckDB, docs/benchmarks.md).
        st.execute("""
                CREATE TEMP TABLE ingest_hash_counts AS
                SELECT h, COUNT(*) AS n, GROUPING(h) AS whole FROM (SELECT %s AS h FROM staged) hashed GROUP BY ROLLUP (h)
                HAVING COUNT(*) > 1 OR GROUPING(h) = 1
                """.formatted(idHash));
        long staged = count(st, "SELECT n FROM ingest_hash_counts WHERE whole = 1");
        // Later lines of an id repeated in the file and not stored: D or C against its first line.
        st.execute("CREATE TEMP TABLE ingest_later (line BIGINT, outcome VARCHAR(1))");
        if (count(st, "SELECT COUNT(*) FROM ingest_hash_counts WHERE whole = 0") > 0) {
            st.execute("""
                    CREATE TEMP TABLE ingest_id_counts AS
                    SELECT event_id, COUNT(*) AS n FROM staged WHERE %s IN (SELECT h FROM ingest_hash_counts WHERE whole = 0)
                    GROUP BY event_id HAVING COUNT(*) > 1
                    """.formatted(idHash));
            st.execute("""
                    CREATE TEMP TABLE ingest_repeat_rows AS
                    SELECT s.* FROM staged s WHERE s.event_id IN (SELECT event_id FROM ingest_id_counts)
                    """);
            st.execute("""
                    INSERT INTO ingest_later
                    SELECT s.line,
                        CASE WHEN f.ts_us = s.ts_us AND f.user_id = s.user_id AND f.metric = s.metric AND f.quantity = s.quantity
                             THEN 'D' ELSE 'C' END
                    FROM ingest_repeat_rows s
                    JOIN (SELECT event_id, MIN(line) AS first_line FROM ingest_repeat_rows GROUP BY event_id) r
                      ON r.event_id = s.event_id AND s.line <> r.first_line
                    JOIN ingest_repeat_rows f ON f.event_id = r.event_id AND f.line = r.first_line
                    WHERE s.line NOT IN (SELECT line FROM ingest_known)
                    """);
        }
        long exceptional = count(st, "SELECT (SELECT COUNT(*) FROM ingest_known) + (SELECT COUNT(*) FROM ingest_later)");
        // The rest is new: not stored, and the first line of its id in the file.
        String rest = exceptional == 0 ? "" : " WHERE line NOT IN (SELECT line FROM ingest_known UNION ALL SELECT line FROM ingest_later)";
        long inserted = newRows.insert(st, rest);
        long accepted = inserted;
        long duplicates = 0;
        long classified = inserted;
        try (ResultSet rs = st.executeQuery(
                "SELECT outcome, COUNT(*) FROM (SELECT outcome FROM ingest_known UNION ALL SELECT outcome FROM ingest_later) o GROUP BY outcome")) {
            while (rs.next()) {
                classified += rs.getLong(2);
                switch (rs.getString(1)) {
                    case "A" -> accepted += rs.getLong(2);
                    case "D" -> duplicates += rs.getLong(2);
                    default -> {
                    }
                }
            }
        }
        if (classified != staged) {
            throw new IllegalStateException("classified " + classified + " of " + staged + " staged events; nothing stored");
        }
        List<Long> conflicts = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT line FROM (SELECT line, outcome FROM ingest_known UNION ALL "
                + "SELECT line, outcome FROM ingest_later) o WHERE outcome = 'C' ORDER BY line")) {
            while (rs.next()) {
                conflicts.add(rs.getLong(1));
            }
        }
        dropWorkingTables(st);
        return new EventStore.StoreResult(staged, accepted, duplicates, conflicts);
    }

    /** Drops the working tables of {@link #classifyAndInsert} (not {@code staged}, which is each adapter's own). */
    static void dropWorkingTables(Statement st) throws SQLException {
        for (String drop : DROP) {
            st.execute(drop);
        }
    }

    static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * In the key order of {@code rating_usage}: H2 keeps a table's rows in insertion order and its primary key
     * in a second tree, so rows inserted in random key order made the next close's delete of them random on one
     * side (29.8 s for 380,600 rows; 2 s for the same number in key order). First argument: the relation, {@code usage_events}
     * or, on PostgreSQL, the month's partition.
     */
    static final String SEGMENT_USAGE = """
            SELECT e.user_id, s.seg_no, e.metric, SUM(e.quantity)
            FROM %s e
            LEFT JOIN segment_bounds s ON s.user_id = e.user_id AND e.ts_us >= s.start_us AND e.ts_us < s.end_us
            WHERE e.month = %d
            GROUP BY e.user_id, s.seg_no, e.metric
            ORDER BY e.user_id, s.seg_no NULLS FIRST, e.metric
            """;

    /**
     * Day of the month from microseconds: FLOOR of a decimal division works alike in DuckDB and PostgreSQL. Second argument:
     * the relation, {@code usage_events} or, on PostgreSQL, the month's partition.
     */
    static final String DAILY_USAGE = """
            SELECT user_id, metric, CAST(FLOOR((ts_us - %d) / 86400000000.0) AS INTEGER) + 1 AS day_of_month, SUM(quantity)
            FROM %s WHERE month = %d
            GROUP BY user_id, metric, day_of_month
            ORDER BY user_id, metric, day_of_month
            """;

    static final String USAGE_OF = "SELECT month, metric, COUNT(*), SUM(quantity) FROM usage_events WHERE user_id = ? "
            + "GROUP BY month, metric ORDER BY month, metric";

    static final String EVENTS_OF = "SELECT ts_us, month, metric, quantity FROM usage_events WHERE user_id = ? ORDER BY ts_us, event_id";

    static final String COUNT_OF = "SELECT COUNT(*) FROM usage_events WHERE user_id = ?";

    static final String DELETE_OF = "DELETE FROM usage_events WHERE user_id = ?";

    static final String INSERT = "INSERT INTO usage_events (event_id, ts_us, month, user_id, metric, quantity, file_id, line) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    static String monthlyTotalsSql(Collection<Integer> months) {
        return "SELECT user_id, metric, month, SUM(quantity) FROM usage_events WHERE month IN (" + join(months)
                + ") GROUP BY user_id, metric, month ORDER BY user_id, metric, month";
    }

    /** Numbers for an SQL {@code IN (...)} list: ids and months, which need no quoting. */
    static String join(Collection<? extends Number> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
