package com.acme.billing.experiment.store;

import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.experiment.Experiment;
import com.acme.billing.experiment.Variant;
import com.acme.billing.experiment.VariantCatalogs;
import com.acme.billing.experiment.VariantComparison;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.subscription.SubscriptionAction;
import com.acme.billing.analytics.UserMonth;
import com.acme.billing.subscription.SubscriptionTimeline;
import com.acme.billing.subscription.store.SubscriptionRepository;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * {@code experiment-results ID} and {@code GET /api/experiments/{id}} (SPEC 9): per variant its users,
 * trial starts, conversions and revenue per user, and each variant against the control.
 */
@Service
public class ExperimentResults {

    public record VsControl(VariantComparison.Test conversion, VariantComparison.Test revenuePerUser) {
    }

    public record VariantResult(String name, int weight, long users, long trialStarts, long conversions, BigDecimal conversionRate,
            BigDecimal revenuePerUser, VsControl vsControl) {
    }

    public record Results(String experiment, Instant start, Instant end, String currency, List<VariantResult> variants) {
    }

    private final ExperimentRepository experiments;
    private final ExperimentPricing pricing;
    private final SubscriptionRepository subscriptions;
    private final CatalogRepository catalogs;
    private final JdbcClient jdbc;
    private final Clock clock;

    public ExperimentResults(ExperimentRepository experiments, ExperimentPricing pricing, SubscriptionRepository subscriptions,
            CatalogRepository catalogs, JdbcClient jdbc, Clock clock) {
        this.experiments = experiments;
        this.pricing = pricing;
        this.subscriptions = subscriptions;
        this.catalogs = catalogs;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<Results> of(String id) {
        Optional<Experiment> found = experiments.find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Experiment experiment = found.get();
        var catalog = catalogs.latest().orElseThrow(() -> new InputRefusedException("no catalog imported yet")).catalog();
        int digits = catalog.minorDigits();
        // The experiment's users: those recorded, and those seen since and not recorded yet (this reads, it writes nothing).
        Map<String, String> variantOf = new HashMap<>();
        experiments.assignments(id).forEach(a -> variantOf.put(a.userId(), a.variant()));
        experiments.unrecorded(experiment).forEach(a -> variantOf.put(a.userId(), a.variant()));
        VariantCatalogs prices = pricing.catalogs(catalog, true);
        Instant now = clock.instant();
        Set<String> trialed = new HashSet<>();
        Set<String> converted = new HashSet<>();
        subscriptions.forEachUser(now, null, (user, changes) -> {
            if (!variantOf.containsKey(user)) {
                return;
            }
            if (changes.stream().anyMatch(c -> c.action() == SubscriptionAction.TRIAL)) {
                trialed.add(user);
            }
            // A conversion: a paid segment, on a tier priced above 0 for the user, that started by now.
            for (SubscriptionTimeline.Interval interval : SubscriptionTimeline.of(changes).intervals()) {
                if (UserMonth.payingPrice(user, interval.state(), prices::monthlyPrice) != null && !interval.start().isAfter(now)) {
                    converted.add(user);
                    break;
                }
            }
        });
        Map<String, BigDecimal> revenue = new HashMap<>();
        jdbc.sql("SELECT user_id, SUM(total) FROM invoices GROUP BY user_id").query(rs -> {
            if (variantOf.containsKey(rs.getString(1))) {
                revenue.put(rs.getString(1), rs.getBigDecimal(2));
            }
        });
        Map<String, List<String>> usersOf = new HashMap<>();
        variantOf.forEach((user, variant) -> usersOf.computeIfAbsent(variant, v -> new ArrayList<>()).add(user));
        List<VariantResult> results = new ArrayList<>();
        List<String> controlUsers = usersOf.getOrDefault(experiment.control().name(), List.of());
        List<BigDecimal> controlRevenue = controlUsers.stream().map(u -> revenue.getOrDefault(u, BigDecimal.ZERO)).toList();
        long controlConverted = controlUsers.stream().filter(converted::contains).count();
        for (Variant variant : experiment.variants()) {
            List<String> users = usersOf.getOrDefault(variant.name(), List.of());
            List<BigDecimal> revenues = users.stream().map(u -> revenue.getOrDefault(u, BigDecimal.ZERO)).toList();
            long conversions = users.stream().filter(converted::contains).count();
            BigDecimal total = revenues.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            VsControl vs = variant == experiment.control() ? null
                    : new VsControl(VariantComparison.conversion(controlConverted, controlUsers.size(), conversions, users.size()),
                            VariantComparison.revenuePerUser(controlRevenue, revenues, digits));
            results.add(new VariantResult(variant.name(), variant.weight(), users.size(), users.stream().filter(trialed::contains).count(),
                    conversions, users.isEmpty() ? null : BigDecimal.valueOf(conversions).divide(BigDecimal.valueOf(users.size()), 4, RoundingMode.HALF_UP),
                    users.isEmpty() ? null : total.divide(BigDecimal.valueOf(users.size()), digits, RoundingMode.HALF_UP), vs));
        }
        return Optional.of(new Results(experiment.id(), experiment.start(), experiment.end(), catalog.currency(), results));
    }

    public List<Experiment> all() {
        return experiments.all();
    }
}
