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

class StagedMonthsTest {

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

        assertThat(StagedMonths.of(staged)).containsExactly(202512, 202610, 202611);
    }

    /** More rows than one read of the buffer holds (1 MiB), so rows are cut at the buffer's end and read on. */
    @Test
    void rowsAcrossManyReadsOfTheBuffer() throws IOException {
        List<StagedRows.Row> rows = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            rows.add(row(i + 2, "id-" + "x".repeat(i % 97) + i, 202601 + i % 12));
        }
        rows.add(row(40_002, "last", 202401));

        assertThat(StagedMonths.of(write(rows))).containsExactly(202401, 202601, 202602, 202603, 202604, 202605, 202606, 202607, 202608,
                202609, 202610, 202611, 202612);
    }

    @Test
    void aFileOfTheHeaderAloneHasNoMonths() throws IOException {
        assertThat(StagedMonths.of(write(List.of()))).isEmpty();
    }

    @Test
    void aFileCutShortOrNotStagedIsRefusedNamingTheFileAndRow() throws IOException {
        Path whole = write(List.of(row(2, "a", 202610), row(3, "b", 202610)));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(tmp.resolve("cut.pgcopy"), Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> StagedMonths.of(cut)).isInstanceOf(IOException.class)
                .hasMessage(cut + " ends inside row 2: a staged file ends with a complete row");
        Path csv = Files.writeString(tmp.resolve("old.csv"), "2,a,1,202610,u1,m,1\n");
        assertThatThrownBy(() -> StagedMonths.of(csv)).isInstanceOf(IOException.class)
                .hasMessage(csv + " is not a staged events file in PostgreSQL's binary COPY format (no signature)");
        byte[] badExtension = Arrays.copyOf(bytes, bytes.length);
        badExtension[PostgresCopyBinary.SIGNATURE.length + 4] = (byte) 0x7F;
        Path extended = Files.write(tmp.resolve("extended.pgcopy"), badExtension);
        assertThatThrownBy(() -> StagedMonths.of(extended)).isInstanceOf(IOException.class)
                .hasMessage(extended + " is not a staged events file in PostgreSQL's binary COPY format (header extension of 2130706432 bytes)");
        Path empty = Files.write(tmp.resolve("empty.pgcopy"), new byte[0]);
        assertThatThrownBy(() -> StagedMonths.of(empty)).isInstanceOf(IOException.class)
                .hasMessage(empty + " is not a staged events file in PostgreSQL's binary COPY format (no header)");
    }

    private static StagedRows.Row row(long line, String eventId, int month) {
        return new StagedRows.Row(line, eventId, 1_790_000_000_000_000L, month, "u1", "emails_processed", 1);
    }

    private Path write(List<StagedRows.Row> rows) throws IOException {
        return StagedRows.write(Files.createTempFile(tmp, "staged", ".pgcopy"), rows);
    }
}
