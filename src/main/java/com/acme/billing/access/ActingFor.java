package com.acme.billing.access;

import com.acme.billing.user.UserId;
import java.util.Objects;

/**
 * The user a request acts for, by the one rule of the API and the console: a customer acts for the user it is bound to,
 * and may name no other; the other roles name the user, checked by {@link UserId}'s rule. Each door answers the outcomes
 * its own way (the API 403 and 400, the console "not found" and a page to pick a user), never with another rule.
 */
public record ActingFor(Outcome outcome, UserId user, String problem) {

    public enum Outcome {
        /** A customer, for its own user (named or not). */
        OWN_USER,
        /** Another role, for the valid user it named. */
        NAMED_USER,
        /** A customer that named another user. */
        OTHER_USER_REFUSED,
        /** Another role that named no user (absent or blank). */
        NO_USER_NAMED,
        /** Another role that named a user id that breaks the rule of SPEC 2 ({@link #problem()} says how). */
        INVALID_USER
    }

    public ActingFor {
        Objects.requireNonNull(outcome);
    }

    /**
     * @param role       the caller's role
     * @param boundUser  the user a customer is bound to (null for the other roles)
     * @param requested  the user the request names, as written (null when absent)
     */
    public static ActingFor resolve(Role role, String boundUser, String requested) {
        if (role == Role.CUSTOMER) {
            return requested == null || requested.equals(boundUser) ? new ActingFor(Outcome.OWN_USER, UserId.parse(boundUser), null)
                    : new ActingFor(Outcome.OTHER_USER_REFUSED, null, null);
        }
        if (requested == null || requested.isBlank()) {
            return new ActingFor(Outcome.NO_USER_NAMED, null, null);
        }
        return UserId.problem(requested).map(problem -> new ActingFor(Outcome.INVALID_USER, null, problem))
                .orElseGet(() -> new ActingFor(Outcome.NAMED_USER, UserId.parse(requested), null));
    }
}
