package com.acme.billing.stripe;

/** Stripe did not answer usefully (429, 5xx, timeouts, resets) after every retry: the step fails and can be restarted. */
public class StripeUnavailableException extends RuntimeException {

    public StripeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
