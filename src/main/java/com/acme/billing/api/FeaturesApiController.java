package com.acme.billing.api;

import com.acme.billing.catalog.Tier;
import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.user.UserId;
import java.util.List;
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

    FeaturesApiController(CatalogRepository catalogs, JdbcClient jdbc) {
        this.catalogs = catalogs;
        this.jdbc = jdbc;
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
            name = jdbc.sql("SELECT tier FROM subscriptions WHERE user_id = ?").param(user.value()).query(String.class).optional()
                    .orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "not_found", "no subscription known for user " + user.value()));
        }
        Tier tier = catalog.tiers().get(name);
        if (tier == null) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "tier: no tier '" + name + "' in the catalog");
        }
        return new Available(tier.name(), tier.features().stream().map(f -> new Feature(f, true, null, null)).toList());
    }
}
