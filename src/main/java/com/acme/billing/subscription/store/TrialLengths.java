package com.acme.billing.subscription.store;

import com.acme.billing.catalog.Tier;
import com.acme.billing.user.UserId;
import java.time.Instant;

/**
 * The length of a trial a user starts: the tier's {@code trial_days}, unless a pricing experiment the
 * user is in overrides it (SPEC 9; implemented by the experiments, which depend on this package, not
 * the other way round).
 */
public interface TrialLengths {

    /** The rule as stored now: read once per import or request, then asked per trial. */
    Rule current();

    interface Rule {
        /** @param firstSeen the user's first subscription change, stored or in the same import */
        int days(UserId user, Instant firstSeen, Tier tier);
    }

    /** The catalog's trial lengths alone. */
    Rule CATALOG = (user, firstSeen, tier) -> tier.trialDays();
}
