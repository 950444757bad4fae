package com.acme.billing.eventstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What PostgreSQL's store needs of a staged events file in the binary COPY format ({@link PostgresCopyBinary}) before and
 * while it loads it: its months (their partitions must exist before the first row is routed), its number of rows, and
 * its ids in key order for the dedupe table's COPY (a B-tree filled in key order; in random order the same COPY took
 * minutes). The staging writes each chunk sorted by the ids' UTF-8 bytes, so the file is a series of ascending runs:
 * {@link #scan} finds where each begins in one pass over the bytes, {@link #copyInKeyOrder} merges them. Sorting the whole
 * file again, as a second connection did before, took 12-17 s before the first id came (docs/benchmarks.md).
 */
final class StagedIds {

    /** Memory for the merge's read buffers, shared by the runs (a run's buffer never smaller than {@link #MIN_RUN_BUFFER}). */
    private static final int MERGE_BUFFERS = 16 << 20;
    private static final int MIN_RUN_BUFFER = 4 << 10;
    private static final int MAX_RUN_BUFFER = 64 << 10;
    private static final short ID_ROW_FIELDS = 2;

    private StagedIds() {
    }

    /**
     * One pass over a staged file.
     *
     * @param months the yyyymm values of its rows
     * @param rows the number of rows
     * @param runStarts the byte offset of the first row of each ascending run of ids, in file order
     * @param end the byte offset where the rows end (the trailer, or the end of the file)
     */
    record Layout(Path file, SortedSet<Integer> months, long rows, long[] runStarts, long end) {
    }

    static Layout scan(Path staged) throws IOException {
        SortedSet<Integer> months = new TreeSet<>();
        List<Long> runStarts = new ArrayList<>();
        try (FileChannel in = FileChannel.open(staged)) {
            Cursor cursor = new Cursor(staged, in, 0, in.size(), 1 << 20);
            readHeader(staged, cursor);
            byte[] previous = new byte[0];
            int previousLength = -1;
            long rows = 0;
            int lastMonth = -1;
            while (true) {
                long offset = cursor.offset();
                if (!cursor.nextRow(rows + 1)) {
                    return new Layout(staged, months, rows, runStarts.stream().mapToLong(Long::longValue).toArray(), offset);
                }
                rows++;
                if (cursor.month != lastMonth) {
                    months.add(cursor.month);
                    lastMonth = cursor.month;
                }
                if (previousLength < 0 || Arrays.compareUnsigned(cursor.id, 0, cursor.idLength, previous, 0, previousLength) < 0) {
                    runStarts.add(offset);
                }
                if (previous.length < cursor.idLength) {
                    previous = new byte[cursor.id.length];
                }
                System.arraycopy(cursor.id, 0, previous, 0, cursor.idLength);
                previousLength = cursor.idLength;
            }
        }
    }

    /** Where the merged rows go: a COPY's {@code writeToCopy}. */
    @FunctionalInterface
    interface CopyData {
        void write(byte[] bytes, int offset, int length) throws SQLException;
    }

    /**
     * Writes the ids and months of every row of {@code layout}'s file, in the order of the ids' bytes, in the binary COPY
     * format of {@code usage_event_ids (event_id, month)}, header and trailer included, to {@code copy} (a COPY begun and
     * ended by the caller).
     *
     * @return the number of rows written
     */
    static long copyInKeyOrder(Layout layout, CopyData copy) throws IOException, SQLException {
        int runs = layout.runStarts().length;
        int bufferSize = Math.max(MIN_RUN_BUFFER, Math.min(MAX_RUN_BUFFER, MERGE_BUFFERS / Math.max(1, runs)));
        Batch out = new Batch(copy);
        out.bytes(PostgresCopyBinary.header());
        long written = 0;
        try (FileChannel in = FileChannel.open(layout.file())) {
            PriorityQueue<Cursor> heads = new PriorityQueue<>(Math.max(1, runs),
                    (a, b) -> Arrays.compareUnsigned(a.id, 0, a.idLength, b.id, 0, b.idLength));
            for (int run = 0; run < runs; run++) {
                long end = run + 1 < runs ? layout.runStarts()[run + 1] : layout.end();
                Cursor cursor = new Cursor(layout.file(), in, layout.runStarts()[run], end, bufferSize);
                if (cursor.nextRow(-1)) {
                    heads.add(cursor);
                }
            }
            for (Cursor head = heads.poll(); head != null; head = heads.poll()) {
                out.idRow(head.id, head.idLength, head.month);
                written++;
                if (head.nextRow(-1)) {
                    heads.add(head);
                }
            }
        }
        out.trailer();
        if (written != layout.rows()) {
            throw new IOException(layout.file() + ": merged " + written + " ids of " + layout.rows() + " rows; the file changed while it was stored");
        }
        return written;
    }

    private static void readHeader(Path staged, Cursor cursor) throws IOException {
        byte[] signature = new byte[PostgresCopyBinary.SIGNATURE.length];
        if (!cursor.ensure(signature.length + 8)) {
            throw new IOException(staged + " is not a staged events file in PostgreSQL's binary COPY format (no header)");
        }
        cursor.buffer.get(signature);
        if (!Arrays.equals(signature, PostgresCopyBinary.SIGNATURE)) {
            throw new IOException(staged + " is not a staged events file in PostgreSQL's binary COPY format (no signature)");
        }
        cursor.buffer.getInt(); // flags
        int extension = cursor.buffer.getInt();
        if (extension < 0 || extension > cursor.buffer.remaining()) {
            throw new IOException(staged + " is not a staged events file in PostgreSQL's binary COPY format (header extension of " + extension
                    + " bytes)");
        }
        cursor.buffer.position(cursor.buffer.position() + extension);
    }

    /**
     * Reads rows of one stretch of the file ({@code [start, end)}) through a buffer of its own, by positional reads, so
     * that the merge's cursors share one channel. Holds the id and month of the row read last.
     */
    private static final class Cursor {

        private final Path file;
        private final FileChannel channel;
        private final long end;
        private ByteBuffer buffer;
        private long base; // the file offset of the buffer's index 0
        private long next; // the file offset of the first byte not yet read into the buffer
        byte[] id = new byte[64];
        int idLength;
        int month;

        Cursor(Path file, FileChannel channel, long start, long end, int capacity) {
            this.file = file;
            this.channel = channel;
            this.end = end;
            this.buffer = ByteBuffer.allocate(capacity).limit(0);
            this.base = start;
            this.next = start;
        }

        long offset() {
            return base + buffer.position();
        }

        /** At least {@code n} bytes readable in the buffer; false when the stretch ends before. */
        boolean ensure(int n) throws IOException {
            if (buffer.remaining() >= n) {
                return true;
            }
            base += buffer.position();
            if (n > buffer.capacity()) {
                ByteBuffer larger = ByteBuffer.allocate(Math.max(n, buffer.capacity() * 2));
                larger.put(buffer);
                buffer = larger;
            } else {
                buffer.compact();
            }
            while (buffer.position() < n && next < end) {
                buffer.limit((int) Math.min(buffer.capacity(), buffer.position() + (end - next)));
                int read = channel.read(buffer, next);
                if (read < 0) {
                    break;
                }
                next += read;
            }
            buffer.flip();
            return buffer.remaining() >= n;
        }

        /**
         * Reads the next row's id and month; false at the trailer or at the end of the stretch. {@code row} numbers the row
         * in messages ({@code -1}: not known).
         */
        boolean nextRow(long row) throws IOException {
            if (!ensure(2)) {
                if (buffer.hasRemaining()) {
                    throw cutShort(row);
                }
                return false;
            }
            short fields = buffer.getShort();
            if (fields == -1) {
                return false;
            }
            if (fields != PostgresCopyBinary.FIELDS) {
                throw new IOException(file + where(row) + ": " + fields + " fields, not a staged event row");
            }
            for (int field = 0; field < fields; field++) {
                if (!ensure(4)) {
                    throw cutShort(row);
                }
                int length = buffer.getInt();
                if (length < 0) {
                    throw new IOException(file + where(row) + ": field " + (field + 1) + " is null");
                }
                if (!ensure(length)) {
                    throw cutShort(row);
                }
                if (field == PostgresCopyBinary.EVENT_ID_FIELD) {
                    if (id.length < length) {
                        id = new byte[Math.max(length, id.length * 2)];
                    }
                    buffer.get(id, 0, length);
                    idLength = length;
                } else if (field == PostgresCopyBinary.MONTH_FIELD) {
                    if (length != 4) {
                        throw new IOException(file + where(row) + ": the month is not a 4-byte integer");
                    }
                    month = buffer.getInt();
                } else {
                    buffer.position(buffer.position() + length);
                }
            }
            return true;
        }

        private IOException cutShort(long row) {
            return new IOException(file + " ends inside row " + (row < 0 ? "at byte " + offset() : row)
                    + ": a staged file ends with a complete row");
        }

        private static String where(long row) {
            return row < 0 ? "" : " row " + row;
        }
    }

    /** The merged rows in PostgreSQL's binary COPY format, handed to the COPY 64 KB at a time. */
    private static final class Batch {

        private final CopyData copy;
        private final ByteBuffer bytes = ByteBuffer.allocate(64 << 10);

        Batch(CopyData copy) {
            this.copy = copy;
        }

        void bytes(byte[] b) throws SQLException {
            room(b.length);
            bytes.put(b);
        }

        void idRow(byte[] id, int idLength, int month) throws SQLException {
            room(2 + 4 + idLength + 4 + 4);
            bytes.putShort(ID_ROW_FIELDS).putInt(idLength).put(id, 0, idLength).putInt(4).putInt(month);
        }

        void trailer() throws SQLException {
            room(2);
            bytes.putShort((short) -1);
            flush();
        }

        private void room(int n) throws SQLException {
            if (bytes.remaining() < n) {
                flush();
            }
        }

        private void flush() throws SQLException {
            if (bytes.position() > 0) {
                copy.write(bytes.array(), 0, bytes.position());
                bytes.clear();
            }
        }
    }
}
