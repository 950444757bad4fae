package com.acme.billing.eventstore;

/**
 * How the ingest writes a file's staged events for the store that loads them ({@link EventStore#stagedEventsFormat}):
 * one row per valid event, the columns {@code line, event_id, ts_us, month, user_id, metric, quantity}.
 */
public enum StagedEventsFormat {

    /** RFC 4180 text rows, event_id quoted where it holds a comma or a quote: what DuckDB's {@code read_csv} loads. */
    CSV("csv"),

    /**
     * PostgreSQL's binary {@code COPY} format ({@link PostgresCopyBinary}): the server takes the numbers as they are and
     * the strings by their length instead of parsing text, which made the COPY of the ten million events of
     * {@code jobs/bench-ingest} a fifth faster in psql (docs/benchmarks.md).
     */
    POSTGRES_COPY_BINARY("pgcopy");

    private final String extension;

    StagedEventsFormat(String extension) {
        this.extension = extension;
    }

    /** The staged file's name ends with it, so that a file staged in one format is never loaded as the other. */
    public String extension() {
        return extension;
    }
}
