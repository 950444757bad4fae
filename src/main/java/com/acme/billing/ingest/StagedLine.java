package com.acme.billing.ingest;

/** A validated line: either an event to store (if not a duplicate) or a reject with its reason. */
public sealed interface StagedLine {

    long line();

    /** {@code tsMicros}: the instant in epoch microseconds (UTC); {@code month}: yyyymm of it. */
    record Event(long line, String eventId, long tsMicros, int month, String userId, String metric, long quantity)
            implements StagedLine {
    }

    record Reject(long line, String reason, String raw) implements StagedLine {
    }
}
