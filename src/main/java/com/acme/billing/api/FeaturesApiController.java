package com.acme.billing.api;

import com.acme.billing.catalog.Tier;
import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.user.UserId;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.tracking.CurrentUsage;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.PostMapping;
import tools.jackson.databind.JsonNode;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/features}: what a tier offers (the seed's {@code FeatureGate}). */
@RestController
class FeaturesApiController {

    private final CatalogRepository catalogs;
    private final JdbcClient jdbc;
    private final CurrentUsage currentUsage;
    private final Clock clock;

    FeaturesApiController(CatalogRepository catalogs, JdbcClient jdbc, CurrentUsage currentUsage, Clock clock) {
        this.catalogs = catalogs;
        this.jdbc = jdbc;
        this.currentUsage = currentUsage;
        this.clock = clock;
    }

    record Feature(String name, boolean enabled, String metric, Long usageLimit) {
    }

    record Available(String tier, List<Feature> features) {
    }

    /** By {@code tier}, or by {@code user_id} (the user's tier now); a customer key: its own user's tier. */
    @GetMapping("/api/features/available")
    Available available(@AuthenticationPrincipal ApiCaller caller, @RequestParam(name = "user_id", required = false) String userId,
            @RequestParam(name = "tier", required = false) String tierName) {
        var catalog = catalogs.latest().orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "not_found", "no catalog imported"))
                .catalog();
        String name = tierName;
        if (name == null || caller.role() == com.acme.billing.access.Role.CUSTOMER) {
            UserId user = caller.userFor(userId, "user_id");
            name = currentUsage.tierNow(user).orElseThrow(() -> ApiProblem.noPlan(user));
        }
        Tier tier = catalog.tiers().get(name);
        if (tier == null) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "tier: no tier '" + name + "' in the catalog");
        }
        return new Available(tier.name(), tier.features().stream().map(f -> {
            String metric = catalog.metricOf(f).orElse(null);
            return new Feature(f, true, metric, metric == null ? null : tier.limits().get(metric));
        }).toList());
    }

    record Check(boolean allowed, String reason, String tier) {
    }

    /**
     * SPEC 8: 200 for every user. {@code no_subscription} without a trial or paid plan now;
     * {@code not_in_tier}; {@code limit_reached} when the feature's metric is a hard limit of the tier and
     * the month's usage has reached the prorated included quantity; else {@code ok}. A feature no tier
     * offers is a 400 (a typo should not read as "not in your tier").
     */
    @PostMapping("/api/features/check")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = ApiRequests.FeatureCheck.class)))
    Check check(@AuthenticationPrincipal ApiCaller caller, HttpServletRequest request) {
        JsonNode body = ApiJson.object(request);
        ApiJson.only(body, Set.of("user_id", "feature"));
        UserId user = caller.userFor(ApiJson.string(body, "user_id"), "user_id");
        String feature = ApiJson.string(body, "feature");
        var catalog = catalogs.latest().orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "not_found", "no catalog imported")).catalog();
        if (feature == null || catalog.tiers().values().stream().noneMatch(t -> t.features().contains(feature))) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "feature: " + (feature == null ? "required" : "no tier offers '" + feature + "'"));
        }
        // The plan first (one query); the month's usage only for a feature that stops at a hard limit.
        var changes = currentUsage.changesNow(user);
        var plan = currentUsage.planNow(changes);
        if (plan.status() == com.acme.billing.subscription.SubscriptionState.Status.NONE || plan.tier() == null) {
            return new Check(false, "no_subscription", null);
        }
        Tier tier = catalog.tiers().get(plan.tier());
        if (tier == null || !tier.features().contains(feature)) {
            return new Check(false, "not_in_tier", plan.tier());
        }
        String metric = catalog.metricOf(feature).orElse(null);
        if (metric != null && tier.isHardLimit(metric)) {
            var month = currentUsage.of(user, BillingPeriod.containing(clock.instant()), changes, catalog).orElse(null);
            var usage = month == null ? null : month.metrics().stream().filter(m -> m.metric().equals(metric)).findFirst().orElse(null);
            if (usage != null && usage.used() >= usage.included()) {
                return new Check(false, "limit_reached", plan.tier());
            }
        }
        return new Check(true, "ok", plan.tier());
    }
}
