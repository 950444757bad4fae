package com.acme.billing.eventstore;

import java.io.IOException;
import java.nio.file.Path;
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
import org.postgresql.copy.CopyOut;

/**
 * The load of {@link PostgresEventStore#store} for a file whose events are all new, as most files' are: the staged file
 * goes into {@code usage_events} by COPY as it is (the months' partitions made beforehand, {@code file_id} from the
 * default of migration V24), and its ids into {@code usage_event_ids} by COPY in key order, sorted meanwhile by a second
 * connection that loads the same file into a temporary table of its own: two server processes at work on the two cores
 * instead of one, and COPY's batched inserts instead of INSERT ... SELECT row by row. The dedupe table's key refuses the
 * ids' COPY if an id is stored already or repeats in the file; the caller then rolls back to its savepoint and classifies
 * line by line. Everything stored is written by the caller's connection, in its transaction: the sorting connection only
 * reads the file and its own temporary tables, and rolls back.
 */
final class AllNewEventsLoad implements AutoCloseable {

    private static final String UNIQUE_VIOLATION = "23505";

    private final Path staged;
    private final ExecutorService sorterThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "ingest-id-sort"));
    private final Connection sorting;
    private final Future<SortedIds> sortedIds;

    /** The staged rows, counted, and their ids and months coming in key order from the sorting connection. */
    private record SortedIds(long staged, CopyOut rows, byte[] first) {
    }

    /**
     * Takes a second connection from {@code dataSource} and starts sorting the file's ids on it, while the caller goes on
     * (finding the file's months, making their partitions).
     */
    static AllNewEventsLoad start(DataSource dataSource, Path staged) throws SQLException {
        return new AllNewEventsLoad(dataSource, staged);
    }

    private AllNewEventsLoad(DataSource dataSource, Path staged) throws SQLException {
        this.staged = staged;
        this.sorting = dataSource.getConnection();
        try {
            sorting.setAutoCommit(false);
            this.sortedIds = sorterThread.submit(this::sortIds);
        } catch (SQLException | RuntimeException e) {
            sorterThread.shutdown();
            sorting.close();
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
    OptionalLong store(Connection connection, long fileId) throws SQLException, IOException {
        long events;
        try (Statement st = connection.createStatement()) {
            st.execute("SET LOCAL billing.ingest_file_id = '" + fileId + "'");
            events = PostgresEventStore.copyFile(connection, "COPY usage_events (line, event_id, ts_us, month, user_id, metric, quantity) FROM STDIN "
                    + "WITH (FORMAT binary)", staged);
            // The default serves this COPY and nothing after it in the transaction.
            st.execute("RESET billing.ingest_file_id");
        }
        SortedIds sorted = await();
        long ids;
        try {
            ids = copyIdsInKeyOrder(sorted, connection);
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return OptionalLong.empty();
            }
            throw e;
        }
        if (events != sorted.staged() || ids != sorted.staged()) {
            throw new IllegalStateException("staged " + sorted.staged() + " events but stored " + events + " events and " + ids
                    + " event ids; nothing stored");
        }
        return OptionalLong.of(events);
    }

    /**
     * On the sorting connection: the file into a temporary table, then its ids and months in key order, the first row read
     * (it comes when the sort is done), the others left to {@link #copyIdsInKeyOrder}.
     */
    private SortedIds sortIds() throws SQLException, IOException {
        long copied;
        try (Statement st = sorting.createStatement()) {
            st.execute("CREATE TEMP TABLE staged_all " + PostgresEventStore.STAGED_COLUMNS + " ON COMMIT DROP");
            copied = PostgresEventStore.copyFile(sorting, "COPY staged_all FROM STDIN WITH (FORMAT binary)", staged);
            // Sorting ten million ids needs more than the default 4 MB; for this transaction only.
            st.execute("SET LOCAL work_mem = '256MB'");
        }
        CopyOut rows = sorting.unwrap(PGConnection.class).getCopyAPI()
                .copyOut("COPY (SELECT event_id, month FROM staged_all ORDER BY event_id) TO STDOUT");
        return new SortedIds(copied, rows, rows.readFromCopy());
    }

    /**
     * The sorted ids, read from the sorting connection row by row and written to the dedupe table through the storing one
     * (COPY's text format on both sides, so every id arrives as it left). A refused row aborts the storing connection's
     * COPY: it is ended here (the sorting one by {@link #close}), and the refusal thrown.
     */
    private static long copyIdsInKeyOrder(SortedIds sorted, Connection connection) throws SQLException {
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY usage_event_ids (event_id, month) FROM STDIN");
        try {
            for (byte[] row = sorted.first(); row != null; row = sorted.rows().readFromCopy()) {
                in.writeToCopy(row, 0, row.length);
            }
            return in.endCopy();
        } catch (SQLException e) {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException cancelFailed) {
                    e.addSuppressed(cancelFailed);
                }
            }
            throw e;
        }
    }

    /**
     * Waits for the sorting connection (when the load failed before it needed the sort), reads to the end whatever it was
     * still sending, rolls it back and gives it back to the pool. Nothing is cancelled there: a cancel request travels
     * apart from the connection and could reach the statement of its next user.
     */
    @Override
    public void close() throws SQLException {
        try {
            CopyOut rows;
            try {
                rows = await().rows();
            } catch (SQLException | IOException | RuntimeException e) {
                // Reported by store() already, or a failure of the load's own sorting connection only: it holds nothing to keep.
                rows = null;
            }
            while (rows != null && rows.isActive() && rows.readFromCopy() != null) {
                // The rest of the sorted ids, not wanted once the dedupe table refused one.
            }
            sorting.rollback();
        } finally {
            sorterThread.shutdown();
            sorting.close();
        }
    }

    private SortedIds await() throws SQLException, IOException {
        try {
            return sortedIds.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the event ids were sorted", e);
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
