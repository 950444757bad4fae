package com.acme.billing.rating;

import com.acme.billing.subscription.SubscriptionState;
import java.time.Instant;

/** A stretch {@code [start, end)} of a billing period in which a user's subscription state does not change. */
public record Segment(Instant start, Instant end, SubscriptionState state) {

    public long seconds() {
        return end.getEpochSecond() - start.getEpochSecond();
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }
}
