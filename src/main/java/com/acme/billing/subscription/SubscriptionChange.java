package com.acme.billing.subscription;

import com.acme.billing.user.UserId;
import java.time.Instant;

/**
 * One subscription change. {@code trialEndsAt} is fixed when a trial is recorded (effective_at plus
 * the tier's trial_days of 86,400 s), so a later catalog change does not move an existing trial.
 * {@code sequence} orders changes at the same instant: the later one wins.
 */
public record SubscriptionChange(UserId userId, Instant effectiveAt, SubscriptionAction action, String tier,
        String stripeCustomerId, Instant trialEndsAt, long sequence, String source) {
}
