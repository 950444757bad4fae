package com.acme.billing.ingest;

/**
 * One data line of a usage log as read, before validation. {@code fields} holds event_id,
 * timestamp, user_id, metric and quantity in that order (null where absent); {@code malformed} is
 * set instead when the line could not be split into fields at all.
 */
public record UsageLine(long line, String raw, String[] fields, String malformed) {

    public static final int EVENT_ID = 0;
    public static final int TIMESTAMP = 1;
    public static final int USER_ID = 2;
    public static final int METRIC = 3;
    public static final int QUANTITY = 4;
    public static final String[] COLUMNS = {"event_id", "timestamp", "user_id", "metric", "quantity"};
}
