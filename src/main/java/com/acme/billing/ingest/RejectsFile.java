package com.acme.billing.ingest;

import com.opencsv.ICSVWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code BILLING_HOME/rejects/<file name>.rejects.csv}: {@code line,reason,raw} for every line of a
 * file that was not used, in line order (SPEC 2). Written whole to a temporary name and renamed,
 * so a crash never leaves half a file; writing it again after a restart gives the same bytes.
 */
public final class RejectsFile {

    private RejectsFile() {
    }

    public static Path pathFor(Path rejectsDir, String fileName) {
        return rejectsDir.resolve(fileName + ".rejects.csv");
    }

    /** Counts the rows of a staged rejects file. */
    public static long countStaged(Path stagedRejects) {
        if (!Files.exists(stagedRejects)) {
            return 0;
        }
        try (BufferedReader reader = Files.newBufferedReader(stagedRejects, StandardCharsets.UTF_8)) {
            return reader.lines().count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Merges the staged rejects (rows already in the final dialect, one physical line each, in line
     * order) with the conflicting duplicates, whose raw text is read back from the source file.
     */
    public static void write(Path target, Path stagedRejects, List<Long> conflictLines, Path source, UsageFileFormat format) {
        List<String[]> conflicts = conflictLines.isEmpty() ? List.of() : rawLines(source, format, conflictLines);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8);
                    BufferedReader staged = Files.exists(stagedRejects) ? Files.newBufferedReader(stagedRejects, StandardCharsets.UTF_8)
                            : new BufferedReader(java.io.Reader.nullReader())) {
                ICSVWriter csv = StagingWriter.rejectsCsv(out);
                csv.writeNext(new String[] {"line", "reason", "raw"}, false);
                csv.flush();
                String row = staged.readLine();
                int next = 0;
                while (row != null || next < conflicts.size()) {
                    long stagedLine = row == null ? Long.MAX_VALUE : Long.parseLong(row.substring(0, row.indexOf(',')));
                    if (next < conflicts.size() && Long.parseLong(conflicts.get(next)[0]) < stagedLine) {
                        csv.writeNext(conflicts.get(next++), false);
                        csv.flush();
                    } else {
                        out.write(row);
                        out.write('\n');
                        row = staged.readLine();
                    }
                }
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target + ": " + e.getMessage(), e);
        }
    }

    private static List<String[]> rawLines(Path source, UsageFileFormat format, List<Long> lines) {
        List<String[]> result = new ArrayList<>(lines.size());
        try (BufferedReader reader = format.openText(source)) {
            long lineNo = 0;
            int next = 0;
            String raw;
            while (next < lines.size() && (raw = reader.readLine()) != null) {
                lineNo++;
                if (lineNo == lines.get(next)) {
                    result.add(new String[] {Long.toString(lineNo), "conflicting_duplicate", raw});
                    next++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("re-reading " + source + " for its rejected lines: " + e.getMessage(), e);
        }
        return result;
    }
}
