package com.acme.billing.ingest;

import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.catalog.Tier;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.subscription.store.SubscriptionRepository;
import com.acme.billing.subscription.SubscriptionTimeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * {@code usage --period P [--user U]}: a month's usage per user and metric against the limit of the
 * user's tier (the seed's get_monthly_usage and check_limits). The tier is the one held at the end
 * of the month, or the last one held during it; the limit is the tier's full monthly limit (the
 * prorated included quantities of a month with changes are the rating's business, issue 4). Usage
 * of a user without any tier in the month is listed with no tier and never flagged.
 */
@Service
public class UsageReport {

    public record Row(String userId, String metric, String tier, long quantity, long included, boolean breached) {
    }

    public record Month(String period, List<Row> rows) {
    }

    private final UsageMetricsRepository usage;
    private final CatalogRepository catalogs;
    private final SubscriptionRepository subscriptions;

    public UsageReport(UsageMetricsRepository usage, CatalogRepository catalogs, SubscriptionRepository subscriptions) {
        this.usage = usage;
        this.catalogs = catalogs;
        this.subscriptions = subscriptions;
    }

    public Month month(BillingPeriod period, String userId) {
        var catalog = catalogs.latest().map(CatalogRepository.StoredCatalog::catalog).orElse(null);
        Map<String, String> tiers = tiersIn(period, userId);
        List<Row> rows = new ArrayList<>();
        for (UsageMetricsRepository.Row row : usage.month(period.toString(), userId)) {
            String tier = tiers.get(row.userId());
            Tier t = tier == null || catalog == null ? null : catalog.tier(tier).orElse(null);
            long included = t == null ? 0 : t.limits().getOrDefault(row.metric(), 0L);
            rows.add(new Row(row.userId(), row.metric(), tier, row.count(), included, t != null && row.count() > included));
        }
        return new Month(period.toString(), rows);
    }

    private Map<String, String> tiersIn(BillingPeriod period, String onlyUser) {
        Map<String, String> tiers = new HashMap<>();
        Instant start = period.start();
        Instant end = period.end();
        subscriptions.forEachUser(null, onlyUser, (user, changes) -> {
            String tier = null;
            for (SubscriptionTimeline.Interval interval : SubscriptionTimeline.of(changes).intervals()) {
                boolean overlaps = interval.start().isBefore(end) && (interval.end() == null || interval.end().isAfter(start));
                if (overlaps && interval.state().tier() != null) {
                    tier = interval.state().tier();
                }
            }
            if (tier != null) {
                tiers.put(user, tier);
            }
        });
        return tiers;
    }
}
