package com.acme.billing.ops;

import com.acme.billing.subscription.store.SubscriptionCancelled;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code subscription_cancelled} (SPEC 10), once per user and instant, for every cancel recorded:
 * imported, through the API or the console, or from a Stripe webhook. Raised in the transaction that
 * records the cancel (the event is published synchronously).
 */
@Component
public class CancellationAlerts {

    private final AlertRepository alerts;

    public CancellationAlerts(AlertRepository alerts) {
        this.alerts = alerts;
    }

    @EventListener
    public void on(SubscriptionCancelled cancelled) {
        String user = cancelled.userId().value();
        alerts.raise("subscription_cancelled", user, null, cancelled.effectiveAt(),
                user + " cancelled at " + cancelled.effectiveAt() + (cancelled.source() == null ? "" : " (" + cancelled.source() + ")"),
                cancelled.source(), "subscription_cancelled:" + user + ":" + cancelled.effectiveAt());
    }
}
