package com.acme.billing.ingest;

import com.acme.billing.platform.csv.CsvFiles;
import com.opencsv.RFC4180Parser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code BILLING_HOME/rejects/<file name>.rejects.csv}: {@code line,reason,raw} for every line of a
 * file that was not used, in line order (SPEC 2). The raw text is whatever the sender wrote, so it is
 * written through {@link CsvFiles} (quoted, and a cell such as {@code =HYPERLINK(...)} neutralized).
 * Written whole to a temporary name and renamed, so a crash never leaves half a file; writing it
 * again after a restart gives the same bytes.
 */
public final class RejectsFile {

    private static final String SUFFIX = ".rejects.csv";

    private RejectsFile() {
    }

    /**
     * SPEC 2's {@code <file name>.rejects.csv}; when another content ingested under the same file name
     * (another day's {@code usage.csv}, or one from another folder) holds that name already,
     * {@code <file name>.<first 12 hex digits of the SHA-256>.rejects.csv}, so neither overwrites the
     * other. The same content always gets the same name, so a restart rewrites its own file.
     *
     * @param othersRejectsFiles the rejects files recorded for other contents of this file name
     */
    public static Path pathFor(Path rejectsDir, String fileName, String sha256, List<String> othersRejectsFiles) {
        String plain = fileName + SUFFIX;
        boolean taken = othersRejectsFiles.stream().anyMatch(other -> Path.of(other).getFileName().toString().equals(plain));
        return rejectsDir.resolve(taken ? fileName + "." + sha256.substring(0, 12) + SUFFIX : plain);
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

    /** One row of a rejects file. */
    record Reject(long line, String reason, String raw) {
    }

    /**
     * Merges the staged rejects (one physical CSV line each, in line order) with the conflicting
     * duplicates, whose raw text is read back from the source file.
     */
    public static void write(Path target, Path stagedRejects, List<Long> conflictLines, Path source, UsageFileFormat format) {
        List<Reject> conflicts = conflictLines.isEmpty() ? List.of() : rawLines(source, format, conflictLines);
        RFC4180Parser parser = new RFC4180Parser();
        CsvFiles.writeAtomically(target, CsvFiles.LF, csv -> {
            csv.row("line", "reason", "raw");
            try (BufferedReader staged = Files.exists(stagedRejects) ? Files.newBufferedReader(stagedRejects, StandardCharsets.UTF_8)
                    : new BufferedReader(java.io.Reader.nullReader())) {
                String row = staged.readLine();
                Reject stagedReject = row == null ? null : parse(parser, row);
                int next = 0;
                while (stagedReject != null || next < conflicts.size()) {
                    Reject reject;
                    if (next < conflicts.size() && (stagedReject == null || conflicts.get(next).line() < stagedReject.line())) {
                        reject = conflicts.get(next++);
                    } else {
                        reject = stagedReject;
                        row = staged.readLine();
                        stagedReject = row == null ? null : parse(parser, row);
                    }
                    csv.row(Long.toString(reject.line()), reject.reason(), reject.raw());
                }
            }
        });
    }

    /** A staged row, written by StagingWriter in the same dialect: line, reason, raw. */
    private static Reject parse(RFC4180Parser parser, String row) throws IOException {
        String[] cells = parser.parseLine(row);
        if (cells.length != 3) {
            throw new IOException("staged reject row is not line,reason,raw: " + row);
        }
        return new Reject(Long.parseLong(cells[0]), cells[1], cells[2]);
    }

    private static List<Reject> rawLines(Path source, UsageFileFormat format, List<Long> lines) {
        List<Reject> result = new ArrayList<>(lines.size());
        try (BufferedReader reader = format.openText(source)) {
            long lineNo = 0;
            int next = 0;
            String raw;
            while (next < lines.size() && (raw = reader.readLine()) != null) {
                lineNo++;
                if (lineNo == lines.get(next)) {
                    result.add(new Reject(lineNo, "conflicting_duplicate", raw));
                    next++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("re-reading " + source + " for its rejected lines: " + e.getMessage(), e);
        }
        return result;
    }
}
