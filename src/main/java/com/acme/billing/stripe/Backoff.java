package com.acme.billing.stripe;

import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (a random wait between zero and base x 2^attempt, capped):
 * workers that failed together do not come back together.
 */
public record Backoff(long baseMillis, long maxMillis) {

    /** @param attempt 1 for the wait after the first failure */
    public long delayMillis(int attempt, RandomGenerator random) {
        long ceiling = Math.min(maxMillis, baseMillis << Math.min(attempt - 1, 30));
        return ceiling <= 0 ? 0 : random.nextLong(ceiling + 1);
    }
}
