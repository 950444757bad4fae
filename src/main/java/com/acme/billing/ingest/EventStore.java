package com.acme.billing.ingest;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where raw usage events live (DESIGN: one writer, the ingest job). The embedded default is DuckDB
 * beside the H2 billing database; production keeps them in PostgreSQL. Both pass the same tests.
 *
 * <p>A file is first staged (its valid lines and rejects, keyed by file and line), then stored: the
 * staged events are classified against everything stored before (new, duplicate, conflicting) and
 * the new ones kept. Every write is idempotent per file and line, so a step redone after a crash
 * never counts an event twice.
 */
public interface EventStore {

    /** Appends one chunk of validated lines of a file to its staging area. */
    void stage(long fileId, List<StagedLine.Event> events, List<StagedLine.Reject> rejects);

    /** Forgets staged lines after {@code line}: what a crash left beyond the last committed chunk. */
    void discardStagedAfter(long fileId, long line);

    /** Classifies the staged events of a file and stores the new ones; see {@link StoreResult}. */
    StoreResult storeStaged(long fileId);

    /** Staged rejects of a file in line order. */
    void stagedRejects(long fileId, Consumer<StagedLine.Reject> sink);

    /** Lines staged for a file (events and rejects): its data lines once staging is complete. */
    long stagedLineCount(long fileId);

    /** Sum of quantities per user, metric and month, for every key that events of these files touch. */
    void monthlyTotalsTouchedBy(Collection<Long> fileIds, Consumer<MonthlyTotal> sink);

    /** Drops the staging rows of these files (after they are stored). */
    void discardStaged(Collection<Long> fileIds);

    /** Events stored, all files together (for tests and operators). */
    long storedEventCount();

    /**
     * @param accepted       events of this file that are stored (new now, or stored by an earlier attempt)
     * @param duplicates     repeats with identical content, counted and not billed again
     * @param conflictLines  lines whose event_id is known with other content (conflicting_duplicate)
     */
    record StoreResult(long accepted, long duplicates, List<Long> conflictLines) {
    }

    /** {@code month} is yyyymm. */
    record MonthlyTotal(String userId, String metric, int month, long quantity) {
    }
}
