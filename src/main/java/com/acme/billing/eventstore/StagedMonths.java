package com.acme.billing.eventstore;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The months of a staged events file in PostgreSQL's binary COPY format ({@link PostgresCopyBinary}), read in one pass
 * over its bytes. PostgreSQL's bulk load must create the months' partitions before its COPY routes the first row; asking
 * the database instead would mean loading the file first.
 */
final class StagedMonths {

    private StagedMonths() {
    }

    /** The yyyymm values of the file's rows, in order; empty for a file of the header alone. */
    static SortedSet<Integer> of(Path staged) throws IOException {
        SortedSet<Integer> months = new TreeSet<>();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20).limit(0);
        try (FileChannel in = FileChannel.open(staged)) {
            fill(in, buffer);
            readHeader(staged, buffer);
            long row = 1;
            int lastMonth = -1;
            while (true) {
                if (!buffer.hasRemaining() && !fill(in, buffer)) {
                    return months;
                }
                int start = buffer.position();
                try {
                    int month = monthOfRow(staged, row, buffer);
                    if (month == Integer.MIN_VALUE) {
                        return months; // the trailer
                    }
                    if (month != lastMonth) {
                        months.add(month);
                        lastMonth = month;
                    }
                    row++;
                } catch (BufferUnderflowException partOfTheRowStillToRead) {
                    buffer.position(start);
                    if (!fill(in, buffer)) {
                        throw new IOException(staged + " ends inside row " + row + ": a staged file ends with a complete row");
                    }
                }
            }
        }
    }

    private static void readHeader(Path staged, ByteBuffer buffer) throws IOException {
        byte[] signature = new byte[PostgresCopyBinary.SIGNATURE.length];
        if (buffer.remaining() < signature.length + 8) {
            throw new IOException(staged + " is not a staged events file in PostgreSQL's binary COPY format (no header)");
        }
        buffer.get(signature);
        if (!Arrays.equals(signature, PostgresCopyBinary.SIGNATURE)) {
            throw new IOException(staged + " is not a staged events file in PostgreSQL's binary COPY format (no signature)");
        }
        buffer.getInt(); // flags
        int extension = buffer.getInt();
        if (extension < 0 || extension > buffer.remaining()) {
            throw new IOException(staged + " is not a staged events file in PostgreSQL's binary COPY format (header extension of " + extension
                    + " bytes)");
        }
        buffer.position(buffer.position() + extension);
    }

    /** The row's month, the buffer after the row; {@code Integer.MIN_VALUE} for the trailer. */
    private static int monthOfRow(Path staged, long row, ByteBuffer buffer) throws IOException {
        short fields = buffer.getShort();
        if (fields == -1) {
            return Integer.MIN_VALUE;
        }
        if (fields != PostgresCopyBinary.FIELDS) {
            throw new IOException(staged + " row " + row + ": " + fields + " fields, not a staged event row");
        }
        int month = 0;
        for (int field = 0; field < fields; field++) {
            int length = buffer.getInt();
            if (length < 0) {
                throw new IOException(staged + " row " + row + ": field " + (field + 1) + " is null");
            }
            if (field == PostgresCopyBinary.MONTH_FIELD) {
                if (length != 4) {
                    throw new IOException(staged + " row " + row + ": the month is not a 4-byte integer");
                }
                month = buffer.getInt();
            } else {
                if (length > buffer.remaining()) {
                    throw new BufferUnderflowException();
                }
                buffer.position(buffer.position() + length);
            }
        }
        return month;
    }

    /** Moves what is left to the front and reads more behind it; false when the file had nothing more. */
    private static boolean fill(FileChannel in, ByteBuffer buffer) throws IOException {
        buffer.compact();
        int read = 0;
        while (buffer.hasRemaining()) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            read += n;
        }
        buffer.flip();
        return read > 0;
    }
}
