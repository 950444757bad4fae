package com.acme.billing.stripe;

/**
 * How to reach Stripe (SPEC 1: STRIPE_API_KEY, STRIPE_API_BASE, STRIPE_MAX_REQUESTS_PER_SECOND) and
 * how hard to try. The key is never printed: {@link #toString()} leaves it out.
 */
public record StripeSettings(String apiKey, String apiBase, int maxRequestsPerSecond, int workers, int connectTimeoutMillis,
        int readTimeoutMillis, int maxAttempts, Backoff backoff) {

    public static final String DEFAULT_API_BASE = "https://api.stripe.com";

    public boolean hasKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    @Override
    public String toString() {
        return "StripeSettings[apiBase=" + apiBase + ", maxRequestsPerSecond=" + maxRequestsPerSecond + ", workers=" + workers
                + ", apiKey=" + (hasKey() ? "(set)" : "(not set)") + "]";
    }
}
