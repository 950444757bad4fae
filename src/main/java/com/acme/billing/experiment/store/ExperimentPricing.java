package com.acme.billing.experiment.store;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.Tier;
import com.acme.billing.experiment.Experiment;
import com.acme.billing.experiment.Variant;
import com.acme.billing.experiment.VariantCatalogs;
import com.acme.billing.subscription.store.TrialLengths;
import com.acme.billing.user.UserId;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The prices of the users in pricing experiments, for rating (close-period), analytics and trials.
 * Assignments are recorded before each close, so the table shows every user the prices applied to.
 */
@Component
public class ExperimentPricing implements TrialLengths {

    private final ExperimentRepository experiments;
    private final Clock clock;

    public ExperimentPricing(ExperimentRepository experiments, Clock clock) {
        this.experiments = experiments;
        this.clock = clock;
    }

    /** Records the users seen in each experiment's window since the last call; idempotent. */
    public int recordAssignments() {
        Instant now = clock.instant();
        int recorded = 0;
        for (Experiment experiment : experiments.all()) {
            recorded += experiments.recordAssignments(experiment, now);
        }
        return recorded;
    }

    /** Every user's catalog on top of {@code base}, from the recorded assignments. */
    public VariantCatalogs catalogs(Catalog base) {
        return catalogs(base, false);
    }

    /**
     * As {@link #catalogs(Catalog)}; {@code withUnrecorded}: also the users seen in an experiment's
     * window and not recorded yet (a dry run, which writes nothing, still prices them as the close will).
     */
    public VariantCatalogs catalogs(Catalog base, boolean withUnrecorded) {
        List<Experiment> all = experiments.all();
        if (all.isEmpty()) {
            return new VariantCatalogs(base, Map.of());
        }
        Map<String, Experiment> byId = new HashMap<>();
        all.forEach(e -> byId.put(e.id(), e));
        Map<String, Variant> variantByUser = new HashMap<>();
        experiments.assignments().forEach((user, a) -> variantByUser.put(user, byId.get(a.experimentId()).variant(a.variant())));
        if (withUnrecorded) {
            for (Experiment experiment : all) {
                experiments.unrecorded(experiment).forEach(a -> variantByUser.put(a.userId(), experiment.variant(a.variant())));
            }
        }
        return new VariantCatalogs(base, variantByUser);
    }

    /** A trial's length: the variant's {@code trial_days} for a user first seen in an experiment that overrides it. */
    @Override
    public Rule current() {
        List<Experiment> all = experiments.all();
        if (all.isEmpty()) {
            return CATALOG;
        }
        return (user, firstSeen, tier) -> {
            for (Experiment experiment : all) {
                if (experiment.admits(firstSeen)) {
                    Variant.TierOverride override = experiment.variantOf(user.value()).overrides().get(tier.name());
                    if (override != null && override.trialDays() != null) {
                        return override.trialDays();
                    }
                }
            }
            return tier.trialDays();
        };
    }
}
