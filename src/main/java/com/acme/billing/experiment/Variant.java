package com.acme.billing.experiment;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.OverageRule;
import com.acme.billing.catalog.Tier;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** One arm of an experiment: its weight in basis points and its overrides of the catalog's tiers. */
public record Variant(String name, int weight, Map<String, TierOverride> overrides) {

    /**
     * What a variant changes on one tier, for its users: the monthly price, the trial length of the
     * trials they start, and metrics' overage rules replaced by a unit price. Null / empty: unchanged.
     */
    public record TierOverride(BigDecimal monthlyPrice, Integer trialDays, Map<String, BigDecimal> overageUnitPrices) {
        public TierOverride {
            overageUnitPrices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overageUnitPrices));
        }
    }

    public Variant {
        overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /** The catalog as this variant's users see it: overridden tiers replaced, everything else the same. */
    public Catalog applyTo(Catalog catalog) {
        if (overrides.isEmpty()) {
            return catalog;
        }
        Map<String, Tier> tiers = new LinkedHashMap<>(catalog.tiers());
        overrides.forEach((name, o) -> tiers.computeIfPresent(name, (n, tier) -> {
            Map<String, OverageRule> overage = new LinkedHashMap<>(tier.overage());
            o.overageUnitPrices().forEach((metric, unitPrice) -> overage.put(metric, new OverageRule.UnitPrice(unitPrice)));
            return new Tier(tier.name(), o.monthlyPrice() == null ? tier.monthlyPrice() : o.monthlyPrice(),
                    o.trialDays() == null ? tier.trialDays() : o.trialDays(), tier.limits(), overage, tier.features());
        }));
        return new Catalog(catalog.currency(), catalog.gracePeriodDays(), catalog.metrics(), tiers, catalog.featureMetrics());
    }
}
