package com.acme.billing.catalog;

import com.acme.billing.platform.InputRefusedException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads and validates a catalog file (SPEC 3). Every problem is collected with the key it concerns
 * (for example {@code tiers.starter.overage.leads_created.graduated[1].up_to}) and the whole file is
 * refused if there is any: a catalog is never half imported.
 */
public final class CatalogParser {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

    /** Prices are stored as NUMERIC(19, 6): six decimals and thirteen digits before the point. */
    static final int PRICE_DECIMALS = 6;
    static final int PRICE_INTEGER_DIGITS = 19 - PRICE_DECIMALS;

    private final String source;
    private final List<String> problems = new ArrayList<>();

    private CatalogParser(String source) {
        this.source = source;
    }

    public static Catalog parse(String yamlText, String source) {
        return new CatalogParser(source).parse(yamlText);
    }

    private Catalog parse(String yamlText) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
        } catch (YAMLException e) {
            throw new InputRefusedException(source + ": not readable as YAML: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new InputRefusedException(source + ": a catalog is a YAML mapping with currency, metrics and tiers");
        }
        for (Object key : map.keySet()) {
            if (!List.of("currency", "grace_period_days", "metrics", "tiers", "feature_metrics").contains(String.valueOf(key))) {
                problem(String.valueOf(key), "unknown key");
            }
        }
        String currency = currency(map.get("currency"));
        int grace = nonNegativeInt(map.get("grace_period_days"), "grace_period_days", 0);
        List<String> metrics = metrics(map.get("metrics"));
        Map<String, Tier> tiers = tiers(map.get("tiers"), metrics);
        Map<String, String> featureMetrics = featureMetrics(map.get("feature_metrics"), metrics, tiers);
        if (!problems.isEmpty()) {
            throw new InputRefusedException(source + ": catalog refused, nothing imported:\n  " + String.join("\n  ", problems));
        }
        return new Catalog(currency, grace, metrics, tiers, featureMetrics);
    }

    /** {@code feature_metrics: {feature: metric}}: a feature some tier lists, tied to a metric of the catalog. */
    private Map<String, String> featureMetrics(Object value, List<String> metrics, Map<String, Tier> tiers) {
        Map<String, String> featureMetrics = new java.util.LinkedHashMap<>();
        if (value == null) {
            return featureMetrics;
        }
        if (!(value instanceof Map<?, ?> map)) {
            problem("feature_metrics", "a mapping of feature name to metric");
            return featureMetrics;
        }
        java.util.Set<String> features = new java.util.HashSet<>();
        tiers.values().forEach(t -> features.addAll(t.features()));
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String feature = String.valueOf(entry.getKey());
            String metric = String.valueOf(entry.getValue());
            if (!features.contains(feature)) {
                problem("feature_metrics." + feature, "no tier lists the feature '" + feature + "'");
            } else if (!metrics.contains(metric)) {
                problem("feature_metrics." + feature, "'" + metric + "' is not one of the metrics (" + String.join(", ", metrics) + ")");
            } else {
                featureMetrics.put(feature, metric);
            }
        }
        return featureMetrics;
    }

    private void problem(String key, String reason) {
        problems.add(key + ": " + reason);
    }

    private String currency(Object value) {
        if (value == null) {
            problem("currency", "missing (an ISO 4217 code such as USD)");
            return "USD";
        }
        String code = String.valueOf(value);
        try {
            if (!code.equals(code.toUpperCase()) || code.length() != 3) {
                throw new IllegalArgumentException();
            }
            Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            problem("currency", "'" + code + "' is not an ISO 4217 currency code");
        }
        return code;
    }

    private List<String> metrics(Object value) {
        List<String> metrics = new ArrayList<>();
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            problem("metrics", "missing or empty (a list of metric names)");
            return metrics;
        }
        for (int i = 0; i < list.size(); i++) {
            String name = String.valueOf(list.get(i));
            if (!NAME.matcher(name).matches()) {
                problem("metrics[" + i + "]", "'" + name + "' is not a metric name ([a-z][a-z0-9_-]*)");
            } else if (metrics.contains(name)) {
                problem("metrics[" + i + "]", "'" + name + "' is listed twice");
            } else {
                metrics.add(name);
            }
        }
        return metrics;
    }

    private Map<String, Tier> tiers(Object value, List<String> metrics) {
        Map<String, Tier> tiers = new LinkedHashMap<>();
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            problem("tiers", "missing or empty (a mapping of tier name to tier)");
            return tiers;
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String name = String.valueOf(entry.getKey());
            String key = "tiers." + name;
            if (!NAME.matcher(name).matches()) {
                problem(key, "'" + name + "' is not a tier name ([a-z][a-z0-9_-]*)");
                continue;
            }
            if (!(entry.getValue() instanceof Map<?, ?> tier)) {
                problem(key, "a tier is a mapping with monthly_price and limits");
                continue;
            }
            tiers.put(name, tier(key, name, tier, metrics));
        }
        return tiers;
    }

    private Tier tier(String key, String name, Map<?, ?> tier, List<String> metrics) {
        for (Object k : tier.keySet()) {
            if (!List.of("monthly_price", "trial_days", "limits", "overage", "features").contains(String.valueOf(k))) {
                problem(key + "." + k, "unknown key");
            }
        }
        BigDecimal price = price(tier.get("monthly_price"), key + ".monthly_price", true);
        int trialDays = nonNegativeInt(tier.get("trial_days"), key + ".trial_days", 0);
        Map<String, Long> limits = new LinkedHashMap<>();
        if (!(tier.get("limits") instanceof Map<?, ?> limitMap)) {
            problem(key + ".limits", "missing (every tier names a limit for every metric)");
        } else {
            for (Map.Entry<?, ?> e : limitMap.entrySet()) {
                String metric = String.valueOf(e.getKey());
                if (!metrics.contains(metric)) {
                    problem(key + ".limits." + metric, "unknown metric (not in metrics)");
                    continue;
                }
                limits.put(metric, nonNegativeLong(e.getValue(), key + ".limits." + metric));
            }
            for (String metric : metrics) {
                if (!limitMap.containsKey(metric)) {
                    problem(key + ".limits." + metric, "missing (every tier names a limit for every metric)");
                }
            }
        }
        Map<String, OverageRule> overage = new LinkedHashMap<>();
        Object overageValue = tier.get("overage");
        if (overageValue != null) {
            if (!(overageValue instanceof Map<?, ?> overageMap)) {
                problem(key + ".overage", "a mapping of metric to overage rule");
            } else {
                for (Map.Entry<?, ?> e : overageMap.entrySet()) {
                    String metric = String.valueOf(e.getKey());
                    String ruleKey = key + ".overage." + metric;
                    if (!metrics.contains(metric)) {
                        problem(ruleKey, "unknown metric (not in metrics)");
                        continue;
                    }
                    OverageRule rule = rule(e.getValue(), ruleKey);
                    if (rule != null) {
                        overage.put(metric, rule);
                    }
                }
            }
        }
        List<String> features = new ArrayList<>();
        Object featureValue = tier.get("features");
        if (featureValue != null) {
            if (!(featureValue instanceof List<?> list)) {
                problem(key + ".features", "a list of feature names");
            } else {
                LinkedHashSet<String> seen = new LinkedHashSet<>();
                for (int i = 0; i < list.size(); i++) {
                    String feature = String.valueOf(list.get(i));
                    if (!NAME.matcher(feature).matches()) {
                        problem(key + ".features[" + i + "]", "'" + feature + "' is not a feature name");
                    } else if (!seen.add(feature)) {
                        problem(key + ".features[" + i + "]", "'" + feature + "' is listed twice");
                    }
                }
                features.addAll(seen);
            }
        }
        return new Tier(name, price == null ? BigDecimal.ZERO : price, trialDays, limits, overage, features);
    }

    private OverageRule rule(Object value, String key) {
        if (!(value instanceof Map<?, ?> rule)) {
            problem(key, "an overage rule is {unit_price}, {package_size, package_price} or {graduated: [...]}");
            return null;
        }
        boolean unit = rule.containsKey("unit_price");
        boolean pack = rule.containsKey("package_size") || rule.containsKey("package_price");
        boolean graduated = rule.containsKey("graduated");
        if ((unit ? 1 : 0) + (pack ? 1 : 0) + (graduated ? 1 : 0) != 1) {
            problem(key, "exactly one of unit_price, package_size + package_price, graduated");
            return null;
        }
        for (Object k : rule.keySet()) {
            if (!List.of("unit_price", "package_size", "package_price", "graduated").contains(String.valueOf(k))) {
                problem(key + "." + k, "unknown key");
            }
        }
        if (unit) {
            BigDecimal price = price(rule.get("unit_price"), key + ".unit_price", true);
            return price == null ? null : new OverageRule.UnitPrice(price);
        }
        if (pack) {
            long size = nonNegativeLong(rule.get("package_size"), key + ".package_size");
            if (size == 0) {
                problem(key + ".package_size", "must be at least 1");
            }
            BigDecimal price = price(rule.get("package_price"), key + ".package_price", true);
            return price == null || size <= 0 ? null : new OverageRule.PackagePrice(size, price);
        }
        if (!(rule.get("graduated") instanceof List<?> bands) || bands.isEmpty()) {
            problem(key + ".graduated", "a non-empty list of bands {up_to, unit_price}, the last without up_to");
            return null;
        }
        List<OverageRule.Band> result = new ArrayList<>();
        long previous = 0;
        int before = problems.size();
        for (int i = 0; i < bands.size(); i++) {
            String bandKey = key + ".graduated[" + i + "]";
            if (!(bands.get(i) instanceof Map<?, ?> band)) {
                problem(bandKey, "a band is {up_to, unit_price}");
                continue;
            }
            BigDecimal price = price(band.get("unit_price"), bandKey + ".unit_price", true);
            Long upTo = null;
            boolean last = i == bands.size() - 1;
            if (band.get("up_to") == null) {
                if (!last) {
                    problem(bandKey + ".up_to", "missing: only the last band is open-ended (bands out of order)");
                }
            } else {
                upTo = nonNegativeLong(band.get("up_to"), bandKey + ".up_to");
                if (upTo <= previous) {
                    problem(bandKey + ".up_to", "bands out of order: " + upTo + " is not above the previous band's " + previous);
                }
                if (last) {
                    problem(bandKey + ".up_to", "the last band must be open-ended (no up_to), or usage beyond it has no price");
                }
                previous = upTo;
            }
            result.add(new OverageRule.Band(upTo, price == null ? BigDecimal.ZERO : price));
        }
        return problems.size() == before ? new OverageRule.Graduated(result) : null;
    }

    private BigDecimal price(Object value, String key, boolean required) {
        if (value == null) {
            if (required) {
                problem(key, "missing");
            }
            return null;
        }
        if (value instanceof Double || value instanceof Float) {
            problem(key, "write prices as quoted decimal strings (\"" + value + "\"), binary floating point is not exact");
            return null;
        }
        try {
            BigDecimal price = new BigDecimal(String.valueOf(value).trim());
            if (price.signum() < 0) {
                problem(key, "negative price " + price);
                return null;
            }
            // The column would round a seventh decimal away without a word: refuse what cannot be stored exactly.
            BigDecimal exact = price.stripTrailingZeros();
            if (exact.scale() > PRICE_DECIMALS) {
                problem(key, "'" + value + "' has " + exact.scale() + " decimals; a price has at most " + PRICE_DECIMALS);
                return null;
            }
            if (exact.precision() - exact.scale() > PRICE_INTEGER_DIGITS) {
                problem(key, "'" + value + "' is too large; a price has at most " + PRICE_INTEGER_DIGITS + " digits before the decimal point");
                return null;
            }
            return price;
        } catch (NumberFormatException e) {
            problem(key, "'" + value + "' is not a decimal number");
            return null;
        }
    }

    private int nonNegativeInt(Object value, String key, int defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        long v = nonNegativeLong(value, key);
        if (v > Integer.MAX_VALUE) {
            problem(key, "too large");
            return defaultValue;
        }
        return (int) v;
    }

    private long nonNegativeLong(Object value, String key) {
        if (value instanceof Integer || value instanceof Long) {
            long v = ((Number) value).longValue();
            if (v < 0) {
                problem(key, "must not be negative (" + v + ")");
                return 0;
            }
            return v;
        }
        if (value == null) {
            problem(key, "missing");
        } else {
            problem(key, "'" + value + "' is not a whole number");
        }
        return 0;
    }
}
