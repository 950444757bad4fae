package com.acme.billing.ingest;

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
        for (StagedLine line : chunk) {
            if (line instanceof StagedLine.Event e && binary) {
                PostgresCopyBinary.appendRow(eventData, e.line(), e.eventId(), e.tsMicros(), e.month(), e.userId(), e.metric(), e.quantity());
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
        writeFully(events, binary ? ByteBuffer.wrap(eventBytes.toByteArray()) : utf8(eventRows.toString()));
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
