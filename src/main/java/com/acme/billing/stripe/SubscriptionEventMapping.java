package com.acme.billing.stripe;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.subscription.SubscriptionAction;
import com.acme.billing.subscription.SubscriptionChange;
import com.acme.billing.subscription.SubscriptionState;
import com.acme.billing.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What a {@code customer.subscription.created|updated|deleted} event means for our subscriptions: a
 * change to apply, nothing, or a refusal with its reason. Pure (the two things it must know about our
 * state come through {@link Lookups}), so hostile events are tested without a server or a database.
 */
final class SubscriptionEventMapping {

    /** The Unix-seconds fields of a subscription that become instants of a change. */
    static final List<String> INSTANT_FIELDS = List.of("start_date", "trial_start", "trial_end", "ended_at", "canceled_at");

    enum Kind { APPLY, UNCHANGED, IGNORED, REFUSED }

    /**
     * {@code change} is set for APPLY; {@code user} is the user the event is about when known and valid
     * (null when the id is the problem); {@code message} says why for the other kinds.
     */
    record Result(Kind kind, SubscriptionChange change, UserId user, String message) {

        static Result apply(SubscriptionChange change) {
            return new Result(Kind.APPLY, change, change.userId(), null);
        }

        static Result unchanged(UserId user, String message) {
            return new Result(Kind.UNCHANGED, null, user, message);
        }

        static Result ignored(String message) {
            return new Result(Kind.IGNORED, null, null, message);
        }

        static Result refused(UserId user, String reason) {
            return new Result(Kind.REFUSED, null, user, reason);
        }
    }

    /** Our side of the mapping: who a Stripe customer is, and where a user stands at an instant. */
    interface Lookups {
        Optional<UserId> userOfCustomer(String customerId);

        SubscriptionState stateAt(UserId user, Instant at);
    }

    private SubscriptionEventMapping() {
    }

    /**
     * @param created the event's creation instant: the effective instant of an update
     * @param catalog the latest catalog, or null when none was imported
     */
    static Result map(String eventId, String type, Instant created, JsonNode subscription, Catalog catalog, Lookups lookups) {
        String customer = text(subscription.path("customer"));
        JsonNode userField = subscription.path("metadata").path("user_id");
        UserId user;
        // Stripe deletes a metadata key set to "", so an empty value is the same as no value.
        if (userField.isMissingNode() || userField.isNull() || (userField.isString() && userField.asString().isEmpty())) {
            user = customer == null ? null : lookups.userOfCustomer(customer).orElse(null);
            if (user == null) {
                return Result.ignored("ignored: no metadata.user_id, and customer " + UserId.quote(customer) + " is not one of ours");
            }
        } else if (!userField.isString()) {
            return Result.refused(null, "metadata.user_id is not a string");
        } else {
            Optional<String> problem = UserId.problem(userField.asString());
            if (problem.isPresent()) {
                return Result.refused(null, "metadata.user_id " + UserId.quote(userField.asString()) + " is not a user id: " + problem.get()
                        + " (" + UserId.RULE + ")");
            }
            user = UserId.parse(userField.asString());
        }
        // Stripe sends whole Unix seconds; anything else would be cut, and line ids are cut to seconds too.
        for (String field : INSTANT_FIELDS) {
            JsonNode value = subscription.path(field);
            if (!value.isMissingNode() && !value.isNull() && !(value.isIntegralNumber() && value.canConvertToLong())) {
                return Result.refused(user, field + " is not whole Unix seconds");
            }
        }
        String tier = text(subscription.path("items").path("data").path(0).path("price").path("lookup_key"));
        String status = text(subscription.path("status"));
        String source = "stripe webhook " + eventId;
        boolean ending = type.equals("customer.subscription.deleted") || "canceled".equals(status) || "incomplete_expired".equals(status);
        if (ending) {
            Instant at = firstInstant(subscription, created, "ended_at", "canceled_at");
            return Result.apply(new SubscriptionChange(user, at, SubscriptionAction.CANCEL, "", customer, null, 0, source));
        }
        if (tier == null) {
            return Result.refused(user, "no price lookup_key on the subscription's first item: the tier is unknown");
        }
        if (catalog == null || catalog.tier(tier).isEmpty()) {
            return Result.refused(user, "price lookup_key " + UserId.quote(tier) + " is not a tier of the catalog");
        }
        boolean trialing = "trialing".equals(status);
        Instant at = type.equals("customer.subscription.created")
                ? firstInstant(subscription, created, trialing ? "trial_start" : "start_date", "start_date") : created;
        SubscriptionState now = lookups.stateAt(user, at);
        if (now.status() != SubscriptionState.Status.NONE && tier.equals(now.tier())) {
            return Result.unchanged(user, "no change: " + user + " is already on " + tier);
        }
        SubscriptionAction action;
        Instant trialEnds = null;
        if (now.status() == SubscriptionState.Status.NONE && trialing) {
            action = SubscriptionAction.TRIAL;
            trialEnds = firstInstant(subscription, null, "trial_end");
            if (trialEnds == null) {
                return Result.refused(user, "a trialing subscription without trial_end");
            }
        } else {
            action = now.status() == SubscriptionState.Status.NONE ? SubscriptionAction.SUBSCRIBE : SubscriptionAction.CHANGE;
        }
        return Result.apply(new SubscriptionChange(user, at, action, tier, customer, trialEnds, 0, source));
    }

    private static Instant firstInstant(JsonNode object, Instant fallback, String... fields) {
        for (String field : fields) {
            if (object.path(field).isIntegralNumber()) {
                return Instant.ofEpochSecond(object.path(field).asLong());
            }
        }
        return fallback;
    }

    static String text(JsonNode node) {
        return node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }
}
