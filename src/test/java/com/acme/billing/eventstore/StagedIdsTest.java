package com.acme.billing.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A staged file read as PostgreSQL's store reads it: its months, rows and ascending runs of ids in one pass; its ids
 * merged into the order of their bytes, in the binary COPY format of the dedupe table.
 */
class StagedIdsTest {

    @TempDir
    Path tmp;

    @Test
    void theMonthsOfEveryRowWhateverTheIdHolds() throws IOException {
        Path staged = write(List.of(
                row(2, "plain", 202610),
                row(3, "a,b", 202611),
                row(4, "say \"hi\", 202699\n", 202512),
                row(5, "\\N", 202610),
                row(6, "ünïcödé", 202610)));

        assertThat(StagedIds.scan(staged).months()).containsExactly(202512, 202610, 202611);
    }

    /** More rows than one read of the buffer holds (1 MiB), so rows are cut at the buffer's end and read on. */
    @Test
    void rowsAcrossManyReadsOfTheBuffer() throws IOException {
        List<StagedRows.Row> rows = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            rows.add(row(i + 2, "id-" + "x".repeat(i % 97) + i, 202601 + i % 12));
        }
        rows.add(row(40_002, "last", 202401));

        assertThat(StagedIds.scan(write(rows)).months()).containsExactly(202401, 202601, 202602, 202603, 202604, 202605, 202606, 202607, 202608,
                202609, 202610, 202611, 202612);
    }

    @Test
    void aFileOfTheHeaderAloneHasNoMonths() throws IOException {
        assertThat(StagedIds.scan(write(List.of())).months()).isEmpty();
    }

    @Test
    void aFileCutShortOrNotStagedIsRefusedNamingTheFileAndRow() throws IOException {
        Path whole = write(List.of(row(2, "a", 202610), row(3, "b", 202610)));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(tmp.resolve("cut.pgcopy"), Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> StagedIds.scan(cut)).isInstanceOf(IOException.class)
                .hasMessage(cut + " ends inside row 2: a staged file ends with a complete row");
        Path csv = Files.writeString(tmp.resolve("old.csv"), "2,a,1,202610,u1,m,1\n");
        assertThatThrownBy(() -> StagedIds.scan(csv)).isInstanceOf(IOException.class)
                .hasMessage(csv + " is not a staged events file in PostgreSQL's binary COPY format (no signature)");
        byte[] badExtension = Arrays.copyOf(bytes, bytes.length);
        badExtension[PostgresCopyBinary.SIGNATURE.length + 4] = (byte) 0x7F;
        Path extended = Files.write(tmp.resolve("extended.pgcopy"), badExtension);
        assertThatThrownBy(() -> StagedIds.scan(extended)).isInstanceOf(IOException.class)
                .hasMessage(extended + " is not a staged events file in PostgreSQL's binary COPY format (header extension of 2130706432 bytes)");
        Path empty = Files.write(tmp.resolve("empty.pgcopy"), new byte[0]);
        assertThatThrownBy(() -> StagedIds.scan(empty)).isInstanceOf(IOException.class)
                .hasMessage(empty + " is not a staged events file in PostgreSQL's binary COPY format (no header)");
    }

    /**
     * Runs as the staging writes them (each chunk sorted by the ids' bytes; here chunks of 3, 1 and 4 rows, and an id
     * repeated across two of them): merged into one ascending sequence of every row with its month, byte order, not
     * Java's String order (a supplementary character, U+1F600, sorts after U+FFFD as UTF-8 but before it as UTF-16).
     */
    @Test
    void theChunksRunsAreMergedIntoTheOrderOfTheIdsBytes() throws Exception {
        Path staged = write(List.of(
                row(2, "b", 202610), row(3, "d", 202610), row(4, "x", 202611),
                row(5, "a", 202609),
                row(6, "c", 202610), row(7, "d", 202612), row(8, "\uFFFD", 202610), row(9, "\uD83D\uDE00", 202610)));

        StagedIds.Layout layout = StagedIds.scan(staged);
        List<String> merged = merge(layout);

        assertThat(layout.rows()).isEqualTo(8);
        assertThat(layout.runStarts()).hasSize(2); // b d x | a c d ... (a run is as long as its ids ascend, across chunks)
        assertThat(layout.months()).containsExactly(202609, 202610, 202611, 202612);
        assertThat(merged).containsExactly("a:202609", "b:202610", "c:202610", "d:202610", "d:202612", "x:202611",
                "\uFFFD:202610", "\uD83D\uDE00:202610");
    }

    /** Many runs through small buffers (rows cut at a buffer's end), and an empty file: a header and a trailer, no row. */
    @Test
    void manyRunsMergeWholeAndAnEmptyFileGivesNoRow() throws Exception {
        List<StagedRows.Row> rows = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        List<String> ids = new ArrayList<>();
        for (int chunk = 0; chunk < 3_000; chunk++) {
            List<String> chunkIds = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                chunkIds.add(Long.toHexString(random.nextLong()) + "-" + "y".repeat(random.nextInt(300)));
            }
            chunkIds.sort(null); // ASCII: String order is byte order
            for (String id : chunkIds) {
                rows.add(row(rows.size() + 2, id, 202610));
            }
            ids.addAll(chunkIds);
        }
        ids.sort(null);

        StagedIds.Layout layout = StagedIds.scan(write(rows));
        List<String> merged = merge(layout);

        assertThat(layout.runStarts().length).isBetween(2_000, 3_000);
        assertThat(merged).hasSize(60_000).isEqualTo(ids.stream().map(id -> id + ":202610").toList());
        assertThat(merge(StagedIds.scan(write(List.of())))).isEmpty();
    }

    /** The merged bytes decoded: the COPY header, rows of (text, int4), the trailer, nothing after it. */
    private static List<String> merge(StagedIds.Layout layout) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        long written = StagedIds.copyInKeyOrder(layout, bytes::write);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes.toByteArray());
        byte[] header = new byte[PostgresCopyBinary.header().length];
        in.get(header);
        assertThat(header).isEqualTo(PostgresCopyBinary.header());
        List<String> rows = new ArrayList<>();
        for (short fields = in.getShort(); fields != -1; fields = in.getShort()) {
            assertThat(fields).isEqualTo((short) 2);
            byte[] id = new byte[in.getInt()];
            in.get(id);
            assertThat(in.getInt()).isEqualTo(4);
            rows.add(new String(id, java.nio.charset.StandardCharsets.UTF_8) + ":" + in.getInt());
        }
        assertThat(in.hasRemaining()).isFalse();
        assertThat(written).isEqualTo(rows.size());
        return rows;
    }

    private static StagedRows.Row row(long line, String eventId, int month) {
        return new StagedRows.Row(line, eventId, 1_790_000_000_000_000L, month, "u1", "emails_processed", 1);
    }

    private Path write(List<StagedRows.Row> rows) throws IOException {
        return StagedRows.write(Files.createTempFile(tmp, "staged", ".pgcopy"), rows);
    }
}
