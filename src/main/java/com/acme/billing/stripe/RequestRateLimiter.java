package com.acme.billing.stripe;

/**
 * At most {@code permits} requests reach Stripe in any one second, however many workers send and
 * however the network delays them; retries count like any request.
 *
 * <p>The rule: request number k + permits leaves no earlier than one second after request number k
 * came back (its answer, an error or a timeout). A request reaches Stripe before it comes back, so
 * any two requests {@code permits} apart arrive at least a second apart, and no second at Stripe can
 * hold more than {@code permits} of them. A plain "{@code permits} sends per second" cannot promise
 * that: requests that leave evenly arrive unevenly (a worker woken late, a pause in either process),
 * and the fake measured 103-114 in one second with a limit of 100. Sends are also spaced evenly
 * ({@code 1 s / permits} apart) so that they never queue at either end.
 *
 * <p>The cost is the answer time: with 50 ms answers the limiter allows {@code permits / 1.05}
 * requests per second.
 *
 * <p>A caller interrupted while it waits gives its place up and leaves with the
 * {@link InterruptedException}: a turn it had not reached yet is skipped when it comes, a slot it had
 * reserved counts as a request that came back at that moment. Neither can hold up the callers after
 * it (a lost turn or slot would block every later caller for good).
 */
public final class RequestRateLimiter {

    /** A reserved send; {@link #done()} must be called when the request came back, however it ended. */
    public final class Permit {
        private final int position;
        private final long sendAt;
        /** Guarded by the limiter: a second done() must not free the position once a later request holds it. */
        private boolean returnedAlready;

        private Permit(int position, long sendAt) {
            this.position = position;
            this.sendAt = sendAt;
        }

        /** The request came back (answer, error or timeout); only the first call counts. */
        public void done() {
            synchronized (RequestRateLimiter.this) {
                if (returnedAlready) {
                    return;
                }
                returnedAlready = true;
                returned[position] = System.nanoTime();
                RequestRateLimiter.this.notifyAll();
            }
        }
    }

    private static final long IN_FLIGHT = Long.MAX_VALUE;

    private final long windowNanos;
    private final long intervalNanos;
    /** When each of the last {@code permits} requests came back, by position in send order (IN_FLIGHT until then). */
    private final long[] returned;
    private int next;
    /** Turns are handed out in arrival order: {@code issued} is the next one to give, {@code granted} the one being served. */
    private long issued;
    private long granted;
    /** Turns whose callers were interrupted before they came: skipped when they do. */
    private final java.util.Set<Long> abandoned = new java.util.HashSet<>();
    private long lastSend = Long.MIN_VALUE;

    public RequestRateLimiter(int permits, long windowNanos) {
        if (permits < 1) {
            throw new IllegalArgumentException("the request limit must be at least 1 per second, not " + permits);
        }
        this.windowNanos = windowNanos;
        this.intervalNanos = windowNanos / permits;
        this.returned = new long[permits];
        java.util.Arrays.fill(returned, Long.MIN_VALUE / 2);
    }

    public static RequestRateLimiter forRequestsPerSecond(int requestsPerSecond) {
        return new RequestRateLimiter(requestsPerSecond, 1_000_000_000L);
    }

    /** Blocks until this caller may send one request; call {@link Permit#done()} once it came back. */
    public Permit acquire() throws InterruptedException {
        Permit permit = reserve();
        long wait;
        try {
            while ((wait = permit.sendAt - System.nanoTime()) > 0) {
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait);
            }
        } catch (InterruptedException e) {
            // Nothing was sent; returning the slot now only makes its next user wait a little longer than needed.
            permit.done();
            throw e;
        }
        return permit;
    }

    /** Takes the next position in send order (first come, first served) and the time it may leave. */
    private synchronized Permit reserve() throws InterruptedException {
        long ticket = issued++;
        try {
            while (ticket != granted) {
                wait();
            }
            // Wait for the request that held this position, permits sends ago, to come back.
            while (returned[next] == IN_FLIGHT) {
                wait();
            }
        } catch (InterruptedException e) {
            if (ticket == granted) {
                passTurn();
            } else {
                abandoned.add(ticket);
            }
            notifyAll();
            throw e;
        }
        int position = next;
        long sendAt = Math.max(System.nanoTime(), returned[position] + windowNanos);
        if (lastSend != Long.MIN_VALUE) {
            sendAt = Math.max(sendAt, lastSend + intervalNanos);
        }
        returned[position] = IN_FLIGHT;
        next = (next + 1) % returned.length;
        lastSend = sendAt;
        passTurn();
        notifyAll();
        return new Permit(position, sendAt);
    }

    /** The turn being served is over: the next one whose caller still waits. */
    private void passTurn() {
        granted++;
        while (abandoned.remove(granted)) {
            granted++;
        }
    }
}
