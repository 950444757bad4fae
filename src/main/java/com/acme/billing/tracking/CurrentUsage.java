package com.acme.billing.tracking;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.Tier;
import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.rating.Rating;
import com.acme.billing.rating.Segment;
import com.acme.billing.rating.Segments;
import com.acme.billing.subscription.SubscriptionChange;
import com.acme.billing.subscription.SubscriptionState;
import com.acme.billing.subscription.SubscriptionTimeline;
import com.acme.billing.subscription.store.PlanChanges;
import com.acme.billing.subscription.store.SubscriptionRepository;
import com.acme.billing.user.UserId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * A user's usage of a month against the prorated included quantities (SPEC 8 {@code usage/current}),
 * from every event at once: the ingested ones ({@code usage_metrics}) and those tracked online and not
 * moved into the event store yet. Included quantities are those of SPEC 5, with the plan in force
 * now taken to run to the month's end (later changes are not known yet).
 */
@Service
public class CurrentUsage {

    public record MetricUsage(String metric, long used, long included, long remaining, BigDecimal percent, boolean hardLimit, boolean over) {
    }

    /** {@code status}: trial, active, cancelled or none (SPEC 8). */
    public record Month(String userId, String period, String tier, String status, List<MetricUsage> metrics) {
    }

    private final CatalogRepository catalogs;
    private final SubscriptionRepository subscriptions;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public CurrentUsage(CatalogRepository catalogs, SubscriptionRepository subscriptions, JdbcTemplate jdbc, Clock clock) {
        this.catalogs = catalogs;
        this.subscriptions = subscriptions;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The user's subscription changes in force now (those effective later are not known yet): one query. */
    public List<SubscriptionChange> changesNow(UserId user) {
        Instant now = clock.instant();
        return subscriptions.changesOf(user).stream().filter(c -> !c.effectiveAt().isAfter(now)).toList();
    }

    /** The user's plan now (trial or paid tier, or none) from {@link #changesNow}. */
    public SubscriptionState planNow(List<SubscriptionChange> changesNow) {
        return SubscriptionTimeline.of(changesNow).stateAt(clock.instant());
    }

    /** The user's trial or paid tier now; empty when the user has none (never subscribed, or cancelled). */
    public Optional<String> tierNow(UserId user) {
        return Optional.ofNullable(planNow(changesNow(user)).tier());
    }

    /** Empty for a user never seen: no subscription change and no usage. */
    public Optional<Month> of(UserId user, BillingPeriod period) {
        return of(user, period, changesNow(user), null);
    }

    /**
     * As {@link #of(UserId, BillingPeriod)} with the changes of {@link #changesNow} and the catalog already
     * read by the caller (null: the latest), so that a feature check asks the database no question twice.
     */
    public Optional<Month> of(UserId user, BillingPeriod period, List<SubscriptionChange> changes, Catalog knownCatalog) {
        Instant now = clock.instant();
        Map<String, Long> used = MonthUsage.of(jdbc, period, user);
        if (changes.isEmpty() && used.isEmpty()) {
            return Optional.empty();
        }
        Catalog catalog = knownCatalog != null ? knownCatalog
                : catalogs.latest().orElseThrow(() -> new IllegalStateException("no catalog imported")).catalog();
        SubscriptionTimeline timeline = SubscriptionTimeline.of(changes);
        SubscriptionState state = timeline.stateAt(now);
        Map<String, Long> included = included(timeline, period, catalog);
        Tier current = state.tier() == null ? null : catalog.tiers().get(state.tier());
        List<String> metrics = catalog.metrics().stream().filter(m -> current != null || used.containsKey(m)).toList();
        List<MetricUsage> rows = metrics.stream().map(metric -> {
            long u = used.getOrDefault(metric, 0L);
            long inc = included.getOrDefault(metric, 0L);
            BigDecimal percent = inc == 0 ? null
                    : BigDecimal.valueOf(u).multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(inc), 1, RoundingMode.HALF_UP);
            return new MetricUsage(metric, u, inc, Math.max(0, inc - u), percent, current != null && current.isHardLimit(metric), u > inc);
        }).toList();
        return Optional.of(new Month(user.value(), period.toString(), state.tier(), PlanChanges.status(state, !changes.isEmpty()), rows));
    }

    /**
     * The month's included quantities per metric (SPEC 5): the sum over its trial and paid segments of
     * each tier's limit prorated to the segment; the state of the last change known runs to the month's end.
     */
    public static Map<String, Long> included(SubscriptionTimeline timeline, BillingPeriod period, Catalog catalog) {
        long monthSeconds = Duration.between(period.start(), period.end()).toSeconds();
        Map<String, Long> included = new HashMap<>();
        for (Segment segment : Segments.of(timeline, period)) {
            Tier tier = segment.state().tier() == null ? null : catalog.tiers().get(segment.state().tier());
            if (tier != null) {
                tier.limits().forEach((metric, limit) -> included.merge(metric,
                        Rating.includedQuantity(limit, segment.seconds(), monthSeconds), Long::sum));
            }
        }
        return included;
    }
}
