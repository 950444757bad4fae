package com.acme.billing.analytics;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.subscription.SubscriptionState;
import com.acme.billing.subscription.SubscriptionTimeline;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one user's subscription did in one month, as SPEC 9 counts it: the state in force just before
 * the month's first instant and at its last instant (a price when paying, else null), the trials that
 * ended in the month, and whether the user became paying, moved up or moved down in it. "In the
 * month" is {@code first <= t < next first}.
 *
 * @param startPrice the monthly price paid at the start, null when not paying then
 * @param endPrice   the monthly price paid at the end, null when not paying then
 */
public record UserMonth(String userId, String startTier, BigDecimal startPrice, String endTier, BigDecimal endPrice,
        List<TrialEnd> trialsEnded, boolean becamePaying, boolean upgraded, boolean downgraded) {

    /** A trial segment that ended in the month: on which tier, and whether paid followed it. */
    public record TrialEnd(String tier, boolean converted) {
    }

    public UserMonth {
        trialsEnded = List.copyOf(trialsEnded);
    }

    public boolean payingAtStart() {
        return startPrice != null;
    }

    public boolean payingAtEnd() {
        return endPrice != null;
    }

    public static UserMonth of(String userId, SubscriptionTimeline timeline, BillingPeriod period, PriceBook prices) {
        Instant first = period.start();
        Instant next = period.end();
        SubscriptionState start = timeline.stateAt(first.minusNanos(1));
        SubscriptionState end = timeline.stateAt(next.minusNanos(1));
        BigDecimal startPrice = payingPrice(userId, start, prices);
        BigDecimal endPrice = payingPrice(userId, end, prices);
        List<TrialEnd> trials = new ArrayList<>();
        boolean becamePaying = false;
        boolean upgraded = false;
        boolean downgraded = false;
        List<SubscriptionTimeline.Interval> intervals = timeline.intervals();
        for (int i = 0; i < intervals.size(); i++) {
            SubscriptionTimeline.Interval interval = intervals.get(i);
            SubscriptionState before = i == 0 ? SubscriptionState.NONE : intervals.get(i - 1).state();
            SubscriptionState after = interval.state();
            if (in(interval.start(), first, next)) {
                boolean wasPaying = payingPrice(userId, before, prices) != null;
                boolean isPaying = payingPrice(userId, after, prices) != null;
                becamePaying |= !wasPaying && isPaying;
                if (before.status() == SubscriptionState.Status.PAID && after.status() == SubscriptionState.Status.PAID) {
                    int direction = price(userId, after.tier(), prices).compareTo(price(userId, before.tier(), prices));
                    upgraded |= direction > 0;
                    downgraded |= direction < 0;
                }
            }
            if (after.status() == SubscriptionState.Status.TRIAL && interval.end() != null && in(interval.end(), first, next)) {
                boolean converted = i + 1 < intervals.size() && intervals.get(i + 1).state().status() == SubscriptionState.Status.PAID;
                trials.add(new TrialEnd(after.tier(), converted));
            }
        }
        // Only the users paying at the start count for the upgrade and downgrade rates (SPEC 9).
        return new UserMonth(userId, startPrice == null ? null : start.tier(), startPrice, endPrice == null ? null : end.tier(), endPrice,
                trials, becamePaying, upgraded && startPrice != null, downgraded && startPrice != null);
    }

    /** The price paid in a state (SPEC 9's "paying"): a paid segment on a tier priced above 0 for this user; else null. */
    public static BigDecimal payingPrice(String userId, SubscriptionState state, PriceBook prices) {
        if (state.status() != SubscriptionState.Status.PAID) {
            return null;
        }
        BigDecimal price = price(userId, state.tier(), prices);
        return price.signum() > 0 ? price : null;
    }

    private static BigDecimal price(String userId, String tier, PriceBook prices) {
        BigDecimal price = prices.monthlyPrice(userId, tier);
        return price == null ? BigDecimal.ZERO : price;
    }

    private static boolean in(Instant t, Instant first, Instant next) {
        return !t.isBefore(first) && t.isBefore(next);
    }
}
