package com.acme.billing.catalog;

import com.acme.billing.money.Money;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated catalog (SPEC 3): currency, grace period, the metrics and the tiers, in file order, and
 * the features tied to a metric ({@code feature_metrics}, SPEC 8: such a feature stops at a hard limit).
 */
public record Catalog(String currency, int gracePeriodDays, List<String> metrics, Map<String, Tier> tiers, Map<String, String> featureMetrics) {

    public Catalog {
        metrics = List.copyOf(metrics);
        tiers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tiers));
        featureMetrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(featureMetrics));
    }

    public Catalog(String currency, int gracePeriodDays, List<String> metrics, Map<String, Tier> tiers) {
        this(currency, gracePeriodDays, metrics, tiers, Map.of());
    }

    /** The metric a feature is tied to, if any. */
    public Optional<String> metricOf(String feature) {
        return Optional.ofNullable(featureMetrics.get(feature));
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
