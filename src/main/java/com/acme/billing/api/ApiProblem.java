package com.acme.billing.api;

import java.util.List;
import org.springframework.http.HttpStatus;

/** A request the API refuses: its status, the {@code error} word, and details (messages or per-event reasons). */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String error;
    private final List<?> details;

    public ApiProblem(HttpStatus status, String error, String detail) {
        this(status, error, List.of(detail));
    }

    public ApiProblem(HttpStatus status, String error, List<?> details) {
        super(error + ": " + details);
        this.status = status;
        this.error = error;
        this.details = List.copyOf(details);
    }

    /** 404 for a user with no trial or paid plan now (never subscribed, or cancelled). */
    static ApiProblem noPlan(com.acme.billing.user.UserId user) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not_found", "user " + user.value() + " has no plan now (no subscription, or cancelled)");
    }

    public HttpStatus status() {
        return status;
    }

    public ApiError body() {
        return new ApiError(error, details);
    }

    /** Every error body of the API (SPEC 8): {@code {"error":"…","details":[…]}}. */
    public record ApiError(String error, List<?> details) {
    }
}
