package com.acme.billing.ingest;

import java.util.List;

/**
 * One data line of a usage log as read, before validation: its five fields (null where absent), or,
 * instead, why it could not be split into fields at all ({@code malformed}).
 */
public record UsageLine(long line, String raw, Fields fields, String malformed) {

    /** The required columns of SPEC 2, as a header names them. */
    public static final List<String> COLUMNS = List.of("event_id", "timestamp", "user_id", "metric", "quantity");

    static UsageLine of(long line, String raw, Fields fields) {
        return new UsageLine(line, raw, fields, null);
    }

    static UsageLine malformed(long line, String raw, String reason) {
        return new UsageLine(line, raw, null, reason);
    }

    /** The five fields as written (trimmed), not yet checked. */
    public record Fields(String eventId, String timestamp, String userId, String metric, String quantity) {

        /** Asked of every line: five plain tests rather than a stream a line. */
        boolean anyMissing() {
            return missing(eventId) || missing(timestamp) || missing(userId) || missing(metric) || missing(quantity);
        }

        private static boolean missing(String field) {
            return field == null || field.isEmpty();
        }
    }

    /** Where the five fields stand in a CSV file's lines (0-based), from its header. */
    public record CsvColumns(int eventId, int timestamp, int userId, int metric, int quantity) {

        int last() {
            return Math.max(Math.max(Math.max(eventId, timestamp), Math.max(userId, metric)), quantity);
        }

        Fields pick(List<String> values) {
            return new Fields(at(values, eventId), at(values, timestamp), at(values, userId), at(values, metric), at(values, quantity));
        }

        private static String at(List<String> values, int column) {
            return column < values.size() && values.get(column) != null ? values.get(column).trim() : null;
        }
    }
}
