package com.acme.billing.subscription.store;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.Tier;
import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.subscription.SubscriptionAction;
import com.acme.billing.subscription.SubscriptionChange;
import com.acme.billing.subscription.SubscriptionState;
import com.acme.billing.subscription.SubscriptionTimeline;
import com.acme.billing.user.UserId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plan changes asked for online (SPEC 8): each becomes a subscription change of SPEC 4 at the
 * request's instant (whole seconds, as imported changes are), recorded like an imported one and
 * prorated by the next close-period. Refusals: {@link InputRefusedException} for bad input (400),
 * {@link Refused} for a change the rules refuse (409).
 */
@Service
public class PlanChanges {

    /** A change the subscription rules refuse (SPEC 8: 409). */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** The state after a change; {@code status} trial, active, cancelled or none. */
    public record State(String userId, String tier, String status, Instant since, Instant trialEnds) {
    }

    public record HistoryEntry(Instant effectiveAt, String action, String tier) {
    }

    private final SubscriptionRepository subscriptions;
    private final SubscriptionImport recorder;
    private final CatalogRepository catalogs;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final TrialLengths trialLengths;

    public PlanChanges(SubscriptionRepository subscriptions, SubscriptionImport recorder, CatalogRepository catalogs, TransactionTemplate tx,
            Clock clock, TrialLengths trialLengths) {
        this.trialLengths = trialLengths;
        this.subscriptions = subscriptions;
        this.recorder = recorder;
        this.catalogs = catalogs;
        this.tx = tx;
        this.clock = clock;
    }

    public synchronized State subscribe(UserId user, String tierName, boolean trial, String stripeCustomerId) {
        return tx.execute(status -> {
            Tier tier = tier(tierName);
            refuseSubscribe(user, tier, trial);
            Instant at = instant();
            // The user's first change is the earliest stored one, else this one: what a pricing experiment admits by.
            Instant firstSeen = subscriptions.changesOf(user).stream().map(SubscriptionChange::effectiveAt).min(Instant::compareTo).orElse(at);
            Instant trialEnds = trial ? at.plus(Duration.ofSeconds(86_400L * trialLengths.current().days(user, firstSeen, tier))) : null;
            record(new SubscriptionChange(user, at, trial ? SubscriptionAction.TRIAL : SubscriptionAction.SUBSCRIBE, tier.name(),
                    stripeCustomerId, trialEnds, 0, "api"));
            return state(user);
        });
    }

    /** {@code up}: the new tier must cost more a month than the current one; else less. */
    public synchronized State change(UserId user, String tierName, boolean up) {
        return tx.execute(status -> {
            Tier tier = tier(tierName);
            refuseChange(user, tier, up);
            record(new SubscriptionChange(user, instant(), SubscriptionAction.CHANGE, tier.name(), null, null, 0, "api"));
            return state(user);
        });
    }

    public synchronized State cancel(UserId user) {
        return tx.execute(status -> {
            refuseCancel(user);
            record(new SubscriptionChange(user, instant(), SubscriptionAction.CANCEL, "", null, null, 0, "api"));
            return state(user);
        });
    }

    /**
     * Refuses exactly as the change itself would, recording nothing: for a preview before the user confirms.
     *
     * @param action subscribe, upgrade, downgrade or cancel
     * @throws Refused when the change does not apply to the user's state now
     * @throws InputRefusedException for an unknown action or tier
     */
    public void check(UserId user, String action, String tierName) {
        switch (action) {
            case "subscribe" -> refuseSubscribe(user, tier(tierName), false);
            case "upgrade" -> refuseChange(user, tier(tierName), true);
            case "downgrade" -> refuseChange(user, tier(tierName), false);
            case "cancel" -> refuseCancel(user);
            default -> throw new InputRefusedException("action: subscribe, upgrade, downgrade or cancel");
        }
    }

    /** The instant a change made now is recorded at (whole seconds, as every stored change). */
    public Instant changeInstant() {
        return instant();
    }

    private void refuseSubscribe(UserId user, Tier tier, boolean trial) {
        SubscriptionState now = stateNow(user);
        if (now.status() != SubscriptionState.Status.NONE) {
            throw new Refused("user " + user.value() + " already has " + now.tier() + " (" + status(now, true)
                    + "); use upgrade or downgrade");
        }
        if (trial && tier.trialDays() <= 0) {
            throw new InputRefusedException("trial: tier " + tier.name() + " offers no trial");
        }
    }

    /** {@code up}: the new tier must cost more a month than the current one; else less. */
    private void refuseChange(UserId user, Tier tier, boolean up) {
        SubscriptionState now = stateNow(user);
        if (now.status() == SubscriptionState.Status.NONE) {
            throw new Refused("user " + user.value() + " has no active subscription to " + (up ? "upgrade" : "downgrade"));
        }
        Tier current = catalog().tiers().get(now.tier());
        int order = tier.monthlyPrice().compareTo(current.monthlyPrice());
        if (up ? order <= 0 : order >= 0) {
            throw new Refused(tier.name() + " (" + price(tier) + " a month) is not " + (up ? "above" : "below") + " "
                    + current.name() + " (" + price(current) + "): use " + (up ? "downgrade" : "upgrade"));
        }
    }

    private void refuseCancel(UserId user) {
        if (stateNow(user).status() == SubscriptionState.Status.NONE) {
            throw new Refused("user " + user.value() + " has nothing active to cancel");
        }
    }

    /** The state now and, in time order, every change (imported, online or from Stripe). */
    public State state(UserId user) {
        List<SubscriptionChange> changes = subscriptions.changesOf(user);
        Instant now = clock.instant();
        SubscriptionTimeline timeline = SubscriptionTimeline.of(changes);
        SubscriptionState state = timeline.stateAt(now);
        Instant since = null;
        for (SubscriptionTimeline.Interval interval : timeline.intervals()) {
            if (!interval.start().isAfter(now)) {
                since = interval.start();
            }
        }
        boolean seen = changes.stream().anyMatch(c -> !c.effectiveAt().isAfter(now));
        return new State(user.value(), state.tier(), status(state, seen), seen ? since : null, state.trialEndsAt());
    }

    public List<HistoryEntry> history(UserId user) {
        return subscriptions.changesOf(user).stream()
                .map(c -> new HistoryEntry(c.effectiveAt(), c.action().wire(), c.tier() == null ? "" : c.tier())).toList();
    }

    public boolean known(UserId user) {
        return !subscriptions.changesOf(user).isEmpty();
    }

    private void record(SubscriptionChange change) {
        String refused = recorder.apply(change);
        if (refused != null) {
            throw new Refused(refused);
        }
    }

    private SubscriptionState stateNow(UserId user) {
        return SubscriptionTimeline.of(subscriptions.changesOf(user)).stateAt(clock.instant());
    }

    /** SPEC 8's status word: trial, active, cancelled (seen before, nothing now) or none (never seen). */
    public static String status(SubscriptionState state, boolean seen) {
        return switch (state.status()) {
            case TRIAL -> "trial";
            case PAID -> "active";
            case NONE -> seen ? "cancelled" : "none";
        };
    }

    /** The request's instant in whole seconds, as subscription changes are (SPEC 4, 5: prorated to the second). */
    private Instant instant() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** A monthly price with at least the currency's minor digits (99.00, not 99). */
    private String price(Tier tier) {
        java.math.BigDecimal price = tier.monthlyPrice();
        return price.setScale(Math.max(price.scale(), com.acme.billing.money.Money.minorDigits(catalog().currency()))).toPlainString();
    }

    private Catalog catalog() {
        return catalogs.latest().orElseThrow(() -> new InputRefusedException("no catalog imported")).catalog();
    }

    private Tier tier(String name) {
        if (name == null || name.isEmpty()) {
            throw new InputRefusedException("tier: required");
        }
        Tier tier = catalog().tiers().get(name);
        if (tier == null) {
            throw new InputRefusedException("tier: no tier '" + name + "' in the catalog (" + String.join(", ", catalog().tiers().keySet()) + ")");
        }
        return tier;
    }
}
