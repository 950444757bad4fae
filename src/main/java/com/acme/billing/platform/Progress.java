package com.acme.billing.platform;

import java.io.PrintStream;

/**
 * Progress of long work (lines of an ingest, users of a rating) on stderr, so that stdout keeps the
 * summary and the --json line: done, rate and time left, every two seconds
 * ({@code billing.progress-interval-ms}).
 */
public final class Progress {

    private final String label;
    private final long total;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final long startAt;
    private final long everyNanos;
    private long lastPrint = System.nanoTime();

    public Progress(String label, long total, long startAt, PrintStream out, long everyMillis) {
        this.everyNanos = everyMillis * 1_000_000L;
        this.label = label;
        this.total = total;
        this.startAt = startAt;
        this.out = out;
    }

    /** Thread-safe: workers may report as they finish. */
    public synchronized void at(long done) {
        long now = System.nanoTime();
        if (now - lastPrint < everyNanos) {
            return;
        }
        lastPrint = now;
        double seconds = (now - startNanos) / 1e9;
        double rate = (done - startAt) / Math.max(seconds, 1e-3);
        String left = rate > 0 && total > done ? String.format(" ~%ds left", Math.round((total - done) / rate)) : "";
        out.printf("  %s: %,d / %,d (%d%%), %,.0f/s%s%n", label, done, total,
                total == 0 ? 100 : Math.min(100, done * 100 / total), rate, left);
    }
}
