package com.acme.billing.stripe;

/**
 * What Stripe did with one line: pushed (its invoice item id), or refused with Stripe's message (a
 * 4xx other than 429: retrying the same request cannot help, the cause must be fixed first).
 */
public record PushResult(PushLine line, String stripeItemId, String error, int attempts, String createdCustomerId) {

    public boolean pushed() {
        return stripeItemId != null;
    }
}
