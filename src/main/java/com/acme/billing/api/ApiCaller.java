package com.acme.billing.api;

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
     * other (403); every other role must name one (400). Checked by the one rule of {@link UserId}.
     */
    public UserId userFor(String requested, String field) {
        if (role == Role.CUSTOMER) {
            if (requested == null || requested.equals(userId)) {
                return new UserId(userId);
            }
            throw new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "this customer key acts for user " + userId + " only");
        }
        if (requested == null || requested.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", field + ": required");
        }
        var problem = UserId.problem(requested);
        if (problem.isPresent()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", field + ": " + problem.get());
        }
        return new UserId(requested);
    }
}
