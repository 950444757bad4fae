package com.acme.billing.stripe;

/**
 * At most {@code permits} requests in any window of {@code windowNanos}, shared by every thread that
 * sends to Stripe (retries included). Each caller reserves the earliest slot that keeps the last
 * {@code permits} reservations inside one window, then sleeps until it: no bursts beyond the limit,
 * whatever the number of workers.
 *
 * <p>The window is a little longer than a second ({@link #forRequestsPerSecond}): requests leave
 * here on time but reach Stripe after a network delay that varies, and a second as Stripe counts it
 * must still hold no more than the limit.
 */
public final class RequestRateLimiter {

    /** Slack for the variation of network delay between two requests (measured at the fake: a few ms). */
    static final long NETWORK_SLACK_NANOS = 25_000_000L;

    private final long windowNanos;
    private final long[] slots;
    private int oldest;
    private long last = Long.MIN_VALUE;

    public RequestRateLimiter(int permits, long windowNanos) {
        if (permits < 1) {
            throw new IllegalArgumentException("the request limit must be at least 1 per second, not " + permits);
        }
        this.windowNanos = windowNanos;
        this.slots = new long[permits];
        java.util.Arrays.fill(slots, Long.MIN_VALUE / 2);
    }

    public static RequestRateLimiter forRequestsPerSecond(int requestsPerSecond) {
        return new RequestRateLimiter(requestsPerSecond, 1_000_000_000L + NETWORK_SLACK_NANOS);
    }

    /** Blocks until this caller may send one request. */
    public void acquire() throws InterruptedException {
        long slot = reserve(System.nanoTime());
        long wait;
        while ((wait = slot - System.nanoTime()) > 0) {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** The send time reserved for a caller arriving at {@code now} (nanoTime scale). */
    synchronized long reserve(long now) {
        long slot = Math.max(now, slots[oldest] + windowNanos);
        slot = Math.max(slot, last);
        slots[oldest] = slot;
        oldest = (oldest + 1) % slots.length;
        last = slot;
        return slot;
    }
}
