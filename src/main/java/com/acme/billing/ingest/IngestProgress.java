package com.acme.billing.ingest;

import java.io.PrintStream;

/**
 * Progress of a long ingest on stderr (stdout stays for the summary and the --json line): lines
 * read, rate and the time left, at most every two seconds.
 */
public final class IngestProgress {

    private static final long EVERY_NANOS = 2_000_000_000L;

    private final String label;
    private final long totalLines;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final long startLine;
    private long lastPrint = System.nanoTime();

    public IngestProgress(String label, long totalLines, long startLine, PrintStream out) {
        this.label = label;
        this.totalLines = totalLines;
        this.startLine = startLine;
        this.out = out;
    }

    public void at(long line) {
        long now = System.nanoTime();
        if (now - lastPrint < EVERY_NANOS) {
            return;
        }
        lastPrint = now;
        double seconds = (now - startNanos) / 1e9;
        double rate = (line - startLine) / Math.max(seconds, 1e-3);
        String left = rate > 0 && totalLines > line ? String.format(" ~%ds left", Math.round((totalLines - line) / rate)) : "";
        out.printf("  %s: %,d / %,d lines (%d%%), %,.0f lines/s%s%n", label, line, totalLines,
                totalLines == 0 ? 100 : Math.min(100, line * 100 / totalLines), rate, left);
    }
}
