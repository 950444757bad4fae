package com.acme.billing.ingest;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * The production event store: tables in the billing PostgreSQL database (migration V3). Staging
 * uses COPY; every call joins the caller's transaction, so a chunk's staged lines commit together
 * with the step's state in the job repository.
 */
public class PostgresEventStore implements EventStore {

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    public PostgresEventStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public void stage(long fileId, List<StagedLine.Event> events, List<StagedLine.Reject> rejects) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            if (!events.isEmpty()) {
                StringBuilder text = new StringBuilder(events.size() * 96);
                for (StagedLine.Event e : events) {
                    text.append(fileId).append('\t').append(e.line()).append('\t');
                    escape(text, e.eventId());
                    text.append('\t').append(e.tsMicros()).append('\t').append(e.month()).append('\t')
                            .append(e.userId()).append('\t').append(e.metric()).append('\t').append(e.quantity()).append('\n');
                }
                copy.copyIn("COPY staged_events (file_id, line, event_id, ts_us, month, user_id, metric, quantity) FROM STDIN",
                        new StringReader(text.toString()));
            }
            if (!rejects.isEmpty()) {
                StringBuilder text = new StringBuilder();
                for (StagedLine.Reject r : rejects) {
                    text.append(fileId).append('\t').append(r.line()).append('\t').append(r.reason()).append('\t');
                    escape(text, r.raw());
                    text.append('\n');
                }
                copy.copyIn("COPY staged_rejects (file_id, line, reason, raw) FROM STDIN", new StringReader(text.toString()));
            }
        } catch (SQLException | IOException e) {
            throw new EventStoreException("staging file " + fileId, e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** COPY text format: backslash, tab, newline and carriage return are escaped. */
    private static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' -> out.append("\\\\0");
                default -> out.append(c);
            }
        }
    }

    @Override
    public void discardStagedAfter(long fileId, long line) {
        jdbc.update("DELETE FROM staged_events WHERE file_id = ? AND line > ?", fileId, line);
        jdbc.update("DELETE FROM staged_rejects WHERE file_id = ? AND line > ?", fileId, line);
    }

    @Override
    public StoreResult storeStaged(long fileId) {
        // Fresh statistics, or the planner takes the staging table for empty and loops over it.
        jdbc.execute("ANALYZE staged_events");
        jdbc.execute("DROP TABLE IF EXISTS ingest_cls");
        jdbc.execute(SqlEventStore.classifySql(fileId));
        jdbc.update(SqlEventStore.insertNewSql(fileId) + " ON CONFLICT (event_id) DO NOTHING");
        long[] counts = new long[2];
        jdbc.query("SELECT outcome, COUNT(*) FROM ingest_cls GROUP BY outcome", rs -> {
            switch (rs.getString(1)) {
                case "N", "A" -> counts[0] += rs.getLong(2);
                case "D" -> counts[1] += rs.getLong(2);
                default -> {
                }
            }
        });
        List<Long> conflicts = new ArrayList<>(jdbc.queryForList("SELECT line FROM ingest_cls WHERE outcome = 'C' ORDER BY line", Long.class));
        jdbc.execute("DROP TABLE ingest_cls");
        return new StoreResult(counts[0], counts[1], conflicts);
    }

    @Override
    public void stagedRejects(long fileId, Consumer<StagedLine.Reject> sink) {
        jdbc.query("SELECT line, reason, raw FROM staged_rejects WHERE file_id = ? ORDER BY line",
                rs -> {
                    sink.accept(new StagedLine.Reject(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }, fileId);
    }

    @Override
    public long stagedLineCount(long fileId) {
        return jdbc.queryForObject("SELECT (SELECT COUNT(*) FROM staged_events WHERE file_id = ?) + (SELECT COUNT(*) FROM staged_rejects WHERE file_id = ?)",
                Long.class, fileId, fileId);
    }

    @Override
    public void monthlyTotalsTouchedBy(Collection<Long> fileIds, Consumer<MonthlyTotal> sink) {
        if (fileIds.isEmpty()) {
            return;
        }
        jdbc.query(SqlEventStore.touchedTotalsSql(fileIds), rs -> {
            sink.accept(new MonthlyTotal(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
        });
    }

    @Override
    public void discardStaged(Collection<Long> fileIds) {
        if (fileIds.isEmpty()) {
            return;
        }
        String ids = SqlEventStore.idList(fileIds);
        jdbc.update("DELETE FROM staged_events WHERE file_id IN (" + ids + ")");
        jdbc.update("DELETE FROM staged_rejects WHERE file_id IN (" + ids + ")");
    }

    @Override
    public long storedEventCount() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM usage_events", Long.class);
    }
}
