package com.acme.billing.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One tier of a catalog version. {@code limits} holds the included quantity per month for every
 * metric; {@code overage} only the metrics that are billed beyond it.
 */
public record Tier(String name, BigDecimal monthlyPrice, int trialDays, Map<String, Long> limits,
        Map<String, OverageRule> overage, List<String> features) {

    public Tier {
        limits = Map.copyOf(limits);
        overage = Map.copyOf(overage);
        features = List.copyOf(features);
    }

    public boolean isHardLimit(String metric) {
        return !overage.containsKey(metric);
    }
}
