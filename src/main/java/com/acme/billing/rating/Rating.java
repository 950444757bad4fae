package com.acme.billing.rating;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.OverageRule;
import com.acme.billing.catalog.Tier;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.subscription.SubscriptionState;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rating rules of SPEC 5 as a pure function: a user's segments of one period, the usage in
 * each, and the catalog give the invoice lines and the usage summary. No I/O, no clock, no Spring.
 *
 * <p>Money: every line is computed exactly and rounded once, half up, to the currency's minor
 * digits; a fraction of the month is never rounded before it multiplies a price.
 */
public final class Rating {

    /** The lines (amounts not zero) and the usage rows of one user and period. */
    public record Result(List<RatedLine> lines, List<UsageSummary> usage) {

        public BigDecimal total() {
            return lines.stream().map(RatedLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    /** A segment and the usage (sum of quantities per metric) of the events inside it. */
    public record SegmentUsage(Segment segment, Map<String, Long> usage) {
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Rating() {
    }

    public static Result rate(BillingPeriod period, List<SegmentUsage> segments, Catalog catalog) {
        int digits = catalog.minorDigits();
        long monthSeconds = period.seconds();
        List<RatedLine> lines = new ArrayList<>();
        Map<String, long[]> summary = new LinkedHashMap<>();
        Map<String, String[]> summaryKeys = new LinkedHashMap<>();
        for (SegmentUsage segmentUsage : segments) {
            Segment segment = segmentUsage.segment();
            SubscriptionState state = segment.state();
            Tier tier = state.tier() == null || state.status() == SubscriptionState.Status.NONE ? null
                    : catalog.tier(state.tier()).orElseThrow(() -> new IllegalArgumentException("tier '" + state.tier()
                            + "' is not in the catalog"));
            long seconds = segment.seconds();
            boolean paid = state.status() == SubscriptionState.Status.PAID;
            if (paid) {
                BigDecimal amount = fraction(tier.monthlyPrice(), seconds, monthSeconds, digits);
                if (amount.signum() != 0) {
                    lines.add(new RatedLine(RatedLine.LineType.BASE_FEE, tier.name(), null, segment.start(), segment.end(),
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
                String key = metric + "|" + tierName;
                summaryKeys.putIfAbsent(key, new String[] {metric, tierName});
                long[] row = summary.computeIfAbsent(key, k -> new long[4]);
                row[0] += used;
                row[1] += included;
                row[2] += overage;
                row[3] |= breached ? 1 : 0;
                if (!paid || overage == 0 || tier.isHardLimit(metric)) {
                    continue;
                }
                OverageRule rule = tier.overage().get(metric);
                BigDecimal amount = overagePrice(rule, overage, digits);
                if (amount.signum() != 0) {
                    lines.add(new RatedLine(RatedLine.LineType.OVERAGE, tier.name(), metric, segment.start(), segment.end(),
                            BigDecimal.valueOf(overage), rule instanceof OverageRule.UnitPrice unit ? unit.unitPrice() : null, amount,
                            String.format(Locale.ENGLISH, "%s overage: %,d beyond %,d included (%s), %s", metric, overage, included,
                                    describe(rule), span(segment, seconds, monthSeconds))));
                }
            }
        }
        List<UsageSummary> usage = new ArrayList<>();
        summary.forEach((key, row) -> {
            String[] k = summaryKeys.get(key);
            usage.add(new UsageSummary(k[0], k[1], row[0], row[1], row[2], row[3] == 1));
        });
        return new Result(lines, usage);
    }

    /** {@code monthly × seconds / monthSeconds}, rounded once, half up, to the minor digits. */
    public static BigDecimal fraction(BigDecimal monthly, long seconds, long monthSeconds, int digits) {
        return monthly.multiply(BigDecimal.valueOf(seconds)).divide(BigDecimal.valueOf(monthSeconds), digits, RoundingMode.HALF_UP);
    }

    /** The prorated included quantity: {@code limit × seconds / monthSeconds}, half up to a whole unit. */
    public static long includedQuantity(long limit, long seconds, long monthSeconds) {
        return BigDecimal.valueOf(limit).multiply(BigDecimal.valueOf(seconds))
                .divide(BigDecimal.valueOf(monthSeconds), 0, RoundingMode.HALF_UP).longValueExact();
    }

    /** The price of an overage quantity by its rule, rounded once to the minor digits. */
    public static BigDecimal overagePrice(OverageRule rule, long quantity, int digits) {
        BigDecimal exact;
        if (rule instanceof OverageRule.UnitPrice unit) {
            exact = unit.unitPrice().multiply(BigDecimal.valueOf(quantity));
        } else if (rule instanceof OverageRule.PackagePrice pack) {
            long packages = (quantity + pack.packageSize() - 1) / pack.packageSize();
            exact = pack.packagePrice().multiply(BigDecimal.valueOf(packages));
        } else {
            OverageRule.Graduated graduated = (OverageRule.Graduated) rule;
            exact = BigDecimal.ZERO;
            long below = 0;
            for (OverageRule.Band band : graduated.bands()) {
                long top = band.upTo() == null ? Long.MAX_VALUE : band.upTo();
                long inBand = Math.max(0, Math.min(quantity, top) - below);
                exact = exact.add(band.unitPrice().multiply(BigDecimal.valueOf(inBand)));
                below = top;
                if (quantity <= top) {
                    break;
                }
            }
        }
        return exact.setScale(digits, RoundingMode.HALF_UP);
    }

    private static String describe(OverageRule rule) {
        if (rule instanceof OverageRule.UnitPrice unit) {
            return "at " + unit.unitPrice().toPlainString() + " each";
        }
        if (rule instanceof OverageRule.PackagePrice pack) {
            return "packages of " + pack.packageSize() + " at " + pack.packagePrice().toPlainString();
        }
        return "graduated";
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
