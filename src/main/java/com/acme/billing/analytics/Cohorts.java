package com.acme.billing.analytics;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.subscription.SubscriptionTimeline;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Users by the month they first paid (their cohort) x months since: how many still pay at the end
 * of each month, and the net revenue retention (the cohort's MRR at the end of that month over its
 * MRR at the end of its first month; expansion can take it above 1). Paying is SPEC 9's: a paid
 * segment on a tier priced above 0 for the user. Up to and including the month {@code upTo}.
 */
public final class Cohorts {

    /** One cell: {@code sharePaying} and {@code netRevenueRetention} with 4 decimals, empty over zero. */
    public record Row(String cohort, int monthsSince, long users, long paying, String sharePaying, String mrr, String netRevenueRetention) {
    }

    private final BillingPeriod upTo;
    private final int moneyDigits;
    /** cohort month -> months since -> [paying users, MRR]. */
    private final Map<BillingPeriod, List<Cell>> cells = new TreeMap<>((a, b) -> a.month().compareTo(b.month()));
    private final Map<BillingPeriod, Long> users = new TreeMap<>((a, b) -> a.month().compareTo(b.month()));

    public Cohorts(BillingPeriod upTo, int moneyDigits) {
        this.upTo = upTo;
        this.moneyDigits = moneyDigits;
    }

    public void add(String userId, SubscriptionTimeline timeline, PriceBook prices) {
        BillingPeriod cohort = null;
        for (SubscriptionTimeline.Interval interval : timeline.intervals()) {
            if (UserMonth.payingPrice(userId, interval.state(), prices) != null) {
                cohort = BillingPeriod.containing(interval.start());
                break;
            }
        }
        if (cohort == null || cohort.month().isAfter(upTo.month())) {
            return;
        }
        users.merge(cohort, 1L, Long::sum);
        List<Cell> row = cells.computeIfAbsent(cohort, c -> new ArrayList<>());
        int k = 0;
        for (BillingPeriod month = cohort; !month.month().isAfter(upTo.month()); month = new BillingPeriod(month.month().plusMonths(1)), k++) {
            if (row.size() <= k) {
                row.add(new Cell());
            }
            BigDecimal price = UserMonth.payingPrice(userId, timeline.stateAt(month.end().minusNanos(1)), prices);
            if (price != null) {
                row.get(k).paying++;
                row.get(k).mrr = row.get(k).mrr.add(price);
            }
        }
    }

    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        cells.forEach((cohort, row) -> {
            long size = users.get(cohort);
            BigDecimal base = row.get(0).mrr;
            for (int k = 0; k < row.size(); k++) {
                Cell cell = row.get(k);
                rows.add(new Row(cohort.toString(), k, size, cell.paying,
                        BigDecimal.valueOf(cell.paying).divide(BigDecimal.valueOf(size), 4, RoundingMode.HALF_UP).toPlainString(),
                        cell.mrr.setScale(moneyDigits, RoundingMode.HALF_UP).toPlainString(),
                        base.signum() == 0 ? "" : cell.mrr.divide(base, 4, RoundingMode.HALF_UP).toPlainString()));
            }
        });
        return rows;
    }

    private static final class Cell {
        long paying;
        BigDecimal mrr = BigDecimal.ZERO;
    }
}
