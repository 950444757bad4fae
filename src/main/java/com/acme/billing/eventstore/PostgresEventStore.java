package com.acme.billing.eventstore;


import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The production event store: {@code usage_events} in the billing PostgreSQL database (migration
 * V3). Staged files arrive by COPY; every call joins the caller's transaction, so storing a file
 * commits together with the step's state in the job repository.
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
            st.execute("CREATE TEMP TABLE staged (line BIGINT, event_id VARCHAR(128) COLLATE \"C\", ts_us BIGINT, month INTEGER, "
                    + "user_id VARCHAR(64) COLLATE \"C\", metric VARCHAR(64) COLLATE \"C\", quantity BIGINT)");
            long staged;
            try (Reader reader = Files.newBufferedReader(stagedEvents, StandardCharsets.UTF_8)) {
                staged = connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY staged FROM STDIN WITH (FORMAT csv)", reader);
            }
            // Fresh statistics, or the planner takes the new table for empty and loops over it.
            st.execute("ANALYZE staged");
            // Sorting ten million ids for the insert needs more than the default 4 MB; for this transaction only.
            st.execute("SET LOCAL work_mem = '256MB'");
            StoreResult result = insertAllOrClassify(connection, st, fileId, staged);
            // The roll-up that follows plans on these statistics; stale ones made it sort ten million rows on disk.
            st.execute("ANALYZE usage_events");
            return result;
        } catch (SQLException | IOException e) {
            throw new EventStoreException("storing file " + fileId + " from " + stagedEvents, e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /**
     * Most files hold only new events. So first the plain insert, in key order (the fastest way to
     * fill the B-tree): the primary key refuses it if any id is stored already or repeats in the
     * file, and then, back at the savepoint, the full classification runs. The insert is refused
     * whole, so nothing is half stored either way.
     */
    private static StoreResult insertAllOrClassify(Connection connection, Statement st, long fileId, long staged) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            long inserted = st.executeUpdate("INSERT INTO usage_events (event_id, ts_us, month, user_id, metric, quantity, file_id, line) "
                    + "SELECT event_id, ts_us, month, user_id, metric, quantity, " + fileId + ", line FROM staged ORDER BY event_id");
            connection.releaseSavepoint(savepoint);
            dropWorkingTables(st);
            return new StoreResult(staged, inserted, 0, List.of());
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(savepoint);
            StoreResult result = EventClassification.classifyAndInsert(st, fileId, " ORDER BY event_id");
            if (result.staged() != staged) {
                throw new IllegalStateException("copied " + staged + " staged events but classified " + result.staged() + "; nothing stored");
            }
            dropWorkingTables(st);
            return result;
        }
    }

    private static void dropWorkingTables(Statement st) throws SQLException {
        EventClassification.dropWorkingTables(st);
        st.execute("DROP TABLE IF EXISTS staged");
    }

    private static final String UNIQUE_VIOLATION = "23505";

    @Override
    public List<Integer> monthsOf(Collection<Long> fileIds) {
        if (fileIds.isEmpty()) {
            return List.of();
        }
        return jdbc.queryForList(EventClassification.monthsOfSql(fileIds), Integer.class);
    }

    @Override
    public void monthlyTotals(Collection<Integer> months, Consumer<MonthlyTotal> sink) {
        if (months.isEmpty()) {
            return;
        }
        jdbc.execute("SET LOCAL work_mem = '256MB'");
        jdbc.query(EventClassification.monthlyTotalsSql(months), rs -> {
            sink.accept(new MonthlyTotal(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
        });
    }

    @Override
    public void dailyUsage(int month, long monthStartMicros, Consumer<DailyUsage> sink) {
        jdbc.query(EventClassification.DAILY_USAGE.formatted(monthStartMicros, month), rs -> {
            sink.accept(new DailyUsage(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
        });
    }

    @Override
    public void usageBySegment(int month, Path segmentsCsv, Consumer<SegmentUsageRow> sink) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (Statement st = connection.createStatement()) {
            st.execute("DROP TABLE IF EXISTS segment_bounds");
            st.execute("CREATE TEMP TABLE segment_bounds (user_id VARCHAR(64) COLLATE \"C\", seg_no INTEGER, start_us BIGINT, end_us BIGINT)");
            try (Reader reader = Files.newBufferedReader(segmentsCsv, StandardCharsets.UTF_8)) {
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY segment_bounds FROM STDIN WITH (FORMAT csv)", reader);
            }
            st.execute("ANALYZE segment_bounds");
            st.execute("SET LOCAL work_mem = '256MB'");
            try (java.sql.ResultSet rs = st.executeQuery(EventClassification.SEGMENT_USAGE.formatted(month))) {
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
        return "PostgreSQL table usage_events";
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
        jdbc.update(EventClassification.DELETE_OF, userId);
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
        return held;
    }

    @Override
    public boolean inBillingDatabase() {
        return true;
    }
}
