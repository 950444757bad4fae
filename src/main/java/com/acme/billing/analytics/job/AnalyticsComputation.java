package com.acme.billing.analytics.job;

import com.acme.billing.analytics.Cohorts;
import com.acme.billing.analytics.MonthKpis;
import com.acme.billing.analytics.PriceBook;
import com.acme.billing.analytics.UserMonth;
import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.Tier;
import com.acme.billing.invoice.PeriodCatalog;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.stripe.StripeWebhooks;
import com.acme.billing.subscription.SubscriptionTimeline;
import com.acme.billing.subscription.store.SubscriptionRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * One pass over every user's subscription history (one user in memory at a time) that feeds the
 * month's KPIs and the cohort table, plus the month's usage, payments, costs and billed amounts.
 * Prices are those of the period's catalog (the frozen version once finalized, else the latest),
 * for the state at the start as well as at the end, so that {@code mrr(end) - mrr(start) = net_new_mrr}
 * holds even across a price change.
 */
@Component
public class AnalyticsComputation {

    public record Result(List<MonthKpis.Row> figures, List<Cohorts.Row> cohorts, long users) {
    }

    private record Payment(boolean paid, Instant created) {
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AnalyticsComputation.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AnalyticsRepository analytics;
    private final SubscriptionRepository subscriptions;
    private final PeriodCatalog periodCatalog;
    private final StripeWebhooks webhooks;
    private final com.acme.billing.experiment.store.ExperimentPricing pricing;

    public AnalyticsComputation(AnalyticsRepository analytics, SubscriptionRepository subscriptions, PeriodCatalog periodCatalog,
            StripeWebhooks webhooks, com.acme.billing.experiment.store.ExperimentPricing pricing) {
        this.pricing = pricing;
        this.analytics = analytics;
        this.subscriptions = subscriptions;
        this.periodCatalog = periodCatalog;
        this.webhooks = webhooks;
    }

    public Result compute(BillingPeriod period) {
        long began = System.nanoTime();
        Catalog catalog = periodCatalog.of(period.toString()).catalog();
        // Users of a pricing experiment pay their variant's prices (SPEC 9).
        PriceBook prices = pricing.catalogs(catalog)::monthlyPrice;
        MonthKpis kpis = new MonthKpis(period, catalog.minorDigits(), List.copyOf(catalog.tiers().keySet()), catalog.metrics());
        Cohorts cohorts = new Cohorts(period, catalog.minorDigits());
        AnalyticsRepository.MonthUsage monthUsage = analytics.usage(period, true);
        Map<String, Set<String>> used = monthUsage.metricsUsed();

        // Payment events by user; the tier in force at each event is known once the user's history is read.
        Map<String, List<Payment>> payments = new HashMap<>();
        for (AnalyticsRepository.PaymentEvent event : analytics.paymentEvents(period)) {
            String user = webhooks.subjectOf(JSON.readTree(event.payload()).path("data").path("object")).userId();
            if (user == null) {
                kpis.payment(event.paid(), null);
            } else {
                payments.computeIfAbsent(user, u -> new ArrayList<>()).add(new Payment(event.paid(), event.created()));
            }
        }
        long[] users = {0};
        long histories = System.nanoTime();
        subscriptions.forEachUser(period.end(), null, (user, changes) -> {
            SubscriptionTimeline timeline = SubscriptionTimeline.of(changes);
            kpis.add(UserMonth.of(user, timeline, period, prices), used.getOrDefault(user, Set.of()));
            cohorts.add(user, timeline, prices);
            for (Payment payment : payments.getOrDefault(user, List.of())) {
                kpis.payment(payment.paid(), timeline.stateAt(payment.created()).tier());
            }
            payments.remove(user);
            users[0]++;
        });
        payments.values().forEach(list -> list.forEach(p -> kpis.payment(p.paid(), null)));
        long usage = System.nanoTime();

        BillingPeriod before = new BillingPeriod(period.month().minusMonths(1));
        Map<String, Long> thisMonth = monthUsage.totals();
        Map<String, Long> monthBefore = analytics.usage(before, false).totals();
        catalog.metrics().forEach(m -> kpis.usage(m, null, thisMonth.getOrDefault(m, 0L), monthBefore.getOrDefault(m, 0L)));
        Map<String, Map<String, Long>> tiersNow = analytics.usageByTier(period);
        Map<String, Map<String, Long>> tiersBefore = analytics.usageByTier(before);
        Set<String> tiers = new HashSet<>(tiersNow.keySet());
        tiers.addAll(tiersBefore.keySet());
        for (String tier : tiers) {
            for (String metric : catalog.metrics()) {
                kpis.usage(metric, tier, tiersNow.getOrDefault(tier, Map.of()).getOrDefault(metric, 0L),
                        tiersBefore.getOrDefault(tier, Map.of()).getOrDefault(metric, 0L));
            }
        }
        kpis.acquisitionCost(analytics.acquisitionCost(period));
        kpis.billed(null, analytics.billedTotal(period));
        analytics.billedByTier(period).forEach(kpis::billed);
        Result result = new Result(kpis.rows(), cohorts.rows(), users[0]);
        LOG.info("analytics {}: usage and payments read in {} ms, {} subscription histories in {} ms, usage by tier and billed totals in {} ms",
                period, (histories - began) / 1_000_000, users[0], (usage - histories) / 1_000_000, (System.nanoTime() - usage) / 1_000_000);
        return result;
    }
}
