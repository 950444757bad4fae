package com.acme.billing.stripe;

import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.money.Money;
import com.acme.billing.ops.AlertRepository;
import com.acme.billing.subscription.SubscriptionAction;
import com.acme.billing.subscription.SubscriptionChange;
import com.acme.billing.subscription.SubscriptionState;
import com.acme.billing.subscription.SubscriptionTimeline;
import com.acme.billing.subscription.store.SubscriptionImport;
import com.acme.billing.subscription.store.SubscriptionRepository;
import com.acme.billing.user.UserId;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /webhooks/stripe} (SPEC 6): the signature is checked against STRIPE_WEBHOOK_SECRET with
 * a 300 s tolerance before anything else; then, in one transaction, the event is recorded under its
 * id (a replay finds it and changes nothing) together with its effects: subscription changes,
 * payment status, alerts. The 200 is sent after that transaction commits.
 *
 * <p>Events are read as plain JSON rather than through stripe-java's typed models, which give up on
 * an event whose API version differs from the library's.
 */
@Service
public class StripeWebhooks {

    public static final long TOLERANCE_SECONDS = 300;

    /** What the endpoint answers: 200 with what was done, or 400 and nothing recorded. */
    public record Outcome(int status, String message) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String secret;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final SubscriptionImport subscriptionImport;
    private final SubscriptionRepository subscriptions;
    private final CatalogRepository catalogs;
    private final AlertRepository alerts;
    private final Clock clock;

    public StripeWebhooks(@Value("${billing.stripe.webhook-secret:}") String secret, JdbcClient jdbc, TransactionTemplate tx,
            SubscriptionImport subscriptionImport, SubscriptionRepository subscriptions, CatalogRepository catalogs, AlertRepository alerts,
            Clock clock) {
        this.secret = secret;
        this.jdbc = jdbc;
        this.tx = tx;
        this.subscriptionImport = subscriptionImport;
        this.subscriptions = subscriptions;
        this.catalogs = catalogs;
        this.alerts = alerts;
        this.clock = clock;
    }

    public boolean configured() {
        return secret != null && !secret.isBlank();
    }

    public Outcome receive(String payload, String signatureHeader) {
        if (!configured()) {
            return new Outcome(503, "STRIPE_WEBHOOK_SECRET is not set: events cannot be verified");
        }
        try {
            Webhook.Signature.verifyHeader(payload, signatureHeader == null ? "" : signatureHeader, secret, TOLERANCE_SECONDS);
        } catch (SignatureVerificationException e) {
            return new Outcome(400, "signature not verified: " + e.getMessage());
        }
        JsonNode event;
        try {
            event = JSON.readTree(payload);
        } catch (RuntimeException e) {
            return new Outcome(400, "not a JSON event");
        }
        String id = event.path("id").asString("");
        String type = event.path("type").asString("");
        if (id.isEmpty() || type.isEmpty()) {
            return new Outcome(400, "not a Stripe event: id and type are required");
        }
        try {
            return tx.execute(status -> {
                if (known(id)) {
                    return new Outcome(200, "event " + id + " already handled");
                }
                Instant created = event.path("created").isNumber() ? Instant.ofEpochSecond(event.path("created").asLong()) : clock.instant();
                String outcome = apply(id, type, created, event.path("data").path("object"));
                boolean used = USED.contains(type);
                jdbc.sql("INSERT INTO webhook_events (event_id, type, created, received_at, outcome, payload) VALUES (?, ?, ?, ?, ?, ?)")
                        .params(id, type, utc(created), utc(clock.instant()), outcome.length() > 1000 ? outcome.substring(0, 999) + "…" : outcome,
                                StoredPayloads.of(event, used))
                        .update();
                return new Outcome(200, outcome);
            });
        } catch (DuplicateKeyException e) {
            // The same event delivered twice at once: the other delivery recorded it.
            return new Outcome(200, "event " + id + " already handled");
        }
    }

    private boolean known(String eventId) {
        return jdbc.sql("SELECT COUNT(*) FROM webhook_events WHERE event_id = ?").param(eventId).query(Long.class).single() > 0;
    }

    /** The event types {@link #apply} acts on: their payload is kept (without personal fields), others' is not. */
    static final java.util.Set<String> USED = java.util.Set.of("customer.subscription.created", "customer.subscription.updated",
            "customer.subscription.deleted", "invoice.paid", "invoice.payment_failed");

    private String apply(String eventId, String type, Instant created, JsonNode object) {
        return switch (type) {
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted" ->
                    subscriptionChange(eventId, type, created, object);
            case "invoice.paid" -> payment(eventId, created, object, "paid");
            case "invoice.payment_failed" -> payment(eventId, created, object, "payment_failed");
            default -> "ignored: " + type + " is not used";
        };
    }

    private String subscriptionChange(String eventId, String type, Instant created, JsonNode subscription) {
        var catalog = catalogs.latest().map(c -> c.catalog()).orElse(null);
        SubscriptionEventMapping.Result mapped = SubscriptionEventMapping.map(eventId, type, created, subscription, catalog,
                new SubscriptionEventMapping.Lookups() {
                    @Override
                    public Optional<UserId> userOfCustomer(String customerId) {
                        return Optional.ofNullable(StripeWebhooks.this.userOfCustomer(customerId)).map(UserId::parse);
                    }

                    @Override
                    public SubscriptionState stateAt(UserId user, Instant at) {
                        return SubscriptionTimeline.of(subscriptions.changesOf(user)).stateAt(at);
                    }
                });
        return switch (mapped.kind()) {
            case IGNORED, UNCHANGED -> mapped.message();
            case REFUSED -> refuse(eventId, mapped.user(), mapped.message());
            case APPLY -> record(eventId, mapped.change());
        };
    }

    private String record(String eventId, SubscriptionChange change) {
        UserId user = change.userId();
        String refusal = subscriptionImport.apply(change);
        if (refusal != null) {
            return refuse(eventId, user, change.action().wire() + " at " + change.effectiveAt() + " cannot apply: " + refusal);
        }
        if (change.stripeCustomerId() != null) {
            rememberCustomer(user, change.stripeCustomerId());
        }
        // a cancel raises subscription_cancelled where every recorded cancel does (ops.CancellationAlerts)
        return "recorded " + change.action().wire() + (change.tier().isEmpty() ? "" : " " + change.tier()) + " for " + user + " at "
                + change.effectiveAt();
    }

    /** @param user null when the event names no valid user (the id itself may be what is refused) */
    private String refuse(String eventId, UserId user, String reason) {
        alerts.raise("webhook_refused", user == null ? null : user.value(), null, clock.instant(),
                "Stripe event " + eventId + (user == null ? "" : " for " + user) + " not applied: " + reason,
                "stripe webhook " + eventId, "webhook_refused:" + eventId);
        return "refused: " + reason;
    }

    private String payment(String eventId, Instant created, JsonNode invoice, String status) {
        String stripeInvoice = text(invoice.path("id"));
        PaymentSubject subject = subjectOf(invoice);
        List<String> known = subject.invoiceIds();
        String user = subject.userId();
        List<String> updated = new ArrayList<>();
        for (String id : known) {
            if (recordPayment(id, status, stripeInvoice, eventId, created)) {
                updated.add(id);
            }
        }
        if (status.equals("payment_failed")) {
            String amount = amount(invoice.path("amount_due"), text(invoice.path("currency")));
            String attempt = invoice.path("attempt_count").isNumber() ? ", attempt " + invoice.path("attempt_count").asLong() : "";
            String message = "payment failed for " + (known.isEmpty() ? "Stripe invoice " + stripeInvoice : String.join(", ", known))
                    + " (Stripe invoice " + stripeInvoice + (amount == null ? "" : ", " + amount + " due") + attempt + ")";
            alerts.raise("payment_failed", user, known.isEmpty() ? null : known.get(0), created, message, "stripe webhook " + eventId,
                    "payment_failed:" + eventId);
        }
        if (known.isEmpty()) {
            return (status.equals("paid") ? "paid" : "payment failed") + ": Stripe invoice " + stripeInvoice + " holds no invoice of ours";
        }
        return status + ": " + String.join(", ", known) + (updated.size() < known.size() ? " (an event newer than this one was already applied)" : "");
    }

    /** Sets the payment status unless an event created later already set it (Stripe does not deliver in order). */
    private boolean recordPayment(String invoiceId, String status, String stripeInvoice, String eventId, Instant created) {
        List<OffsetDateTime> existing = jdbc.sql("SELECT event_created FROM invoice_payments WHERE invoice_id = ?").param(invoiceId)
                .query(OffsetDateTime.class).list();
        if (existing.isEmpty()) {
            jdbc.sql("INSERT INTO invoice_payments (invoice_id, status, stripe_invoice_id, event_id, event_created, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)").params(invoiceId, status, stripeInvoice, eventId, utc(created), utc(clock.instant())).update();
            return true;
        }
        if (existing.get(0).toInstant().isAfter(created)) {
            return false;
        }
        jdbc.sql("UPDATE invoice_payments SET status = ?, stripe_invoice_id = ?, event_id = ?, event_created = ?, updated_at = ? WHERE invoice_id = ?")
                .params(status, stripeInvoice, eventId, utc(created), utc(clock.instant()), invoiceId).update();
        return true;
    }

    /** Our invoices a Stripe invoice pays (from its and its lines' metadata), and whose they are. */
    public record PaymentSubject(List<String> invoiceIds, String userId) {
    }

    /**
     * Whom a Stripe invoice object is about: our invoice ids in its metadata (and its lines'), and the
     * user of those invoices, else the user of its Stripe customer (null when neither is known).
     * Used by the payment webhooks and by analytics' payment success rate per tier.
     */
    public PaymentSubject subjectOf(JsonNode invoice) {
        Set<String> ours = new LinkedHashSet<>();
        String direct = text(invoice.path("metadata").path("invoice_id"));
        if (direct != null) {
            ours.add(direct);
        }
        for (JsonNode line : invoice.path("lines").path("data")) {
            String id = text(line.path("metadata").path("invoice_id"));
            if (id != null) {
                ours.add(id);
            }
        }
        List<String> known = new ArrayList<>();
        String user = null;
        for (String id : ours) {
            List<String> users = jdbc.sql("SELECT user_id FROM invoices WHERE invoice_id = ?").param(id).query(String.class).list();
            if (!users.isEmpty()) {
                known.add(id);
                user = users.get(0);
            }
        }
        if (user == null && text(invoice.path("customer")) != null) {
            user = userOfCustomer(text(invoice.path("customer")));
        }
        return new PaymentSubject(List.copyOf(known), user);
    }

    private String userOfCustomer(String customer) {
        List<String> users = jdbc.sql("SELECT user_id FROM stripe_customers WHERE customer_id = ? UNION SELECT user_id FROM subscriptions "
                + "WHERE stripe_customer_id = ?").params(customer, customer).query(String.class).list();
        return users.size() == 1 ? users.get(0) : null;
    }

    private void rememberCustomer(UserId user, String customer) {
        if (jdbc.sql("SELECT COUNT(*) FROM stripe_customers WHERE user_id = ?").param(user.value()).query(Long.class).single() == 0) {
            jdbc.sql("INSERT INTO stripe_customers (user_id, customer_id, source, recorded_at) VALUES (?, ?, 'webhook', ?)")
                    .params(user.value(), customer, utc(clock.instant())).update();
        }
    }

    private static String amount(JsonNode minor, String currency) {
        if (!minor.isNumber() || currency == null) {
            return null;
        }
        try {
            Currency c = Currency.getInstance(currency.toUpperCase(Locale.ROOT));
            return Money.ofMinor(minor.asLong(), c).toPlainString() + " " + c.getCurrencyCode();
        } catch (IllegalArgumentException e) {
            return minor.asLong() + " " + currency;
        }
    }

    private static String text(JsonNode node) {
        return node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
