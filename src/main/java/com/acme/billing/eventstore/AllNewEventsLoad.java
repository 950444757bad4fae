package com.acme.billing.eventstore;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The load of {@link PostgresEventStore#store} for a file whose events are all new, as most files' are: its two writes of
 * every row, the events and their ids, at once on two connections (two server processes on the two cores; one after the
 * other on the step's connection they were most of the ingest on PostgreSQL, docs/benchmarks.md).
 * <ul>
 * <li>A second connection writes the events into tables of their own, one per month ({@code usage_events_<yyyymm>_<file>},
 * each with the CHECK constraints of its place: its month and this file), and commits them unattached: no query reads a
 * table that is not a partition of {@code usage_events}.</li>
 * <li>The caller's connection meanwhile writes the ids into the dedupe table by COPY, in key order, merged from the staged
 * file's sorted runs ({@link StagedIds}), then attaches the event tables to their months' partitions as the file's
 * partitions: a catalog change, whose scan the constraints spare. Ids and events become visible with the caller's
 * commit, together with the step's state, or not at all.</li>
 * </ul>
 * The dedupe table's key refuses the ids' COPY if an id is stored already or repeats in the file; the caller then rolls
 * back to its savepoint and classifies line by line, and {@link #close} drops the tables the second connection wrote.
 * Tables committed by a load whose process died before the caller's commit (or whose caller's transaction rolled back
 * later) are dropped by the next load of the same file, or by the next store of another file
 * ({@link PostgresEventStore#dropUnattachedOfOtherFiles}).
 */
final class AllNewEventsLoad implements AutoCloseable {

    private static final String UNIQUE_VIOLATION = "23505";

    private final long fileId;
    private final StagedIds.Layout layout;
    private final ExecutorService loaderThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "ingest-event-load"));
    private final Connection loading;
    private final Future<Long> loadedEvents;
    private boolean attached;

    /**
     * Takes a second connection from {@code dataSource} and starts writing the file's events on it, while the caller goes on
     * (making the months' partitions, writing the ids).
     */
    static AllNewEventsLoad start(DataSource dataSource, long fileId, StagedIds.Layout layout) throws SQLException {
        return new AllNewEventsLoad(dataSource, fileId, layout);
    }

    private AllNewEventsLoad(DataSource dataSource, long fileId, StagedIds.Layout layout) throws SQLException {
        this.fileId = fileId;
        this.layout = layout;
        this.loading = dataSource.getConnection();
        try {
            loading.setAutoCommit(false);
            this.loadedEvents = loaderThread.submit(this::loadEvents);
        } catch (SQLException | RuntimeException e) {
            loaderThread.shutdown();
            loading.close();
            throw e;
        }
    }

    /**
     * Stores every staged event of the file, in {@code connection}'s transaction, which must hold a savepoint to return to
     * when this answers empty (an id stored already or repeated: nothing stored that the savepoint does not undo). The
     * months' partitions must exist.
     *
     * @return the number of events stored
     */
    OptionalLong store(Connection connection) throws SQLException, IOException {
        long ids;
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY usage_event_ids (event_id, month) FROM STDIN WITH (FORMAT binary)");
        try {
            StagedIds.copyInKeyOrder(layout, in::writeToCopy);
            ids = in.endCopy();
        } catch (SQLException | IOException | RuntimeException e) {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException cancelFailed) {
                    e.addSuppressed(cancelFailed);
                }
            }
            if (e instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return OptionalLong.empty();
            }
            throw e;
        }
        long events = await();
        if (events != layout.rows() || ids != layout.rows()) {
            throw new IllegalStateException("staged " + layout.rows() + " events but stored " + events + " events and " + ids
                    + " event ids; nothing stored");
        }
        try (Statement st = connection.createStatement()) {
            for (int month : layout.months()) {
                st.execute("ALTER TABLE " + PostgresEventStore.partition(month) + " ATTACH PARTITION "
                        + PostgresEventStore.filePartition(month, fileId) + " FOR VALUES IN (" + fileId + ")");
            }
        }
        attached = true;
        return OptionalLong.of(events);
    }

    /**
     * On the second connection: a table per month under a partitioned table of this load alone that routes the COPY's rows
     * by month (its {@code file_id} default this file), the staged file by COPY, the BRIN index that the months' partitioned
     * index on {@code file_id} asks of each partition; then the tables taken out of it as they are, and committed.
     */
    private long loadEvents() throws SQLException, IOException {
        String router = "usage_events_load_" + fileId;
        long copied;
        try (Statement st = loading.createStatement()) {
            // Left by an earlier load of this file whose store did not commit: the caller holds the file's lock, so no one
            // else is attaching them. Attached ones are never touched (and a stored file is not stored again).
            for (PostgresEventStore.UnattachedTable table : PostgresEventStore.unattachedTables(st)) {
                if (table.fileId() == fileId) {
                    st.execute("DROP TABLE " + table.quotedName());
                }
            }
            st.execute("CREATE TABLE " + router + " (LIKE usage_events) PARTITION BY LIST (month)");
            st.execute("ALTER TABLE " + router + " ALTER COLUMN file_id SET DEFAULT " + fileId);
            for (int month : layout.months()) {
                String table = PostgresEventStore.filePartition(month, fileId);
                st.execute("CREATE TABLE " + table + " (LIKE usage_events, CHECK (month = " + month + "), CHECK (file_id = " + fileId + "))");
                st.execute("ALTER TABLE " + router + " ATTACH PARTITION " + table + " FOR VALUES IN (" + month + ")");
            }
            copied = PostgresEventStore.copyFile(loading, "COPY " + router + " (line, event_id, ts_us, month, user_id, metric, quantity) "
                    + "FROM STDIN WITH (FORMAT binary)", layout.file());
            for (int month : layout.months()) {
                String table = PostgresEventStore.filePartition(month, fileId);
                st.execute("ALTER TABLE " + router + " DETACH PARTITION " + table);
                st.execute("CREATE INDEX ON " + table + " USING brin (file_id)");
            }
            st.execute("DROP TABLE " + router);
        }
        loading.commit();
        return copied;
    }

    /**
     * Waits for the second connection, drops the tables it committed when they were not attached (the dedupe table refused
     * an id, or the caller failed), and gives it back to the pool.
     */
    @Override
    public void close() throws SQLException {
        try {
            boolean committed;
            try {
                await();
                committed = true;
            } catch (SQLException | IOException | RuntimeException e) {
                // Reported by store() already, or a failure of the load's own connection: its transaction holds nothing.
                committed = false;
                loading.rollback();
            }
            if (committed && !attached) {
                try (Statement st = loading.createStatement()) {
                    for (int month : layout.months()) {
                        st.execute("DROP TABLE IF EXISTS " + PostgresEventStore.filePartition(month, fileId));
                    }
                }
                loading.commit();
            }
        } finally {
            loaderThread.shutdown();
            loading.close();
        }
    }

    private long await() throws SQLException, IOException {
        try {
            return loadedEvents.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the events were loaded", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
    }
}
