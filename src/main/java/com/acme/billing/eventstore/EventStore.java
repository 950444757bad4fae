package com.acme.billing.eventstore;


import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where raw usage events live (DESIGN: one writer, the ingest job). The embedded default is DuckDB
 * beside the H2 billing database; production keeps them in PostgreSQL. Both pass the same tests.
 *
 * <p>Storing a staged file classifies each of its events against everything stored before and
 * within the file, per line:
 * <ul>
 * <li>event_id stored from this very file and line: accepted (an earlier attempt stored it);</li>
 * <li>event_id stored from elsewhere: a duplicate if the content is identical, else conflicting;</li>
 * <li>not stored: the first line of the file with that id is new and stored; later lines with the
 * same id compare with that first one.</li>
 * </ul>
 * Events keep their file and line, so storing the same staged file again after a crash gives the
 * same counts and stores nothing twice.
 */
public interface EventStore {

    /**
     * Classifies the staged events of a file and stores the new ones, in one transaction.
     *
     * @param stagedEvents the staging file written by the ingest job, one row per event, in {@link #stagedEventsFormat}
     */
    StoreResult store(long fileId, Path stagedEvents);

    /** How the ingest writes the staged files that {@link #store} loads. */
    default StagedEventsFormat stagedEventsFormat() {
        return StagedEventsFormat.CSV;
    }

    /** The months (yyyymm) that events stored from these files fall in. */
    List<Integer> monthsOf(Collection<Long> fileIds);

    /** Sum of quantities per user and metric over every stored event of these months. */
    void monthlyTotals(Collection<Integer> months, Consumer<MonthlyTotal> sink);

    /**
     * For a store that lives in the billing database ({@link #inBillingDatabase}): one query of {@code (user_id, metric,
     * total)} per user and metric over every stored event of one month, the same sums as {@link #monthlyTotals}, for the
     * billing database to run where the events are instead of sending each total out and back. Empty for a store that
     * lives elsewhere.
     */
    default Optional<String> monthlyTotalsQuery(int month) {
        return Optional.empty();
    }

    /**
     * Usage of one month per user, segment and metric. {@code segmentsCsv} holds
     * {@code user_id,seg_no,start_us,end_us} rows (segments of one user cover the month); events of
     * users without segments come back with {@code segNo} null.
     */
    void usageBySegment(int month, Path segmentsCsv, Consumer<SegmentUsageRow> sink);

    /** {@code segNo} is null for a user without segments in the month. */
    record SegmentUsageRow(String userId, Integer segNo, String metric, long quantity) {
    }

    /**
     * Usage of one month per user, metric and day of the month (1 = the first), ordered by user,
     * metric and day; {@code monthStartMicros} is the first instant of the month.
     */
    void dailyUsage(int month, long monthStartMicros, Consumer<DailyUsage> sink);

    record DailyUsage(String userId, String metric, int day, long quantity) {
    }

    /** Events stored, all files together. */
    long storedEventCount();

    /**
     * One user's stored usage per month and metric (events and quantity), in month and metric order: the
     * GDPR export's view of the raw events.
     */
    List<UserMonthUsage> usageOf(String userId);

    /** {@code month} is yyyymm. */
    record UserMonthUsage(int month, String metric, long events, long quantity) {
    }

    /** Every stored event of one user, in time order (the GDPR erase sums them per segment). */
    void eventsOf(String userId, Consumer<UserEvent> sink);

    /** {@code month} is yyyymm. */
    record UserEvent(long tsMicros, int month, String metric, long quantity) {
    }

    /**
     * Deletes every event of {@code userId} and stores {@code replacement} instead, in one transaction
     * (on PostgreSQL the caller's, which must be active). Nothing is stored when the user has no events
     * left, so a second call after a completed one changes nothing.
     *
     * @return the events deleted
     */
    long replaceUserEvents(String userId, List<Event> replacement);

    /** A whole stored row: {@code month} is yyyymm; {@code fileId} and {@code line} name where it came from. */
    record Event(String eventId, long tsMicros, int month, String userId, String metric, long quantity, long fileId, long line) {
    }

    /** Whether the store lives in the billing database, so that its writes join the billing transaction. */
    default boolean inBillingDatabase() {
        return false;
    }

    /** For people: where the events are. */
    String describe();

    /**
     * @param staged        events in the staging file
     * @param accepted      events of this file that are stored (new now, or stored by an earlier attempt)
     * @param duplicates    repeats with identical content, counted and not billed again
     * @param conflictLines lines whose event_id is known with other content (conflicting_duplicate), in order
     */
    record StoreResult(long staged, long accepted, long duplicates, List<Long> conflictLines) {
    }

    /** {@code month} is yyyymm. */
    record MonthlyTotal(String userId, String metric, int month, long quantity) {
    }
}
