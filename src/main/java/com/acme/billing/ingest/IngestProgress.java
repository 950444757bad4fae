package com.acme.billing.ingest;

import java.io.PrintStream;

/**
 * Progress of a long ingest on stderr (stdout stays for the summary and the --json line): lines
 * read, rate and the time left, every two seconds ({@code billing.progress-interval-ms}).
 */
public final class IngestProgress {

    private final String label;
    private final long totalLines;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final long startLine;
    private final long everyNanos;
    private long lastPrint = System.nanoTime();

    public IngestProgress(String label, long totalLines, long startLine, PrintStream out, long everyMillis) {
        this.everyNanos = everyMillis * 1_000_000L;
        this.label = label;
        this.totalLines = totalLines;
        this.startLine = startLine;
        this.out = out;
    }

    public void at(long line) {
        long now = System.nanoTime();
        if (now - lastPrint < everyNanos) {
            return;
        }
        lastPrint = now;
        double seconds = (now - startNanos) / 1e9;
        double rate = (line - startLine) / Math.max(seconds, 1e-3);
        String left = rate > 0 && totalLines > line ? String.format(" ~%ds left", Math.round((totalLines - line) / rate)) : "";
        out.printf("  %s: %,d / %,d (%d%%), %,.0f/s%s%n", label, line, totalLines,
                totalLines == 0 ? 100 : Math.min(100, line * 100 / totalLines), rate, left);
    }
}
