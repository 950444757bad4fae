package com.acme.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.HasId;
import com.stripe.model.InvoiceItem;
import com.stripe.model.StripeCollection;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerListParams;
import com.stripe.param.InvoiceItemCreateParams;
import com.stripe.param.InvoiceItemListParams;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The Stripe calls of SPEC 6 (create a customer, create an invoice item, and the look-ups of what an
 * unanswered earlier request may have created) through stripe-java's {@link StripeClient}, each
 * behind the shared {@link RequestRateLimiter} and retried here, not inside stripe-java, so that every attempt is
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

    /** Objects created at Stripe this long before our clock says a request started are still looked at (clocks differ). */
    static final java.time.Duration CLOCK_MARGIN = java.time.Duration.ofHours(1);

    /** Stripe's largest page. */
    private static final long PAGE = 100;

    /**
     * The customer of each of these users that exists at Stripe among those created since
     * {@code since} (less {@link #CLOCK_MARGIN}), found by {@code metadata[user_id]}. The list is read,
     * not Stripe's customer search, because search may lag recent writes by a minute: a push restarted
     * right after a kill would miss the customer it just created.
     */
    public Map<String, String> findCustomers(Collection<String> userIds, Instant since) {
        CustomerListParams.Created created = CustomerListParams.Created.builder().setGte(createdFrom(since)).build();
        return findByMetadata("customers of " + userIds.size() + " users", "user_id", userIds, after -> {
            CustomerListParams.Builder params = CustomerListParams.builder().setLimit(PAGE).setCreated(created);
            if (after != null) {
                params.setStartingAfter(after);
            }
            return client.v1().customers().list(params.build());
        }, Customer::getMetadata);
    }

    /**
     * The invoice item of each of these lines that exists at Stripe among the customer's items
     * created since {@code since} (less {@link #CLOCK_MARGIN}), found by {@code metadata[line_id]}.
     */
    public Map<String, String> findInvoiceItems(String customerId, Collection<String> lineIds, Instant since) {
        InvoiceItemListParams.Created created = InvoiceItemListParams.Created.builder().setGte(createdFrom(since)).build();
        return findByMetadata("invoice items of " + customerId, "line_id", lineIds, after -> {
            InvoiceItemListParams.Builder params = InvoiceItemListParams.builder().setCustomer(customerId).setLimit(PAGE).setCreated(created);
            if (after != null) {
                params.setStartingAfter(after);
            }
            return client.v1().invoiceItems().list(params.build());
        }, InvoiceItem::getMetadata);
    }

    /** The {@code created[gte]} of a look-up for requests that started at {@code since} by our clock. */
    public static long createdFrom(Instant since) {
        return Math.max(0, since.minus(CLOCK_MARGIN).getEpochSecond());
    }

    private interface PageCall<T extends HasId> {
        StripeCollection<T> page(String startingAfter) throws StripeException;
    }

    /** Pages through a list (each page one request behind the limiter) until every wanted value is found or the list ends. */
    private <T extends HasId> Map<String, String> findByMetadata(String what, String key, Collection<String> wanted, PageCall<T> pages,
            Function<T, Map<String, String>> metadata) {
        java.util.Set<String> values = java.util.Set.copyOf(wanted);
        Map<String, String> found = new HashMap<>();
        String after = null;
        boolean more = true;
        while (more && found.size() < values.size()) {
            String startingAfter = after;
            Outcome<StripeCollection<T>> page = attempt("list of " + what, () -> pages.page(startingAfter));
            if (page.refusal() != null) {
                // Not knowing what exists, nothing may be created: the step fails and says why.
                throw new StripeUnavailableException("Stripe refused the list of " + what + ": " + page.refusal(), null);
            }
            List<T> data = page.value().getData();
            for (T object : data) {
                String value = metadata.apply(object) == null ? null : metadata.apply(object).get(key);
                if (value != null && values.contains(value)) {
                    found.putIfAbsent(value, object.getId());
                }
            }
            more = Boolean.TRUE.equals(page.value().getHasMore()) && !data.isEmpty();
            after = data.isEmpty() ? null : data.get(data.size() - 1).getId();
        }
        return found;
    }

    private interface StripeCall<T> {
        T send() throws StripeException;
    }

    /** A call's result, or Stripe's reason for refusing it (a 4xx other than 409 and 429), and the attempts it took. */
    private record Outcome<T>(T value, String refusal, int attempts) {
    }

    private Answer call(String what, StripeCall<String> call) {
        Outcome<String> outcome = attempt(what, call);
        return new Answer(outcome.value(), outcome.refusal(), outcome.attempts());
    }

    private <T> Outcome<T> attempt(String what, StripeCall<T> call) {
        StripeException last = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            try {
                RequestRateLimiter.Permit permit = limiter.acquire();
                try {
                    return new Outcome<>(call.send(), null, attempt);
                } finally {
                    permit.done();
                }
            } catch (StripeException e) {
                last = e;
                if (!retryable(e)) {
                    return new Outcome<>(null, describe(e), attempt);
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
