package com.acme.billing.eventstore;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.duckdb.DuckDBConnection;

/**
 * The embedded event store: a DuckDB file beside the H2 database. Columnar storage and hash joins
 * make dedupe against every stored event cheap (STACK-NOTES: ~590,000 events/s here), where a
 * B-tree over random event ids in H2 crawls. DuckDB lets one process write a file at a time; the
 * ingest job is its only writer (DESIGN), and the file is opened only when a command needs it.
 *
 * <p>DuckDB commits apart from the billing database; {@link #store} is one DuckDB transaction and
 * idempotent per file and line (see {@link EventStore}), so a step redone after a crash is exact.
 */
public class DuckDbEventStore implements EventStore, AutoCloseable {

    private final Path file;
    private final String memoryLimit;
    private final int threads;
    private DuckDBConnection connection;

    public DuckDbEventStore(Path file, String memoryLimit, int threads) {
        this.file = file;
        this.memoryLimit = memoryLimit;
        this.threads = threads;
    }

    private synchronized DuckDBConnection connection() throws SQLException {
        if (connection == null) {
            Path tmp = file.getParent().resolve("duckdb-tmp");
            try {
                Files.createDirectories(tmp);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
            } catch (SQLException e) {
                throw new SQLException("cannot open the event store " + file
                        + " (another ingest running? DuckDB lets one process write it): " + e.getMessage(), e);
            }
            try (Statement st = connection.createStatement()) {
                st.execute("SET memory_limit = '" + memoryLimit + "'");
                st.execute("SET threads = " + threads);
                st.execute("SET preserve_insertion_order = false");
                st.execute("SET temp_directory = '" + tmp.toAbsolutePath() + "'");
                st.execute("CREATE TABLE IF NOT EXISTS usage_events (event_id VARCHAR NOT NULL, ts_us BIGINT NOT NULL, "
                        + "month INTEGER NOT NULL, user_id VARCHAR NOT NULL, metric VARCHAR NOT NULL, quantity BIGINT NOT NULL, "
                        + "file_id BIGINT NOT NULL, line BIGINT NOT NULL)");
            }
        }
        return connection;
    }

    @Override
    public synchronized StoreResult store(long fileId, Path stagedEvents) {
        try {
            DuckDBConnection c = connection();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                dropWorkingTables(st);
                if (Files.size(stagedEvents) > 0) {
                    st.execute("CREATE TEMP VIEW staged AS SELECT * FROM read_csv('" + stagedEvents.toAbsolutePath().toString().replace("'", "''")
                            + "', header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
                            + "columns = {'line': 'BIGINT', 'event_id': 'VARCHAR', 'ts_us': 'BIGINT', 'month': 'INTEGER', "
                            + "'user_id': 'VARCHAR', 'metric': 'VARCHAR', 'quantity': 'BIGINT'})");
                } else {
                    st.execute("CREATE TEMP VIEW staged AS SELECT * FROM (VALUES (0::BIGINT, ''::VARCHAR, 0::BIGINT, 0::INTEGER, "
                            + "''::VARCHAR, ''::VARCHAR, 0::BIGINT)) t(line, event_id, ts_us, month, user_id, metric, quantity) WHERE false");
                }
                StoreResult result = EventClassification.classifyAndInsert(st, fileId, "", "hash(event_id)");
                dropWorkingTables(st);
                c.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | IOException e) {
            throw new EventStoreException("storing file " + fileId + " from " + stagedEvents, e);
        }
    }

    private static void dropWorkingTables(Statement st) throws SQLException {
        EventClassification.dropWorkingTables(st);
        st.execute("DROP VIEW IF EXISTS staged");
    }

    /** Read off the events: DuckDB, a column store, reads only these two columns. */
    @Override
    public synchronized List<Integer> monthsOf(Collection<Long> fileIds) {
        List<Integer> months = new ArrayList<>();
        if (fileIds.isEmpty()) {
            return months;
        }
        String sql = "SELECT DISTINCT month FROM usage_events WHERE file_id IN ("
                + EventClassification.join(fileIds) + ") ORDER BY month";
        try (Statement st = connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                months.add(rs.getInt(1));
            }
        } catch (SQLException e) {
            throw new EventStoreException("finding the months of files " + fileIds, e);
        }
        return months;
    }

    @Override
    public synchronized void monthlyTotals(Collection<Integer> months, Consumer<MonthlyTotal> sink) {
        if (months.isEmpty()) {
            return;
        }
        try (Statement st = connection().createStatement(); ResultSet rs = st.executeQuery(EventClassification.monthlyTotalsSql(months))) {
            while (rs.next()) {
                sink.accept(new MonthlyTotal(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
            }
        } catch (SQLException e) {
            throw new EventStoreException("summing usage of months " + months, e);
        }
    }

    @Override
    public synchronized void dailyUsage(int month, long monthStartMicros, Consumer<DailyUsage> sink) {
        try (Statement st = connection().createStatement();
                ResultSet rs = st.executeQuery(EventClassification.DAILY_USAGE.formatted(monthStartMicros, "usage_events", month))) {
            while (rs.next()) {
                sink.accept(new DailyUsage(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
            }
        } catch (SQLException e) {
            throw new EventStoreException("daily usage of " + month, e);
        }
    }

    @Override
    public synchronized void usageBySegment(int month, Path segmentsCsv, Consumer<SegmentUsageRow> sink) {
        try (Statement st = connection().createStatement()) {
            st.execute("DROP TABLE IF EXISTS segment_bounds");
            st.execute("CREATE TEMP TABLE segment_bounds AS SELECT * FROM read_csv('" + segmentsCsv.toAbsolutePath().toString().replace("'", "''")
                    + "', header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
                    + "columns = {'user_id': 'VARCHAR', 'seg_no': 'INTEGER', 'start_us': 'BIGINT', 'end_us': 'BIGINT'})");
            try (ResultSet rs = st.executeQuery(EventClassification.SEGMENT_USAGE.formatted("usage_events", month))) {
                while (rs.next()) {
                    int seg = rs.getInt(2);
                    sink.accept(new SegmentUsageRow(rs.getString(1), rs.wasNull() ? null : seg, rs.getString(3), rs.getLong(4)));
                }
            }
            st.execute("DROP TABLE segment_bounds");
        } catch (SQLException e) {
            throw new EventStoreException("usage by segment of " + month, e);
        }
    }

    @Override
    public synchronized long storedEventCount() {
        try (Statement st = connection().createStatement()) {
            return single(st, "SELECT COUNT(*) FROM usage_events");
        } catch (SQLException e) {
            throw new EventStoreException("counting events", e);
        }
    }

    @Override
    public synchronized List<UserMonthUsage> usageOf(String userId) {
        List<UserMonthUsage> rows = new ArrayList<>();
        try (java.sql.PreparedStatement ps = connection().prepareStatement(EventClassification.USAGE_OF)) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new UserMonthUsage(rs.getInt(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        } catch (SQLException e) {
            throw new EventStoreException("usage of one user", e);
        }
        return rows;
    }

    @Override
    public synchronized void eventsOf(String userId, Consumer<UserEvent> sink) {
        try (java.sql.PreparedStatement ps = connection().prepareStatement(EventClassification.EVENTS_OF)) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(new UserEvent(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4)));
                }
            }
        } catch (SQLException e) {
            throw new EventStoreException("events of one user", e);
        }
    }

    /** One DuckDB transaction: the user's events go and the replacement comes, or neither. */
    @Override
    public synchronized long replaceUserEvents(String userId, List<Event> replacement) {
        try {
            DuckDBConnection c = connection();
            c.setAutoCommit(false);
            try (java.sql.PreparedStatement count = c.prepareStatement(EventClassification.COUNT_OF);
                    java.sql.PreparedStatement delete = c.prepareStatement(EventClassification.DELETE_OF);
                    java.sql.PreparedStatement insert = c.prepareStatement(EventClassification.INSERT)) {
                count.setString(1, userId);
                long held;
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    held = rs.getLong(1);
                }
                if (held == 0) {
                    c.rollback();
                    return 0;
                }
                delete.setString(1, userId);
                delete.executeUpdate();
                for (Event e : replacement) {
                    insert.setString(1, e.eventId());
                    insert.setLong(2, e.tsMicros());
                    insert.setInt(3, e.month());
                    insert.setString(4, e.userId());
                    insert.setString(5, e.metric());
                    insert.setLong(6, e.quantity());
                    insert.setLong(7, e.fileId());
                    insert.setLong(8, e.line());
                    insert.executeUpdate();
                }
                c.commit();
                return held;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new EventStoreException("replacing the events of one user", e);
        }
    }

    @Override
    public String describe() {
        return "DuckDB file " + file;
    }

    private static long single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new EventStoreException("closing", e);
            } finally {
                connection = null;
            }
        }
    }
}
