package com.acme.billing.api;

import com.acme.billing.access.ActingFor;
import com.acme.billing.access.ApiKeys;
import com.acme.billing.access.Role;
import com.acme.billing.user.UserId;
import org.springframework.http.HttpStatus;

/** Who calls the API: the key's id, its role and, for a customer key, the one user it acts for. */
public record ApiCaller(long keyId, Role role, String userId) {

    static ApiCaller of(ApiKeys.ApiKey key) {
        return new ApiCaller(key.id(), key.role(), key.userId());
    }

    /**
     * The user a request is about. A customer key may leave it out (its own user) and may name no
     * other (403); every other role must name one (400). The rule is {@link ActingFor}'s, as the console's.
     */
    public UserId userFor(String requested, String field) {
        ActingFor actingFor = ActingFor.resolve(role, userId, requested);
        return switch (actingFor.outcome()) {
            case OWN_USER, NAMED_USER -> actingFor.user();
            case OTHER_USER_REFUSED -> throw new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "this customer key acts for user " + userId + " only");
            case NO_USER_NAMED -> throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", field + ": required");
            case INVALID_USER -> throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", field + ": " + actingFor.problem());
        };
    }
}
