package com.acme.billing.ingest;

import com.acme.billing.eventstore.IdOrder;
import com.acme.billing.eventstore.PostgresCopyBinary;
import com.acme.billing.eventstore.StagedEventsFormat;
import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Appends a chunk of validated lines to the file's staging files (see {@link StagingFiles}). The
 * length of both files is saved at every commit; on open (first start or restart) whatever lies
 * beyond it, written by a process that died before its commit, is cut off, so no line is staged
 * twice and none is lost.
 */
public class StagingWriter implements ItemStreamWriter<StagedLine> {

    static final String EVENTS_BYTES = "usage.staged.events.bytes";
    static final String REJECTS_BYTES = "usage.staged.rejects.bytes";

    private final StagingFiles files;
    private FileChannel events;
    private FileChannel rejects;

    public StagingWriter(StagingFiles files) {
        this.files = files;
    }

    @Override
    public void open(ExecutionContext context) {
        try {
            Files.createDirectories(files.events().getParent());
            events = openAt(files.events(), context.getLong(EVENTS_BYTES, 0L));
            if (events.position() == 0 && files.format() == StagedEventsFormat.POSTGRES_COPY_BINARY) {
                writeFully(events, ByteBuffer.wrap(PostgresCopyBinary.header()));
            }
            rejects = openAt(files.rejects(), context.getLong(REJECTS_BYTES, 0L));
        } catch (IOException e) {
            throw new ItemStreamException("cannot open staging files " + files.events() + ": " + e.getMessage(), e);
        }
    }

    private static FileChannel openAt(java.nio.file.Path path, long committed) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (channel.size() < committed) {
            channel.close();
            throw new ItemStreamException(path + " is shorter (" + Files.size(path) + " bytes) than its committed " + committed
                    + " bytes: the staging file was lost; abandon this execution and ingest the file again");
        }
        channel.truncate(committed);
        channel.position(committed);
        return channel;
    }

    @Override
    public void write(Chunk<? extends StagedLine> chunk) throws IOException {
        boolean binary = files.format() == StagedEventsFormat.POSTGRES_COPY_BINARY;
        StringBuilder eventRows = binary ? null : new StringBuilder(chunk.size() * 100);
        ByteArrayOutputStream eventBytes = binary ? new ByteArrayOutputStream(chunk.size() * 120) : null;
        DataOutputStream eventData = binary ? new DataOutputStream(eventBytes) : null;
        StringWriter rejectRows = null;
        ICSVWriter rejectCsv = null;
        List<StagedLine.Event> binaryRows = binary ? new ArrayList<>(chunk.size()) : null;
        for (StagedLine line : chunk) {
            if (line instanceof StagedLine.Event e && binary) {
                binaryRows.add(e);
            } else if (line instanceof StagedLine.Event e) {
                eventRows.append(e.line()).append(',');
                appendCsvField(eventRows, e.eventId());
                eventRows.append(',').append(e.tsMicros()).append(',').append(e.month()).append(',').append(e.userId()).append(',')
                        .append(e.metric()).append(',').append(e.quantity()).append('\n');
            } else {
                StagedLine.Reject r = (StagedLine.Reject) line;
                if (rejectCsv == null) {
                    rejectRows = new StringWriter();
                    rejectCsv = rejectsCsv(rejectRows);
                }
                rejectCsv.writeNext(new String[] {Long.toString(r.line()), r.reason(), r.raw()}, false);
            }
        }
        if (binary) {
            // In the order of the ids' bytes: PostgreSQL's store merges the chunks into the dedupe key's order instead of
            // sorting the whole file again (PostgresEventStore, StagedIds). A chunk is written whole or cut off whole on restart.
            // The rows are encoded in the chunk's order and only their bytes copied in the ids' order: encoding them in that
            // order visited the chunk's objects at random and cost the staging of ten million lines 3-5 s more.
            byte[][] ids = new byte[binaryRows.size()][];
            int[] rowStarts = new int[ids.length + 1];
            for (int i = 0; i < ids.length; i++) {
                StagedLine.Event e = binaryRows.get(i);
                ids[i] = e.eventId().getBytes(StandardCharsets.UTF_8);
                rowStarts[i] = eventData.size();
                PostgresCopyBinary.appendRow(eventData, e.line(), ids[i], e.tsMicros(), e.month(), e.userId(), e.metric(), e.quantity());
            }
            rowStarts[ids.length] = eventData.size();
            byte[] inChunkOrder = eventBytes.toByteArray();
            byte[] inIdOrder = new byte[inChunkOrder.length];
            int at = 0;
            for (int i : IdOrder.of(ids, ids.length)) {
                int length = rowStarts[i + 1] - rowStarts[i];
                System.arraycopy(inChunkOrder, rowStarts[i], inIdOrder, at, length);
                at += length;
            }
            writeFully(events, ByteBuffer.wrap(inIdOrder));
        } else {
            writeFully(events, utf8(eventRows.toString()));
        }
        if (rejectCsv != null) {
            rejectCsv.flush();
            writeFully(rejects, utf8(rejectRows.toString()));
        }
    }

    /** The CSV dialect of the rejects files: RFC 4180, quotes only where needed. */
    static ICSVWriter rejectsCsv(java.io.Writer out) {
        return new CSVWriter(out, ',', ICSVWriter.DEFAULT_QUOTE_CHARACTER, ICSVWriter.DEFAULT_QUOTE_CHARACTER, "\n");
    }

    /** RFC 4180: a field with a comma or a quote is quoted, its quotes doubled (event ids may hold both). */
    static void appendCsvField(StringBuilder out, String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0) {
            out.append(value);
            return;
        }
        out.append('"').append(value.replace("\"", "\"\"")).append('"');
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    @Override
    public void update(ExecutionContext context) {
        try {
            context.putLong(EVENTS_BYTES, events.position());
            context.putLong(REJECTS_BYTES, rejects.position());
        } catch (IOException e) {
            throw new ItemStreamException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (events != null) {
                events.close();
            }
            if (rejects != null) {
                rejects.close();
            }
        } catch (IOException e) {
            throw new ItemStreamException(e);
        } finally {
            events = null;
            rejects = null;
        }
    }
}
