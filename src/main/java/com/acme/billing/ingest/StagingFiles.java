package com.acme.billing.ingest;

import com.acme.billing.eventstore.StagedEventsFormat;
import java.nio.file.Path;

/**
 * Where the lines of a file being ingested wait between staging and storing:
 * {@code BILLING_HOME/staging/<file_id>.events.<csv|pgcopy>} (validated events, one row each:
 * line,event_id,ts_us,month,user_id,metric,quantity, in the event store's {@link StagedEventsFormat})
 * and {@code <file_id>.rejects.csv} (line,reason,raw). Plain append-only files: the chunk step appends
 * and records the committed length, a restart cuts off what lies beyond it, and the event store
 * bulk-loads the events file in one statement (DuckDB read_csv, PostgreSQL COPY), far faster than
 * row-by-row inserts.
 */
public record StagingFiles(Path events, Path rejects, StagedEventsFormat format) {

    public static StagingFiles of(Path stagingDir, long fileId, StagedEventsFormat format) {
        return new StagingFiles(stagingDir.resolve(fileId + ".events." + format.extension()), stagingDir.resolve(fileId + ".rejects.csv"), format);
    }
}
