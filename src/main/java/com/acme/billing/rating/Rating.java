package com.acme.billing.rating;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.OverageRule;
import com.acme.billing.catalog.Tier;
import com.acme.billing.money.Money;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.subscription.SubscriptionState;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rating rules of SPEC 5 as a pure function: a user's segments of one period, the usage in
 * each, and the catalog give the invoice lines and the usage summary. No I/O, no clock, no Spring.
 *
 * <p>Money: every line is computed exactly and rounded once, half up, to the currency's minor
 * digits ({@link Money#rounded}); a fraction of the month is never rounded before it multiplies a price.
 */
public final class Rating {

    /** The lines (amounts not zero, all in {@code currency}) and the usage rows of one user and period. */
    public record Result(Currency currency, List<RatedLine> lines, List<UsageSummary> usage) {

        public Result {
            lines = List.copyOf(lines);
            usage = List.copyOf(usage);
        }

        /** The invoice total: the sum of the rounded lines. */
        public Money totalCharge() {
            return lines.stream().map(RatedLine::charge).reduce(Money.zero(currency), Money::plus);
        }

        /** {@link #totalCharge()}'s amount, at the currency's minor digits. */
        public BigDecimal total() {
            return totalCharge().amount();
        }
    }

    /** A segment and the usage (sum of quantities per metric) of the events inside it. */
    public record SegmentUsage(Segment segment, Map<String, Long> usage) {
    }

    /** A row of the usage summary being added up over a user's segments: one metric under one tier ("" for none). */
    private static final class UsageTally {
        final String metric;
        final String tier;
        long used;
        long included;
        long overage;
        boolean breached;

        UsageTally(String metric, String tier) {
            this.metric = metric;
            this.tier = tier;
        }

        UsageSummary summary() {
            return new UsageSummary(metric, tier, used, included, overage, breached);
        }
    }

    private record MetricTier(String metric, String tier) {
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Rating() {
    }

    public static Result rate(BillingPeriod period, List<SegmentUsage> segments, Catalog catalog) {
        Currency currency = Currency.getInstance(catalog.currency());
        long monthSeconds = period.seconds();
        List<RatedLine> lines = new ArrayList<>();
        Map<MetricTier, UsageTally> summary = new LinkedHashMap<>();
        for (SegmentUsage segmentUsage : segments) {
            Segment segment = segmentUsage.segment();
            SubscriptionState state = segment.state();
            Tier tier = state.tier() == null || state.status() == SubscriptionState.Status.NONE ? null
                    : catalog.tier(state.tier()).orElseThrow(() -> new IllegalArgumentException("tier '" + state.tier()
                            + "' is not in the catalog"));
            long seconds = segment.seconds();
            boolean paid = state.status() == SubscriptionState.Status.PAID;
            if (paid) {
                Money amount = fraction(tier.monthlyPrice(), seconds, monthSeconds, currency);
                if (!amount.isZero()) {
                    lines.add(new RatedLine(new LineKey(RatedLine.LineType.BASE_FEE, tier.name(), null, segment.start(), segment.end()),
                            BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(monthSeconds), 6, RoundingMode.HALF_UP),
                            tier.monthlyPrice(), amount, capitalized(tier.name()) + " plan, " + span(segment, seconds, monthSeconds)));
                }
            }
            for (String metric : catalog.metrics()) {
                long used = segmentUsage.usage().getOrDefault(metric, 0L);
                long included = tier == null ? 0 : includedQuantity(tier.limits().get(metric), seconds, monthSeconds);
                long overage = tier == null ? 0 : Math.max(0, used - included);
                boolean breached = tier != null && tier.isHardLimit(metric) && used > included;
                String tierName = tier == null ? "" : tier.name();
                UsageTally tally = summary.computeIfAbsent(new MetricTier(metric, tierName), k -> new UsageTally(k.metric(), k.tier()));
                tally.used += used;
                tally.included += included;
                tally.overage += overage;
                tally.breached |= breached;
                if (!paid || overage == 0 || tier.isHardLimit(metric)) {
                    continue;
                }
                OverageRule rule = tier.overage().get(metric);
                Money amount = overagePrice(rule, overage, currency);
                if (!amount.isZero()) {
                    lines.add(new RatedLine(new LineKey(RatedLine.LineType.OVERAGE, tier.name(), metric, segment.start(), segment.end()),
                            BigDecimal.valueOf(overage), rule.flatUnitPrice().orElse(null), amount,
                            String.format(Locale.ENGLISH, "%s overage: %,d beyond %,d included (%s), %s", metric, overage, included,
                                    rule.inWords(), span(segment, seconds, monthSeconds))));
                }
            }
        }
        List<UsageSummary> usage = summary.values().stream().map(UsageTally::summary).toList();
        return new Result(currency, lines, usage);
    }

    /** {@code monthly × seconds / monthSeconds}, rounded once, half up, to the minor unit. */
    public static Money fraction(BigDecimal monthly, long seconds, long monthSeconds, Currency currency) {
        return Money.roundedQuotient(monthly.multiply(BigDecimal.valueOf(seconds)), BigDecimal.valueOf(monthSeconds), currency);
    }

    /** The prorated included quantity: {@code limit × seconds / monthSeconds}, half up to a whole unit. */
    public static long includedQuantity(long limit, long seconds, long monthSeconds) {
        return BigDecimal.valueOf(limit).multiply(BigDecimal.valueOf(seconds))
                .divide(BigDecimal.valueOf(monthSeconds), 0, RoundingMode.HALF_UP).longValueExact();
    }

    /** The price of an overage quantity by its rule, rounded once to the minor unit. */
    public static Money overagePrice(OverageRule rule, long quantity, Currency currency) {
        return Money.rounded(rule.price(quantity), currency);
    }

    private static String span(Segment segment, long seconds, long monthSeconds) {
        if (seconds == monthSeconds) {
            return "whole month";
        }
        boolean wholeDays = segment.start().getEpochSecond() % 86_400 == 0 && segment.end().getEpochSecond() % 86_400 == 0;
        DateTimeFormatter format = wholeDays ? DAY : TIME;
        String end = wholeDays ? DAY.format(segment.end().minusSeconds(1)) : TIME.format(segment.end());
        return format.format(segment.start()) + (wholeDays ? " to " : " until ") + end;
    }

    private static String capitalized(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
