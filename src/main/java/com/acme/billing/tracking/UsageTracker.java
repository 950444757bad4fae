package com.acme.billing.tracking;

import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.ingest.StagedLine;
import com.acme.billing.ingest.TrackedUsage;
import com.acme.billing.ingest.UsageLine;
import com.acme.billing.ingest.UsageLineValidator;
import com.acme.billing.platform.DatabaseUrl;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The seed's {@code UsageTracker}, online half: validates tracked events by the rules of SPEC 2 (the
 * same validator as the usage logs), dedupes them by {@code event_id} against every event tracked
 * before and within the batch, and commits the new ones before answering. A batch is taken whole or
 * not at all.
 */
@Service
public class UsageTracker {

    /**
     * One event as received; fields as written (null where absent), {@code index} its place in the batch. An absent
     * timestamp is the batch's "now" ({@link #check}).
     */
    public record Received(int index, UsageLine.Fields fields) {
    }

    /** An event of the batch that is refused, with the reason of SPEC 2 or {@code conflicting_duplicate}. */
    public record Refusal(int index, String reason) {
    }

    /** {@code conflicts} empty: stored; otherwise nothing was stored (each a {@code conflicting_duplicate}). */
    public record Outcome(long accepted, long duplicates, List<Refusal> conflicts) {
    }

    static final String CONFLICTING = "conflicting_duplicate";

    private final CatalogRepository catalogs;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final LimitWatch limits;
    private final boolean postgres;

    public UsageTracker(CatalogRepository catalogs, JdbcTemplate jdbc, TransactionTemplate tx, Clock clock, LimitWatch limits,
            @Value("${spring.datasource.url}") String databaseUrl) {
        this.postgres = DatabaseUrl.isPostgres(databaseUrl);
        this.catalogs = catalogs;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * A batch checked by the rules of SPEC 2 at one instant: the events to store, or else the events refused;
     * {@code defaultedTimestamps} the batch indexes of events sent without a timestamp.
     */
    public record Checked(Instant at, List<StagedLine.Event> events, List<Refusal> refusals, Set<Integer> defaultedTimestamps) {
    }

    /** Checks a batch (in the caller's thread, outside the writer's lock); nothing is stored. */
    public Checked check(List<Received> batch) {
        Instant now = clock.instant();
        var catalog = catalogs.latest().orElseThrow(() -> new IllegalStateException("no catalog imported"));
        UsageLineValidator validator = new UsageLineValidator(new HashSet<>(catalog.catalog().metrics()), now.toEpochMilli() * 1000);
        List<StagedLine.Event> events = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        Set<Integer> defaulted = new HashSet<>();
        // To the microsecond: the event store keeps microseconds and refuses finer timestamps, and the system clock has nanoseconds.
        String nowToTheMicrosecond = now.truncatedTo(ChronoUnit.MICROS).toString();
        for (Received received : batch) {
            UsageLine.Fields fields = received.fields();
            if (fields.timestamp() == null) {
                defaulted.add(received.index());
                fields = new UsageLine.Fields(fields.eventId(), nowToTheMicrosecond, fields.userId(), fields.metric(), fields.quantity());
            }
            StagedLine line = validator.process(new UsageLine(received.index(), null, fields, null));
            if (line instanceof StagedLine.Event event) {
                events.add(event);
            } else {
                refusals.add(new Refusal(received.index(), ((StagedLine.Reject) line).reason()));
            }
        }
        return new Checked(now, List.copyOf(events), List.copyOf(refusals), Set.copyOf(defaulted));
    }

    /**
     * Stores a checked batch that nothing refused. Deciding "new" and inserting is serialized, since one serve process is
     * the writer of {@code tracked_events} and two batches holding the same id must not both find it new.
     */
    public Outcome track(Checked batch) {
        if (!batch.refusals().isEmpty()) {
            throw new IllegalArgumentException("a batch with refused events is not stored: " + batch.refusals());
        }
        Outcome outcome;
        synchronized (this) {
            outcome = tx.execute(status -> store(batch, status));
        }
        if (outcome.accepted() > 0) {
            // committed: the limit alerts of the months touched are checked in the background (LimitWatch)
            batch.events().forEach(e -> limits.touched(e.userId(), e.month(), e.metric(), e.quantity()));
        }
        return outcome;
    }

    private Outcome store(Checked batch, TransactionStatus status) {
        List<StagedLine.Event> events = batch.events();
        if (postgres) {
            // The look-up of at most 1,000 ids must probe the unique index. While the table grows from empty
            // and autovacuum has not analysed it yet, PostgreSQL's planner took it for tiny and scanned it
            // whole for every batch (0.5 s a batch at 200,000 rows, docs/benchmarks.md). For this transaction only.
            jdbc.execute("SET LOCAL enable_seqscan = off");
        }
        OffsetDateTime at = OffsetDateTime.ofInstant(batch.at(), ZoneOffset.UTC);
        // The usual batch holds only ids never tracked: it is inserted as it is, and the unique index on event_id, which
        // probes every id as it inserts it, says whether one was tracked before. Only then are the batch's inserts undone
        // and its ids looked up (a separate look-up of 500 random ids first was a sixth of a batch's time, docs/benchmarks.md).
        List<String> ids = events.stream().map(StagedLine.Event::eventId).distinct().toList();
        if (ids.size() == events.size()) {
            Object beforeInsert = status.createSavepoint();
            try {
                insert(events, at);
                status.releaseSavepoint(beforeInsert);
                return new Outcome(events.size(), 0, List.of());
            } catch (DuplicateKeyException trackedBefore) {
                status.rollbackToSavepoint(beforeInsert);
            }
        }
        Map<String, StagedLine.Event> known = known(ids);
        List<StagedLine.Event> fresh = new ArrayList<>();
        List<Refusal> conflicts = new ArrayList<>();
        long duplicates = 0;
        for (StagedLine.Event event : events) {
            StagedLine.Event before = known.get(event.eventId());
            if (before == null) {
                known.put(event.eventId(), event);
                fresh.add(event);
            } else if (sameContent(before, event, !batch.defaultedTimestamps().contains((int) event.line()))) {
                duplicates++;
            } else {
                conflicts.add(new Refusal((int) event.line(), CONFLICTING));
            }
        }
        if (!conflicts.isEmpty()) {
            return new Outcome(0, 0, conflicts);
        }
        insert(fresh, at);
        return new Outcome(fresh.size(), duplicates, List.of());
    }

    /** The events into {@code tracked_events}, their quantities into {@code tracked_usage}. */
    private void insert(List<StagedLine.Event> fresh, OffsetDateTime at) {
        jdbc.batchUpdate("INSERT INTO tracked_events (event_id, ts_us, yyyymm, user_id, metric, quantity, tracked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                fresh, fresh.size(), (ps, e) -> {
                    ps.setString(1, e.eventId());
                    ps.setLong(2, e.tsMicros());
                    ps.setInt(3, e.month());
                    ps.setString(4, e.userId());
                    ps.setString(5, e.metric());
                    ps.setLong(6, e.quantity());
                    ps.setObject(7, at);
                });
        SortedMap<TrackedUsage.Key, Long> unmoved = TrackedUsage.sums();
        fresh.forEach(e -> unmoved.merge(new TrackedUsage.Key(e.month(), e.userId(), e.metric()), e.quantity(), Long::sum));
        TrackedUsage.add(jdbc, unmoved);
    }

    /**
     * Whether {@code repeat} says what {@code known} says. A repeat sent without a timestamp says nothing of its time: the
     * "now" it was given in {@link #check} is the server's, not the sender's, so it is compared on user, metric and quantity alone.
     * A client retrying an event it sent without a timestamp (its first answer lost, say) gets a duplicate, not a 409.
     */
    static boolean sameContent(StagedLine.Event known, StagedLine.Event repeat, boolean repeatTimestampGiven) {
        return (!repeatTimestampGiven || known.tsMicros() == repeat.tsMicros()) && known.userId().equals(repeat.userId())
                && known.metric().equals(repeat.metric()) && known.quantity() == repeat.quantity();
    }

    /** Tracked events with these ids, by id. */
    private Map<String, StagedLine.Event> known(List<String> ids) {
        Map<String, StagedLine.Event> known = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> slice = ids.subList(from, Math.min(ids.size(), from + 500));
            String marks = String.join(",", java.util.Collections.nCopies(slice.size(), "?"));
            jdbc.query("SELECT event_id, ts_us, yyyymm, user_id, metric, quantity FROM tracked_events WHERE event_id IN (" + marks + ")",
                    rs -> {
                        known.put(rs.getString(1), new StagedLine.Event(0, rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getString(4),
                                rs.getString(5), rs.getLong(6)));
                    }, slice.toArray());
        }
        return known;
    }

    /** Events tracked so far (for tests and the operators). */
    public long trackedCount() {
        return Objects.requireNonNull(jdbc.queryForObject("SELECT COUNT(*) FROM tracked_events", Long.class));
    }
}
