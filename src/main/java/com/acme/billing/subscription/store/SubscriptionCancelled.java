package com.acme.billing.subscription.store;

import com.acme.billing.user.UserId;
import java.time.Instant;

/** A cancel was recorded (import, API, console or Stripe webhook); {@code source} says which. */
public record SubscriptionCancelled(UserId userId, Instant effectiveAt, String source) {
}
