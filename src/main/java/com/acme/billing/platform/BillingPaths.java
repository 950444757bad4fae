package com.acme.billing.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The folders under BILLING_HOME (SPEC 1): database, inbox, archive, rejects, reports, logs. */
public record BillingPaths(Path home) {

    public Path inbox() {
        return home.resolve("inbox");
    }

    public Path archive() {
        return home.resolve("archive");
    }

    public Path rejects() {
        return home.resolve("rejects");
    }

    /** Inbox files that cannot be read at all are moved here, out of the next run's way. */
    public Path quarantine() {
        return home.resolve("quarantine");
    }

    /** Lines of files being ingested, between the staging and the storing step (see StagingFiles). */
    public Path staging() {
        return home.resolve("staging");
    }

    public Path reports() {
        return home.resolve("reports");
    }

    public Path eventStore() {
        return home.resolve("events").resolve("usage-events.duckdb");
    }

    public Path logs() {
        return home.resolve("logs");
    }

    public void create() {
        try {
            for (Path dir : new Path[] {home, inbox(), archive(), rejects(), reports(), logs()}) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folders of BILLING_HOME " + home + ": " + e.getMessage(), e);
        }
    }
}
