package com.acme.billing.ingest;

import com.acme.billing.platform.Progress;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads the data lines of one usage log (plain or gzip, CSV or JSON Lines). Restartable: the number
 * of the last line handed out is saved in the step's execution context at every commit, and a
 * restart skips the lines up to it. Blank lines are not data lines and are skipped.
 */
public class UsageLogReader implements ItemStreamReader<UsageLine> {

    static final String LINE_KEY = "usage.reader.line";

    private final Path file;
    private final UsageFileFormat format;
    private final ProgressFactory progressFactory;
    private BufferedReader reader;
    private UsageLine.CsvColumns columns;
    private long lineNo;
    private Progress progress;

    /** Creates the progress printer once the restart line is known. */
    public interface ProgressFactory {
        Progress start(long fromLine);
    }

    public UsageLogReader(Path file, UsageFileFormat format, ProgressFactory progressFactory) {
        this.file = file;
        this.format = format;
        this.progressFactory = progressFactory;
    }

    @Override
    public void open(ExecutionContext context) {
        long resumeAt = context.getLong(LINE_KEY, 0L);
        try {
            reader = format.openText(file);
            lineNo = 0;
            if (!format.jsonLines()) {
                String header = reader.readLine();
                lineNo = 1;
                columns = header == null ? null : UsageLogFormat.csvColumns(header);
                if (columns == null) {
                    throw new ItemStreamException(file + ": line 1: no usage header (event_id,timestamp,user_id,metric,quantity)");
                }
            }
            while (lineNo < resumeAt) {
                if (reader.readLine() == null) {
                    throw new ItemStreamException(file + ": shorter than line " + resumeAt + " reached before the restart; the file changed");
                }
                lineNo++;
            }
        } catch (IOException e) {
            throw new ItemStreamException(file + ": cannot read: " + e.getMessage(), e);
        }
        progress = progressFactory.start(lineNo);
    }

    @Override
    public UsageLine read() throws IOException {
        while (true) {
            String raw = reader.readLine();
            if (raw == null) {
                return null;
            }
            lineNo++;
            if (isBlank(raw)) {
                continue;
            }
            progress.at(lineNo);
            return format.jsonLines() ? UsageLogFormat.jsonLine(lineNo, raw) : UsageLogFormat.csvLine(lineNo, raw, columns);
        }
    }

    /** Blank: nothing but spaces, tabs, vertical tabs and form feeds (the same rule as the preflight's count). */
    static boolean isBlank(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c > 0x7f || !isBlankByte((byte) c)) {
                return false;
            }
        }
        return true;
    }

    static boolean isBlankByte(byte b) {
        return b == ' ' || b == '\t' || b == 0x0b || b == 0x0c;
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(LINE_KEY, lineNo);
    }

    @Override
    public void close() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                throw new ItemStreamException(e);
            } finally {
                reader = null;
            }
        }
    }
}
