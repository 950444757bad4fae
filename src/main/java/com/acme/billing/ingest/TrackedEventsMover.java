package com.acme.billing.ingest;

import com.acme.billing.platform.BillingPaths;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves the events tracked online ({@code tracked_events}, committed by serve) into the event store,
 * through the ingest job itself: they are written as a usage log (SPEC 2's CSV, in tracking order) and
 * ingested like any file, so the dedupe against every stored event, the conflicts, the rejects and
 * the restart are the ingest's own. Then each moved event is marked with that file's SHA-256.
 *
 * <p>Marked per event, not by a high-water mark: serve may commit an event with a lower sequence
 * number after a higher one, and such an event is then simply moved next time. A crash between
 * the ingest and the marking leaves the events unmarked; the next move writes them again, and the
 * event store counts them as duplicates of themselves: stored once, billed once.
 */
@Service
public class TrackedEventsMover {

    public record Moved(long events, long accepted, long duplicates, long rejected, Long executionId) {
    }

    private record Tracked(long seq, String eventId, long tsMicros, int yyyymm, String userId, String metric, long quantity) {
    }

    private final JdbcTemplate jdbc;
    private final IngestService ingest;
    private final BillingPaths paths;
    private final TransactionTemplate tx;

    public TrackedEventsMover(JdbcTemplate jdbc, IngestService ingest, BillingPaths paths, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.ingest = ingest;
        this.paths = paths;
    }

    /** Moves every tracked event not moved yet; nothing to move is a no-op. */
    public Moved moveCommitted() {
        List<Tracked> events = jdbc.query("SELECT seq, event_id, ts_us, yyyymm, user_id, metric, quantity FROM tracked_events "
                + "WHERE moved_sha256 IS NULL ORDER BY seq", (rs, n) -> new Tracked(rs.getLong(1), rs.getString(2), rs.getLong(3),
                        rs.getInt(4), rs.getString(5), rs.getString(6), rs.getLong(7)));
        if (events.isEmpty()) {
            return new Moved(0, 0, 0, 0, null);
        }
        Path file = paths.staging().resolve("tracked").resolve("tracked-" + events.get(0).seq() + "-" + events.get(events.size() - 1).seq() + ".csv");
        write(file, events);
        IngestService.Outcome outcome = ingest.ingest(List.of(file.toString()), false);
        String sha256 = outcome.files().get(0).sha256();
        tx.executeWithoutResult(status -> markMoved(events, sha256));
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + file + ": " + e.getMessage(), e);
        }
        return new Moved(events.size(), outcome.accepted(), outcome.duplicates(), outcome.rejected(), outcome.executionId());
    }

    /**
     * Marks the events moved and takes them out of {@code tracked_usage}, in one transaction. Only the events still
     * unmarked and still there count: one the GDPR erase deleted meanwhile was taken out of {@code tracked_usage} with it.
     */
    private void markMoved(List<Tracked> events, String sha256) {
        int[] marked = TrackedUsage.rowCounts(jdbc.batchUpdate("UPDATE tracked_events SET moved_sha256 = ? WHERE seq = ? AND moved_sha256 IS NULL",
                events, 1000, (ps, event) -> {
                    ps.setString(1, sha256);
                    ps.setLong(2, event.seq());
                }), "tracked_events");
        SortedMap<TrackedUsage.Key, Long> moved = TrackedUsage.sums();
        for (int i = 0; i < marked.length; i++) {
            Tracked event = events.get(i);
            if (marked[i] == 1) {
                moved.merge(new TrackedUsage.Key(event.yyyymm(), event.userId(), event.metric()), event.quantity(), Long::sum);
            } else if (marked[i] != 0) {
                throw new IllegalStateException("marking tracked event " + event.seq() + " moved updated " + marked[i] + " rows");
            }
        }
        TrackedUsage.subtract(jdbc, moved);
    }

    /** SPEC 2's CSV; ids and users passed the same checks at the API, so they need no quoting but get it where due. */
    private static void write(Path file, List<Tracked> events) {
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write("event_id,timestamp,user_id,metric,quantity\n");
                StringBuilder line = new StringBuilder();
                for (Tracked e : events) {
                    line.setLength(0);
                    StagingWriter.appendCsvField(line, e.eventId());
                    Instant at = Instant.ofEpochSecond(Math.floorDiv(e.tsMicros(), 1_000_000L), Math.floorMod(e.tsMicros(), 1_000_000L) * 1000L);
                    line.append(',').append(at).append(',').append(e.userId()).append(',').append(e.metric()).append(',').append(e.quantity()).append('\n');
                    out.write(line.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        }
    }
}
