package com.acme.billing.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Request bodies read by hand, so that every refusal names its field (SPEC 8: 400 naming the field, 413 over 1 MiB). */
final class ApiJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ApiJson() {
    }

    static JsonNode object(HttpServletRequest request) {
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (ApiBodyLimitFilter.TooLarge e) {
            throw new ApiProblem(HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large", "the body is over 1 MiB (1,048,576 bytes)");
        } catch (IOException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "the body could not be read");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "the body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "the body must be one JSON object");
        }
        return root;
    }

    /** Refuses fields the endpoint does not take. */
    static void only(JsonNode object, Set<String> fields) {
        for (String field : object.propertyNames()) {
            if (!fields.contains(field)) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "unknown field '" + field + "'");
            }
        }
    }

    /** A string field, or null when absent or null; any other type is refused naming the field. */
    static String string(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", field + ": a string");
        }
        return value.stringValue();
    }

    static boolean bool(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", field + ": true or false");
        }
        return value.booleanValue();
    }

    /** A {@code period} parameter: a month {@code YYYY-MM}, else 400 naming the field. */
    static com.acme.billing.period.BillingPeriod period(String text) {
        try {
            return com.acme.billing.period.BillingPeriod.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(org.springframework.http.HttpStatus.BAD_REQUEST, "bad_request", "period: not a month YYYY-MM");
        }
    }
}
