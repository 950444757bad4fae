package com.acme.billing.eventstore;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Staged event rows in PostgreSQL's binary {@code COPY} format (PostgreSQL's documentation of COPY, "Binary Format"):
 * a header, then per row the number of fields and each field as its length and its bytes, big-endian; no trailer (the
 * end of the data ends the COPY as well). The columns and their types are those of {@code usage_events}: {@code line}
 * int8, {@code event_id} text, {@code ts_us} int8, {@code month} int4, {@code user_id} text, {@code metric} text,
 * {@code quantity} int8. Text goes as UTF-8, the connection's encoding. Written by the ingest's staging, read by
 * {@link StagedIds} and by the server. The staging writes each chunk's rows in the order of their ids' UTF-8 bytes (the
 * order of {@code COLLATE "C"}), so that the file is a series of ascending runs that {@link StagedIds} merges into key
 * order for the dedupe table; nothing else depends on the order of the rows (each carries its line number).
 */
public final class PostgresCopyBinary {

    static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    static final short FIELDS = 7;
    static final int EVENT_ID_FIELD = 1;
    static final int MONTH_FIELD = 3;

    private PostgresCopyBinary() {
    }

    /** What a staged file begins with: the signature, no flags, no header extension. */
    public static byte[] header() {
        byte[] header = new byte[SIGNATURE.length + 8];
        System.arraycopy(SIGNATURE, 0, header, 0, SIGNATURE.length);
        return header;
    }

    /** One staged event row, its id given as UTF-8 (the staging has encoded it already, to sort the chunk by it). */
    public static void appendRow(DataOutputStream out, long line, byte[] eventIdUtf8, long tsMicros, int month, String userId, String metric,
            long quantity) throws IOException {
        out.writeShort(FIELDS);
        int8(out, line);
        text(out, eventIdUtf8);
        int8(out, tsMicros);
        out.writeInt(4);
        out.writeInt(month);
        text(out, userId);
        text(out, metric);
        int8(out, quantity);
    }

    private static void int8(DataOutputStream out, long value) throws IOException {
        out.writeInt(8);
        out.writeLong(value);
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        text(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void text(DataOutputStream out, byte[] utf8) throws IOException {
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
