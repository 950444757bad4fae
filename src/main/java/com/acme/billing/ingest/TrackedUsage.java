package com.acme.billing.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code tracked_usage} (V29): per month, user and metric, the quantity of the tracked events not moved into the event
 * store yet. Whoever adds or marks moved rows of {@code tracked_events} changes it in the same transaction: the track adds
 * its new events, the move subtracts the events it marks moved (the GDPR erase deletes both with the user).
 *
 * <p>Rows are changed in key order, so that a track and a move changing the same rows at once wait for each other
 * instead of deadlocking.
 */
public final class TrackedUsage {

    /** The row a tracked event counts in. */
    public record Key(int yyyymm, String userId, String metric) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparingInt(Key::yyyymm).thenComparing(Key::userId).thenComparing(Key::metric);

    private TrackedUsage() {
    }

    /** Quantities summed per row, in key order. */
    public static SortedMap<Key, Long> sums() {
        return new TreeMap<>(ORDER);
    }

    /** Adds each quantity to its row (a new row where there is none); call within the transaction that inserts the events. */
    public static void add(JdbcTemplate jdbc, SortedMap<Key, Long> quantities) {
        if (quantities.isEmpty()) {
            return;
        }
        int[] updated = update(jdbc, quantities);
        List<Map.Entry<Key, Long>> missing = new ArrayList<>();
        int i = 0;
        for (Map.Entry<Key, Long> row : quantities.entrySet()) {
            if (updated[i++] == 0) {
                missing.add(row);
            }
        }
        // Only the track inserts rows, and one serve process tracks (UsageTracker's writer): no two inserts of one key race.
        if (missing.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO tracked_usage (yyyymm, user_id, metric, quantity) VALUES (?, ?, ?, ?)", missing, missing.size(),
                (ps, row) -> {
                    ps.setInt(1, row.getKey().yyyymm());
                    ps.setString(2, row.getKey().userId());
                    ps.setString(3, row.getKey().metric());
                    ps.setLong(4, row.getValue());
                });
    }

    /** Subtracts each quantity from its row; call within the transaction that marks the events moved. */
    public static void subtract(JdbcTemplate jdbc, SortedMap<Key, Long> quantities) {
        if (quantities.isEmpty()) {
            return;
        }
        SortedMap<Key, Long> negated = sums();
        quantities.forEach((key, quantity) -> negated.put(key, -quantity));
        int[] updated = update(jdbc, negated);
        int i = 0;
        for (Key key : negated.keySet()) {
            if (updated[i++] != 1) {
                // Every unmoved tracked event was added to its row when it was tracked (or by V29); a missing row is a bug.
                throw new IllegalStateException("tracked_usage has no row for " + key + " while moving its events");
            }
        }
    }

    private static int[] update(JdbcTemplate jdbc, SortedMap<Key, Long> deltas) {
        List<Map.Entry<Key, Long>> rows = new ArrayList<>(deltas.entrySet());
        int[][] counts = jdbc.batchUpdate("UPDATE tracked_usage SET quantity = quantity + ? WHERE yyyymm = ? AND user_id = ? AND metric = ?",
                rows, rows.size(), (ps, row) -> {
                    ps.setLong(1, row.getValue());
                    ps.setInt(2, row.getKey().yyyymm());
                    ps.setString(3, row.getKey().userId());
                    ps.setString(4, row.getKey().metric());
                });
        return rowCounts(counts, "tracked_usage");
    }

    /**
     * The rows each statement of a batch changed, in the statements' order ({@link JdbcTemplate#batchUpdate} answers
     * per sub-batch). A driver that does not say (a negative count) is refused: the callers decide by the counts.
     */
    static int[] rowCounts(int[][] perSubBatch, String table) {
        int[] counts = java.util.Arrays.stream(perSubBatch).flatMapToInt(java.util.Arrays::stream).toArray();
        for (int count : counts) {
            if (count < 0) {
                throw new IllegalStateException("the driver did not say which rows of " + table + " it updated (" + count + ")");
            }
        }
        return counts;
    }
}
