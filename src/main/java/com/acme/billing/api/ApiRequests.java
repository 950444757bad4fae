package com.acme.billing.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The request bodies, as the OpenAPI document shows them. The controllers read bodies field by field
 * ({@link ApiJson}) so that a refusal names its field; these records are their description.
 */
final class ApiRequests {

    private ApiRequests() {
    }

    @Schema(description = "One usage event (SPEC 2's fields); timestamp defaults to now")
    record TrackEvent(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 128) String eventId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String userId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String metric,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1000000000") long quantity,
            @Schema(description = "ISO-8601 instant; at most 5 minutes ahead; absent: now, and a repeat of a known event_id without it is compared on user, metric and quantity only") String timestamp) {
    }

    @Schema(description = "A batch of 1 to 1,000 events, taken whole or refused whole")
    record TrackBatch(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "1 to 1,000 events") List<TrackEvent> events) {
    }

    record Subscribe(@Schema(description = "required unless a customer key") String userId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String tier, boolean trial, String stripeCustomerId) {
    }

    record PlanChange(@Schema(description = "required unless a customer key") String userId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String tier) {
    }

    record FeatureCheck(@Schema(description = "required unless a customer key") String userId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String feature) {
    }
}
