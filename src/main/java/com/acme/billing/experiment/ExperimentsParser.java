package com.acme.billing.experiment;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.Tier;
import com.acme.billing.platform.InputRefusedException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads an experiments file (SPEC 9) and checks it against the catalog: any problem refuses the
 * whole file, every problem named by its key ({@code experiments[0].variants[1].weight}).
 */
public final class ExperimentsParser {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final String source;
    private final Catalog catalog;
    private final List<String> problems = new ArrayList<>();

    private ExperimentsParser(String source, Catalog catalog) {
        this.source = source;
        this.catalog = catalog;
    }

    public static List<Experiment> parse(String yamlText, String source, Catalog catalog) {
        return new ExperimentsParser(source, catalog).parse(yamlText);
    }

    private List<Experiment> parse(String yamlText) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
        } catch (YAMLException e) {
            throw new InputRefusedException(source + ": not readable as YAML: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> map) || !(map.get("experiments") instanceof List<?> list)) {
            throw new InputRefusedException(source + ": an experiments file is a YAML mapping with the list experiments");
        }
        unknownKeys(map, Set.of("experiments"), "");
        List<Experiment> experiments = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Experiment experiment = experiment(list.get(i), "experiments[" + i + "]");
            if (experiment != null && !ids.add(experiment.id())) {
                problem("experiments[" + i + "].id", "'" + experiment.id() + "' again");
            } else if (experiment != null) {
                experiments.add(experiment);
            }
        }
        for (int i = 0; i < experiments.size(); i++) {
            for (int j = i + 1; j < experiments.size(); j++) {
                Experiment a = experiments.get(i);
                Experiment b = experiments.get(j);
                if (a.start().isBefore(b.end()) && b.start().isBefore(a.end())) {
                    problem("experiments[" + j + "]", "'" + b.id() + "' overlaps '" + a.id() + "' (a user is in one experiment at most)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InputRefusedException(source + ": experiments refused, nothing imported:\n  " + String.join("\n  ", problems));
        }
        return experiments;
    }

    private Experiment experiment(Object value, String key) {
        if (!(value instanceof Map<?, ?> map)) {
            problem(key, "an experiment is a mapping with id, start, end and variants");
            return null;
        }
        unknownKeys(map, Set.of("id", "start", "end", "variants"), key + ".");
        String id = map.get("id") == null ? null : String.valueOf(map.get("id"));
        if (id == null || !ID.matcher(id).matches()) {
            problem(key + ".id", id == null ? "required" : "'" + id + "' is not an id (letters, digits, '.', '_', '-'; at most 64)");
        }
        Instant start = instant(map.get("start"), key + ".start");
        Instant end = instant(map.get("end"), key + ".end");
        if (start != null && end != null && !start.isBefore(end)) {
            problem(key + ".end", "must be after start");
        }
        List<Variant> variants = new ArrayList<>();
        if (!(map.get("variants") instanceof List<?> list) || list.size() < 2) {
            problem(key + ".variants", "a list of at least two variants (the first is the control)");
        } else {
            Set<String> names = new HashSet<>();
            long weights = 0;
            for (int i = 0; i < list.size(); i++) {
                Variant variant = variant(list.get(i), key + ".variants[" + i + "]");
                if (variant == null) {
                    continue;
                }
                if (!names.add(variant.name())) {
                    problem(key + ".variants[" + i + "].name", "'" + variant.name() + "' again");
                }
                weights += variant.weight();
                variants.add(variant);
            }
            if (variants.size() == list.size() && weights != Experiment.BASIS_POINTS) {
                problem(key + ".variants", "weights add up to " + weights + ", not " + Experiment.BASIS_POINTS + " (basis points)");
            }
        }
        return id == null || start == null || end == null || variants.size() < 2 ? null : new Experiment(id, start, end, variants);
    }

    private Variant variant(Object value, String key) {
        if (!(value instanceof Map<?, ?> map)) {
            problem(key, "a variant is a mapping with name, weight and overrides");
            return null;
        }
        unknownKeys(map, Set.of("name", "weight", "overrides"), key + ".");
        String name = map.get("name") == null ? null : String.valueOf(map.get("name"));
        if (name == null || !NAME.matcher(name).matches()) {
            problem(key + ".name", name == null ? "required" : "'" + name + "' is not a name (letters, digits, '_', '-'; at most 64)");
        }
        int weight = 0;
        if (!(map.get("weight") instanceof Integer w) || w < 1 || w > Experiment.BASIS_POINTS) {
            problem(key + ".weight", "an integer from 1 to 10000 (basis points), not " + map.get("weight"));
        } else {
            weight = w;
        }
        Map<String, Variant.TierOverride> overrides = new LinkedHashMap<>();
        Object overridesValue = map.get("overrides");
        if (overridesValue != null && !(overridesValue instanceof Map<?, ?>)) {
            problem(key + ".overrides", "a mapping of tier name to overrides");
        } else if (overridesValue instanceof Map<?, ?> byTier) {
            for (Map.Entry<?, ?> entry : byTier.entrySet()) {
                String tierName = String.valueOf(entry.getKey());
                String tierKey = key + ".overrides." + tierName;
                Tier tier = catalog.tiers().get(tierName);
                if (tier == null) {
                    problem(tierKey, "no tier '" + tierName + "' in the catalog (" + String.join(", ", catalog.tiers().keySet()) + ")");
                    continue;
                }
                Variant.TierOverride override = override(entry.getValue(), tierKey, tier);
                if (override != null) {
                    overrides.put(tierName, override);
                }
            }
        }
        return name == null || weight == 0 ? null : new Variant(name, weight, overrides);
    }

    private Variant.TierOverride override(Object value, String key, Tier tier) {
        if (!(value instanceof Map<?, ?> map)) {
            problem(key, "a mapping with monthly_price, trial_days and / or overage");
            return null;
        }
        unknownKeys(map, Set.of("monthly_price", "trial_days", "overage"), key + ".");
        BigDecimal price = map.containsKey("monthly_price") ? decimal(map.get("monthly_price"), key + ".monthly_price") : null;
        Integer trialDays = null;
        if (map.containsKey("trial_days")) {
            if (map.get("trial_days") instanceof Integer days && days >= 0) {
                trialDays = days;
            } else {
                problem(key + ".trial_days", "a whole number of days, at least 0, not " + map.get("trial_days"));
            }
        }
        Map<String, BigDecimal> unitPrices = new LinkedHashMap<>();
        Object overage = map.get("overage");
        if (overage != null && !(overage instanceof Map<?, ?>)) {
            problem(key + ".overage", "a mapping of metric to {unit_price}");
        } else if (overage instanceof Map<?, ?> byMetric) {
            for (Map.Entry<?, ?> entry : byMetric.entrySet()) {
                String metric = String.valueOf(entry.getKey());
                String metricKey = key + ".overage." + metric;
                if (!catalog.hasMetric(metric)) {
                    problem(metricKey, "no metric '" + metric + "' in the catalog (" + String.join(", ", catalog.metrics()) + ")");
                } else if (!tier.overage().containsKey(metric)) {
                    problem(metricKey, metric + " is a hard limit of " + tier.name() + " (no overage rule to replace)");
                } else if (!(entry.getValue() instanceof Map<?, ?> rule) || rule.size() != 1 || !rule.containsKey("unit_price")) {
                    problem(metricKey, "{unit_price: \"0.003\"} (an override replaces the rule by a unit price)");
                } else {
                    BigDecimal unitPrice = decimal(rule.get("unit_price"), metricKey + ".unit_price");
                    if (unitPrice != null) {
                        unitPrices.put(metric, unitPrice);
                    }
                }
            }
        }
        return new Variant.TierOverride(price, trialDays, unitPrices);
    }

    /** A price: a decimal string (as in the catalog), at least 0, at most 6 decimals. */
    private BigDecimal decimal(Object value, String key) {
        if (!(value instanceof String text)) {
            problem(key, "a decimal string such as \"24.00\" (quoted, so YAML keeps it exact), not " + value);
            return null;
        }
        try {
            BigDecimal price = new BigDecimal(text);
            if (price.signum() < 0 || price.scale() > 6) {
                problem(key, "'" + text + "': at least 0, at most 6 decimals");
                return null;
            }
            return price;
        } catch (NumberFormatException e) {
            problem(key, "'" + text + "' is not a decimal");
            return null;
        }
    }

    private Instant instant(Object value, String key) {
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        problem(key, value == null ? "required (an ISO-8601 instant such as 2026-10-01T00:00:00Z)"
                : "'" + value + "' is not an ISO-8601 instant such as 2026-10-01T00:00:00Z");
        return null;
    }

    private void unknownKeys(Map<?, ?> map, Set<String> known, String prefix) {
        for (Object key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                problem(prefix + key, "unknown key (expected " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private void problem(String key, String reason) {
        problems.add(key + ": " + reason);
    }
}
