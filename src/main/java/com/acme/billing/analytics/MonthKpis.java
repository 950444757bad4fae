package com.acme.billing.analytics;

import com.acme.billing.period.BillingPeriod;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The month's KPIs of SPEC 9, for the whole book ({@code all}) and per tier. Fed user after user
 * ({@link #add}) and with the month's usage, payment events, acquisition cost and billed amounts;
 * {@link #rows()} then gives every figure, computed exactly and rounded once: money half up to the
 * currency's minor digits, rates half up to 4 decimals. A ratio over zero is an empty value.
 * Quotients that do not terminate (ARPU inside LTV) are carried with 34 significant digits
 * ({@link MathContext#DECIMAL128}) before that one rounding.
 */
public final class MonthKpis {

    public static final String ALL = "all";

    /** One figure: {@code value} is empty when its denominator is zero. */
    public record Row(String metric, String tier, String value) {
    }

    private static final int RATE_DIGITS = 4;

    private final BillingPeriod period;
    private final int moneyDigits;
    private final List<String> tiers;
    private final List<String> metrics;
    private final Map<String, Figures> byTier = new LinkedHashMap<>();
    private final Map<String, long[]> usageByTier = new HashMap<>();
    private BigDecimal acquisitionCost;
    private long becamePaying;

    public MonthKpis(BillingPeriod period, int moneyDigits, List<String> tiers, List<String> metrics) {
        this.period = period;
        this.moneyDigits = moneyDigits;
        this.tiers = List.copyOf(tiers);
        this.metrics = List.copyOf(metrics);
        byTier.put(ALL, new Figures());
        tiers.forEach(t -> byTier.put(t, new Figures()));
    }

    public BillingPeriod period() {
        return period;
    }

    /** One user's month; {@code metricsUsed}: the metrics with usage above 0 in the month. */
    public void add(UserMonth user, Set<String> metricsUsed) {
        Figures all = byTier.get(ALL);
        Figures atStart = user.startTier() == null ? null : figures(user.startTier());
        Figures atEnd = user.endTier() == null ? null : figures(user.endTier());
        if (user.payingAtEnd()) {
            for (Figures f : both(all, atEnd)) {
                f.mrrEnd = f.mrrEnd.add(user.endPrice());
                f.payingEnd++;
                metricsUsed.forEach(m -> f.adopted.merge(m, 1L, Long::sum));
                if (!user.payingAtStart()) {
                    f.newMrr = f.newMrr.add(user.endPrice());
                }
            }
        }
        if (user.payingAtStart()) {
            for (Figures f : both(all, atStart)) {
                f.mrrStart = f.mrrStart.add(user.startPrice());
                f.payingStart++;
                if (!user.payingAtEnd()) {
                    f.churnedMrr = f.churnedMrr.add(user.startPrice());
                    f.lostLogos++;
                } else {
                    int direction = user.endPrice().compareTo(user.startPrice());
                    if (direction > 0) {
                        f.expansionMrr = f.expansionMrr.add(user.endPrice().subtract(user.startPrice()));
                    } else if (direction < 0) {
                        f.contractionMrr = f.contractionMrr.add(user.startPrice().subtract(user.endPrice()));
                    }
                }
                f.upgraded += user.upgraded() ? 1 : 0;
                f.downgraded += user.downgraded() ? 1 : 0;
            }
        }
        for (UserMonth.TrialEnd trial : user.trialsEnded()) {
            for (Figures f : both(all, figures(trial.tier()))) {
                f.trialsEnded++;
                f.trialsConverted += trial.converted() ? 1 : 0;
            }
        }
        becamePaying += user.becamePaying() ? 1 : 0;
    }

    /** A payment webhook event of the month; {@code tier}: the user's tier at the event, null when none is known. */
    public void payment(boolean paid, String tier) {
        for (Figures f : both(byTier.get(ALL), tier == null ? null : figures(tier))) {
            if (paid) {
                f.paymentsPaid++;
            } else {
                f.paymentsFailed++;
            }
        }
    }

    /** A metric's usage of this month and the month before, for the book ({@code tier} null) or one tier. */
    public void usage(String metric, String tier, long thisMonth, long monthBefore) {
        long[] both = usageByTier.computeIfAbsent((tier == null ? ALL : tier) + "\u0000" + metric, k -> new long[2]);
        both[0] += thisMonth;
        both[1] += monthBefore;
    }

    /** An amount billed for the month: the book's invoice totals ({@code tier} null) or a tier's lines. */
    public void billed(String tier, BigDecimal amount) {
        Figures f = tier == null ? byTier.get(ALL) : figures(tier);
        f.billed = f.billed.add(amount);
    }

    /** The month's acquisition cost (import-costs); unknown (null) leaves {@code cac} empty. */
    public void acquisitionCost(BigDecimal cost) {
        this.acquisitionCost = cost;
    }

    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        each(rows, "mrr", f -> money(f.mrrEnd));
        each(rows, "arr", f -> money(f.mrrEnd.multiply(BigDecimal.valueOf(12))));
        each(rows, "new_mrr", f -> money(f.newMrr));
        each(rows, "expansion_mrr", f -> money(f.expansionMrr));
        each(rows, "contraction_mrr", f -> money(f.contractionMrr));
        each(rows, "churned_mrr", f -> money(f.churnedMrr));
        each(rows, "net_new_mrr", f -> money(f.newMrr.add(f.expansionMrr).subtract(f.contractionMrr).subtract(f.churnedMrr)));
        each(rows, "paying_customers", f -> Long.toString(f.payingEnd));
        each(rows, "arpu", f -> f.payingEnd == 0 ? "" : money(exact(f.mrrEnd, f.payingEnd)));
        each(rows, "logo_churn_rate", f -> rate(BigDecimal.valueOf(f.lostLogos), f.payingStart));
        each(rows, "revenue_churn_rate", f -> rate(f.churnedMrr.add(f.contractionMrr), f.mrrStart));
        each(rows, "ltv", f -> f.payingEnd == 0 || f.payingStart == 0 || f.lostLogos == 0 ? ""
                : money(exact(f.mrrEnd, f.payingEnd).divide(exact(BigDecimal.valueOf(f.lostLogos), f.payingStart), MathContext.DECIMAL128)));
        rows.add(new Row("cac", ALL, acquisitionCost == null || becamePaying == 0 ? ""
                : money(exact(acquisitionCost, becamePaying))));
        each(rows, "trial_conversion_rate", f -> rate(BigDecimal.valueOf(f.trialsConverted), f.trialsEnded));
        each(rows, "upgrade_rate", f -> rate(BigDecimal.valueOf(f.upgraded), f.payingStart));
        each(rows, "downgrade_rate", f -> rate(BigDecimal.valueOf(f.downgraded), f.payingStart));
        each(rows, "payment_success_rate", f -> rate(BigDecimal.valueOf(f.paymentsPaid), f.paymentsPaid + f.paymentsFailed));
        for (String metric : metrics) {
            each(rows, "feature_adoption:" + metric, f -> rate(BigDecimal.valueOf(f.adopted.getOrDefault(metric, 0L)), f.payingEnd));
        }
        for (String metric : metrics) {
            for (String tier : byTier.keySet()) {
                long[] usage = usageByTier.get(tier + "\u0000" + metric);
                String value = usage == null || usage[1] == 0 ? ""
                        : BigDecimal.valueOf(usage[0] - usage[1]).divide(BigDecimal.valueOf(usage[1]), RATE_DIGITS, RoundingMode.HALF_UP).toPlainString();
                rows.add(new Row("usage_growth:" + metric, tier, value));
            }
        }
        each(rows, "billed_total", f -> money(f.billed));
        return rows;
    }

    private void each(List<Row> rows, String metric, java.util.function.Function<Figures, String> value) {
        byTier.forEach((tier, f) -> rows.add(new Row(metric, tier, value.apply(f))));
    }

    private Figures figures(String tier) {
        // A tier no longer in the catalog still gets its rows (after the catalog's own tiers).
        return byTier.computeIfAbsent(tier, t -> new Figures());
    }

    private static List<Figures> both(Figures all, Figures tier) {
        return tier == null ? List.of(all) : List.of(all, tier);
    }

    private static BigDecimal exact(BigDecimal dividend, long divisor) {
        return dividend.divide(BigDecimal.valueOf(divisor), MathContext.DECIMAL128);
    }

    private String money(BigDecimal exact) {
        return exact.setScale(moneyDigits, RoundingMode.HALF_UP).toPlainString();
    }

    private static String rate(BigDecimal numerator, long denominator) {
        return rate(numerator, BigDecimal.valueOf(denominator));
    }

    private static String rate(BigDecimal numerator, BigDecimal denominator) {
        return denominator.signum() == 0 ? "" : numerator.divide(denominator, RATE_DIGITS, RoundingMode.HALF_UP).toPlainString();
    }

    /** The running sums of one tier (or of the whole book). */
    private static final class Figures {
        BigDecimal mrrStart = BigDecimal.ZERO;
        BigDecimal mrrEnd = BigDecimal.ZERO;
        BigDecimal newMrr = BigDecimal.ZERO;
        BigDecimal expansionMrr = BigDecimal.ZERO;
        BigDecimal contractionMrr = BigDecimal.ZERO;
        BigDecimal churnedMrr = BigDecimal.ZERO;
        BigDecimal billed = BigDecimal.ZERO;
        long payingStart;
        long payingEnd;
        long lostLogos;
        long trialsEnded;
        long trialsConverted;
        long upgraded;
        long downgraded;
        long paymentsPaid;
        long paymentsFailed;
        final Map<String, Long> adopted = new HashMap<>();
    }
}
