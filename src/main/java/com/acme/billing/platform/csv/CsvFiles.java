package com.acme.billing.platform.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one way the product writes CSV (reports, rejects files): UTF-8, OpenCSV with RFC 4180 quoting,
 * no cell a spreadsheet would evaluate (see {@link SafeCell}).
 */
public final class CsvFiles {

    /** RFC 4180's line end: the reports of SPEC 7. */
    public static final String CRLF = "\r\n";
    /** The rejects files' line end (SPEC 2), one physical line per row unless a cell holds a line break. */
    public static final String LF = "\n";

    /** The rows of a file, header first. */
    public interface Body {
        void write(SafeCsvWriter out) throws IOException;
    }

    private CsvFiles() {
    }

    /** A writer over {@code out}; closing it closes {@code out}. */
    public static SafeCsvWriter writer(Writer out, String lineEnd) {
        return new SafeCsvWriter(out, lineEnd);
    }

    /**
     * Writes {@code target} whole: to a temporary name beside it, then renamed over it, so a reader
     * (or a crash) never sees half a file and writing the same rows again gives the same bytes.
     */
    public static Path writeAtomically(Path target, String lineEnd, Body body) {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            try (SafeCsvWriter out = writer(Files.newBufferedWriter(temporary, StandardCharsets.UTF_8), lineEnd)) {
                body.write(out);
                out.failOnError();
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target + ": " + e.getMessage(), e);
        }
    }
}
