package com.acme.billing.eventstore;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Staged events files for PostgreSQL's store, written as the ingest's staging writes them ({@link PostgresCopyBinary}). */
final class StagedRows {

    record Row(long line, String eventId, long tsMicros, int month, String userId, String metric, long quantity) {
    }

    private StagedRows() {
    }

    static Path write(Path file, List<Row> rows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(PostgresCopyBinary.header());
        DataOutputStream out = new DataOutputStream(bytes);
        for (Row r : rows) {
            PostgresCopyBinary.appendRow(out, r.line(), r.eventId().getBytes(java.nio.charset.StandardCharsets.UTF_8), r.tsMicros(), r.month(), r.userId(), r.metric(), r.quantity());
        }
        out.flush();
        return Files.write(file, bytes.toByteArray());
    }

    /** Rows given as text, {@code line,event_id,ts_us,month,user_id,metric,quantity} a line (ids without commas). */
    static Path write(Path file, String text) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            rows.add(new Row(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), f[4], f[5], Long.parseLong(f[6])));
        }
        return write(file, rows);
    }
}
