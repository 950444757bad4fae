package com.acme.billing.ingest;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code BILLING_HOME/rejects/<file name>.rejects.csv}: {@code line,reason,raw} for every line of a
 * file that was not used, in line order (SPEC 2). Written whole to a temporary name and renamed,
 * so a crash never leaves half a file; rewriting it after a restart gives the same bytes.
 */
public final class RejectsFile {

    private RejectsFile() {
    }

    public static Path pathFor(Path rejectsDir, String fileName) {
        return rejectsDir.resolve(fileName + ".rejects.csv");
    }

    /**
     * @param parseRejects  rejects found while reading, with their raw text, in line order
     * @param conflictLines lines refused as conflicting duplicates; their raw text is read back from the file
     */
    public static void write(Path target, List<StagedLine.Reject> parseRejects, List<Long> conflictLines, Path source,
            UsageFileFormat format) {
        List<StagedLine.Reject> conflicts = conflictLines.isEmpty() ? List.of() : rawLines(source, format, conflictLines);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8);
                    CSVWriter csv = new CSVWriter(out, ',', ICSVWriter.DEFAULT_QUOTE_CHARACTER, ICSVWriter.DEFAULT_ESCAPE_CHARACTER, "\r\n")) {
                csv.writeNext(new String[] {"line", "reason", "raw"}, false);
                int i = 0;
                int j = 0;
                while (i < parseRejects.size() || j < conflicts.size()) {
                    StagedLine.Reject next;
                    if (j >= conflicts.size() || (i < parseRejects.size() && parseRejects.get(i).line() < conflicts.get(j).line())) {
                        next = parseRejects.get(i++);
                    } else {
                        next = conflicts.get(j++);
                    }
                    csv.writeNext(new String[] {Long.toString(next.line()), next.reason(), next.raw()}, false);
                }
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target + ": " + e.getMessage(), e);
        }
    }

    private static List<StagedLine.Reject> rawLines(Path source, UsageFileFormat format, List<Long> lines) {
        List<StagedLine.Reject> result = new ArrayList<>(lines.size());
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(format.open(source), decoder), 1 << 16)) {
            long lineNo = 0;
            int next = 0;
            String raw;
            while (next < lines.size() && (raw = reader.readLine()) != null) {
                lineNo++;
                if (lineNo == lines.get(next)) {
                    result.add(new StagedLine.Reject(lineNo, "conflicting_duplicate", raw));
                    next++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("re-reading " + source + " for its rejected lines: " + e.getMessage(), e);
        }
        return result;
    }
}
