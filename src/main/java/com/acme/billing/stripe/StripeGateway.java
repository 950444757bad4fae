package com.acme.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.InvoiceItem;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.InvoiceItemCreateParams;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The two Stripe calls of SPEC 6 through stripe-java's {@link StripeClient}, each behind the shared
 * {@link RequestRateLimiter} and retried here, not inside stripe-java, so that every attempt is
 * counted against the limit and waits its backoff. The idempotency key makes a retry of a request
 * that Stripe did carry out (its answer lost) return the first result instead of a second item.
 */
public class StripeGateway {

    /** Stripe's answer to one call: the created object's id, or the reason it was refused. */
    public record Answer(String id, String refusal, int attempts) {
    }

    private final StripeClient client;
    private final RequestRateLimiter limiter;
    private final StripeSettings settings;

    public StripeGateway(StripeSettings settings, RequestRateLimiter limiter) {
        this.settings = settings;
        this.limiter = limiter;
        this.client = StripeClient.builder()
                .setApiKey(settings.apiKey())
                .setApiBase(settings.apiBase())
                .setConnectTimeout(settings.connectTimeoutMillis())
                .setReadTimeout(settings.readTimeoutMillis())
                .setMaxNetworkRetries(0)
                .build();
    }

    public static String customerIdempotencyKey(String userId) {
        return "customer-" + userId;
    }

    public static CustomerCreateParams customerParams(String userId) {
        return CustomerCreateParams.builder().setName(userId).setDescription("billing user " + userId)
                .putMetadata("user_id", userId).build();
    }

    public static InvoiceItemCreateParams invoiceItemParams(PushLine line, String customerId) {
        return InvoiceItemCreateParams.builder()
                .setCustomer(customerId)
                .setAmount(line.amountMinor())
                .setCurrency(line.currency().toLowerCase(Locale.ROOT))
                .setDescription(line.description())
                .setPeriod(InvoiceItemCreateParams.Period.builder()
                        .setStart(line.periodStart().getEpochSecond())
                        .setEnd(line.periodEnd().getEpochSecond())
                        .build())
                .putMetadata("invoice_id", line.invoiceId())
                .putMetadata("line_id", line.lineId())
                .putMetadata("user_id", line.userId())
                .putMetadata("period", line.period())
                .build();
    }

    public Answer createCustomer(String userId) {
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(customerIdempotencyKey(userId)).build();
        return call("customer for " + userId, () -> {
            Customer customer = client.v1().customers().create(customerParams(userId), options);
            return customer.getId();
        });
    }

    public Answer createInvoiceItem(PushLine line, String customerId) {
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(line.lineId()).build();
        return call("invoice item " + line.lineId(), () -> {
            InvoiceItem item = client.v1().invoiceItems().create(invoiceItemParams(line, customerId), options);
            return item.getId();
        });
    }

    private interface StripeCall {
        String send() throws StripeException;
    }

    private Answer call(String what, StripeCall call) {
        StripeException last = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            try {
                RequestRateLimiter.Permit permit = limiter.acquire();
                try {
                    return new Answer(call.send(), null, attempt);
                } finally {
                    permit.done();
                }
            } catch (StripeException e) {
                last = e;
                if (!retryable(e)) {
                    return new Answer(null, describe(e), attempt);
                }
                if (attempt < settings.maxAttempts()) {
                    sleep(settings.backoff().delayMillis(attempt, ThreadLocalRandom.current()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StripeUnavailableException("interrupted while sending " + what, e);
            }
        }
        throw new StripeUnavailableException("Stripe did not accept " + what + " after " + settings.maxAttempts() + " attempts: "
                + describe(last), last);
    }

    /**
     * 429, 5xx and no answer at all (timeout, reset, refused connection) may succeed later, and so may
     * 409 (the same idempotency key still running at Stripe, after a timeout here); any other 4xx will not.
     */
    static boolean retryable(StripeException e) {
        Integer status = e.getStatusCode();
        return status == null || status == 0 || status == 409 || status == 429 || status >= 500;
    }

    /** Stripe's own message (never the request, which carries no secret anyway, nor the key). */
    static String describe(StripeException e) {
        if (e == null) {
            return "no answer";
        }
        String message = e.getStripeError() != null && e.getStripeError().getMessage() != null ? e.getStripeError().getMessage()
                : e.getMessage();
        String status = e.getStatusCode() == null || e.getStatusCode() == 0 ? "no response" : "HTTP " + e.getStatusCode();
        return status + ": " + message;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StripeUnavailableException("interrupted during backoff", e);
        }
    }
}
