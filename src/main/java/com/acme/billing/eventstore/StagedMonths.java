package com.acme.billing.eventstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The months of a staged events file (the ingest's {@code StagingFiles}: RFC 4180 rows
 * {@code line,event_id,ts_us,month,user_id,metric,quantity}, event_id quoted when it holds a comma or a quote), read in
 * one pass over its bytes. PostgreSQL's bulk load must create the months' partitions before its COPY routes the first
 * row; asking the database instead would mean loading the file first.
 */
final class StagedMonths {

    private static final int MONTH_FIELD = 3;

    private StagedMonths() {
    }

    /** The yyyymm values of the file's rows, in order; empty for an empty file. */
    static SortedSet<Integer> of(Path staged) throws IOException {
        SortedSet<Integer> months = new TreeSet<>();
        byte[] buffer = new byte[1 << 20];
        int field = 0;
        boolean quoted = false;
        int month = 0;
        long row = 1;
        try (InputStream in = Files.newInputStream(staged)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    byte b = buffer[i];
                    if (quoted) {
                        // A doubled quote closes and reopens: still inside the field.
                        quoted = b != '"';
                    } else if (b == '"') {
                        quoted = true;
                    } else if (b == ',') {
                        if (field == MONTH_FIELD) {
                            months.add(month);
                        }
                        field++;
                    } else if (b == '\n') {
                        if (field <= MONTH_FIELD) {
                            throw new IOException(staged + " row " + row + ": " + (field + 1) + " fields, not a staged event row");
                        }
                        field = 0;
                        month = 0;
                        row++;
                    } else if (field == MONTH_FIELD) {
                        if (b < '0' || b > '9') {
                            throw new IOException(staged + " row " + row + ": the month is not a number");
                        }
                        month = month * 10 + (b - '0');
                    }
                }
            }
        }
        if (field != 0 || quoted) {
            throw new IOException(staged + " ends inside row " + row + ": a staged file ends with a complete row");
        }
        return months;
    }
}
