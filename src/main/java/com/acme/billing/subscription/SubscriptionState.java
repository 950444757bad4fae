package com.acme.billing.subscription;

import java.time.Instant;

/** What a user has at an instant: nothing, a free trial of a tier, or a paid tier. */
public record SubscriptionState(Status status, String tier, Instant trialEndsAt) {

    public enum Status { NONE, TRIAL, PAID }

    public static final SubscriptionState NONE = new SubscriptionState(Status.NONE, null, null);

    public static SubscriptionState trial(String tier, Instant endsAt) {
        return new SubscriptionState(Status.TRIAL, tier, endsAt);
    }

    public static SubscriptionState paid(String tier) {
        return new SubscriptionState(Status.PAID, tier, null);
    }

    /** SPEC 4: a change that leaves status and tier as they were changes nothing. */
    public boolean sameAs(SubscriptionState other) {
        return status == other.status && java.util.Objects.equals(tier, other.tier);
    }
}
