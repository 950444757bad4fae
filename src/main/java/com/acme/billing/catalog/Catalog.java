package com.acme.billing.catalog;

import com.acme.billing.money.Money;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A validated catalog (SPEC 3): currency, grace period, the metrics and the tiers, in file order. */
public record Catalog(String currency, int gracePeriodDays, List<String> metrics, Map<String, Tier> tiers) {

    public Catalog {
        metrics = List.copyOf(metrics);
        tiers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tiers));
    }

    public Optional<Tier> tier(String name) {
        return Optional.ofNullable(tiers.get(name));
    }

    public boolean hasMetric(String metric) {
        return metrics.contains(metric);
    }

    /** Minor digits of the currency (USD 2, JPY 0, KWD 3): the scale every line is rounded to. */
    public int minorDigits() {
        return Money.minorDigits(currency);
    }
}
