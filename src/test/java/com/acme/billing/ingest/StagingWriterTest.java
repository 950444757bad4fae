package com.acme.billing.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.eventstore.StagedEventsFormat;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The staging of PostgreSQL's binary rows: each chunk's rows in the order of their ids' bytes (the runs that PostgreSQL's
 * store merges for the dedupe key), every field of every row as validated, chunks in the order of their commits, rejects
 * apart; after a restart from the first chunk's commit, the second chunk is written once.
 */
class StagingWriterTest {

    @TempDir
    Path tmp;

    @Test
    void eachChunksRowsInTheOrderOfTheirIdsAndWhole() throws IOException {
        StagingFiles files = StagingFiles.of(tmp, 7, StagedEventsFormat.POSTGRES_COPY_BINARY);
        ExecutionContext context = new ExecutionContext();
        StagingWriter writer = new StagingWriter(files);
        writer.open(context);
        writer.write(Chunk.of(event(2, "c"), event(3, "\u00e9t\u00e9"), new StagedLine.Reject(4, "bad_quantity", "x,y"), event(5, "a"),
                event(6, "b")));
        writer.update(context);
        writer.write(Chunk.of(event(7, "z"), event(8, "y")));
        writer.close();
        // A restart from the first chunk's commit: the second chunk again, as the restarted step writes it.
        StagingWriter restarted = new StagingWriter(files);
        restarted.open(context);
        restarted.write(Chunk.of(event(7, "z"), event(8, "y")));
        restarted.close();

        assertThat(rows(files.events())).containsExactly(
                "5|a|1790000000000005|202610|u1|emails_processed|105",
                "6|b|1790000000000006|202610|u1|emails_processed|106",
                "2|c|1790000000000002|202610|u1|emails_processed|102",
                "3|\u00e9t\u00e9|1790000000000003|202610|u1|emails_processed|103",
                "8|y|1790000000000008|202610|u1|emails_processed|108",
                "7|z|1790000000000007|202610|u1|emails_processed|107");
        assertThat(Files.readString(files.rejects())).isEqualTo("4,bad_quantity,\"x,y\"\n");
    }

    private static StagedLine.Event event(long line, String id) {
        return new StagedLine.Event(line, id, 1_790_000_000_000_000L + line, 202610, "u1", "emails_processed", 100 + line);
    }

    /** The rows of a staged file in PostgreSQL's binary COPY format, their fields joined by '|'. */
    private static List<String> rows(Path staged) throws IOException {
        List<String> rows = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(staged))) {
            in.skipNBytes(19); // signature, flags, header extension length
            while (in.available() > 0) {
                short fields = in.readShort();
                assertThat(fields).isEqualTo((short) 7);
                List<String> values = new ArrayList<>();
                for (int field = 0; field < fields; field++) {
                    int length = in.readInt();
                    byte[] bytes = in.readNBytes(length);
                    values.add(switch (field) {
                        case 0, 2, 6 -> Long.toString(java.nio.ByteBuffer.wrap(bytes).getLong());
                        case 3 -> Integer.toString(java.nio.ByteBuffer.wrap(bytes).getInt());
                        default -> new String(bytes, StandardCharsets.UTF_8);
                    });
                }
                rows.add(String.join("|", values));
            }
        }
        return rows;
    }
}
