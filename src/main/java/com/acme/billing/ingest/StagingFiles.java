package com.acme.billing.ingest;

import java.nio.file.Path;

/**
 * Where the lines of a file being ingested wait between staging and storing:
 * {@code BILLING_HOME/staging/<file_id>.events.csv} (validated events, one CSV row each:
 * line,event_id,ts_us,month,user_id,metric,quantity) and {@code <file_id>.rejects.csv}
 * (line,reason,raw). Plain append-only files: the chunk step appends and records the committed
 * length, a restart cuts off what lies beyond it, and the event store bulk-loads the events file in
 * one statement (DuckDB read_csv, PostgreSQL COPY), far faster than row-by-row inserts.
 */
public record StagingFiles(Path events, Path rejects) {

    public static StagingFiles of(Path stagingDir, long fileId) {
        return new StagingFiles(stagingDir.resolve(fileId + ".events.csv"), stagingDir.resolve(fileId + ".rejects.csv"));
    }
}
