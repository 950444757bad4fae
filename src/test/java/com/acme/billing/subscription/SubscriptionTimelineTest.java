package com.acme.billing.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.subscription.SubscriptionTimeline.Interval;
import com.acme.billing.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionTimelineTest {

    static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    long sequence;

    SubscriptionChange change(String at, SubscriptionAction action, String tier, int trialDays) {
        Instant effective = Instant.parse(at);
        return new SubscriptionChange(new UserId("u"), effective, action, tier, null,
                action == SubscriptionAction.TRIAL ? effective.plus(Duration.ofSeconds(86_400L * trialDays)) : null, ++sequence, "test");
    }

    @Test
    void aTrialConvertsToPaidAfterExactlyItsDays() {
        var timeline = SubscriptionTimeline.of(List.of(change("2026-10-01T00:00:00Z", SubscriptionAction.TRIAL, "starter", 14)));

        assertThat(timeline.intervals()).containsExactly(
                new Interval(T0, Instant.parse("2026-10-15T00:00:00Z"), SubscriptionState.trial("starter", Instant.parse("2026-10-15T00:00:00Z"))),
                new Interval(Instant.parse("2026-10-15T00:00:00Z"), null, SubscriptionState.paid("starter")));
    }

    @Test
    void aChangeDuringATrialEndsItThenAndACancelDuringATrialLeavesNothingToPay() {
        var changed = SubscriptionTimeline.of(List.of(
                change("2026-10-01T00:00:00Z", SubscriptionAction.TRIAL, "starter", 14),
                change("2026-10-05T12:00:00Z", SubscriptionAction.CHANGE, "pro", 0)));
        assertThat(changed.intervals()).extracting(i -> i.state().status() + ":" + i.state().tier() + "@" + i.start())
                .containsExactly("TRIAL:starter@2026-10-01T00:00:00Z", "PAID:pro@2026-10-05T12:00:00Z");

        var cancelled = SubscriptionTimeline.of(List.of(
                change("2026-10-01T00:00:00Z", SubscriptionAction.TRIAL, "starter", 14),
                change("2026-10-03T00:00:00Z", SubscriptionAction.CANCEL, "", 0)));
        assertThat(cancelled.intervals()).extracting(i -> i.state().status().name()).containsExactly("TRIAL", "NONE");
        assertThat(cancelled.stateAt(Instant.parse("2026-10-20T00:00:00Z"))).isEqualTo(SubscriptionState.NONE);
    }

    @Test
    void atTheSameInstantTheLaterLineWinsAndNoChangeChangesNothing() {
        var timeline = SubscriptionTimeline.of(List.of(
                change("2026-10-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter", 0),
                change("2026-10-10T00:00:00Z", SubscriptionAction.CHANGE, "pro", 0),
                change("2026-10-10T00:00:00Z", SubscriptionAction.CHANGE, "business", 0),
                change("2026-10-20T00:00:00Z", SubscriptionAction.CHANGE, "business", 0)));

        assertThat(timeline.intervals()).containsExactly(
                new Interval(T0, Instant.parse("2026-10-10T00:00:00Z"), SubscriptionState.paid("starter")),
                new Interval(Instant.parse("2026-10-10T00:00:00Z"), null, SubscriptionState.paid("business")));
    }

    @Test
    void changesApplyInInstantOrderWhateverTheirOrderInTheFile() {
        List<SubscriptionChange> changes = new ArrayList<>(List.of(
                change("2026-10-25T00:00:00Z", SubscriptionAction.CANCEL, "", 0),
                change("2026-10-05T08:00:00Z", SubscriptionAction.SUBSCRIBE, "starter", 0)));

        var timeline = SubscriptionTimeline.of(changes);

        assertThat(timeline.intervals()).containsExactly(
                new Interval(Instant.parse("2026-10-05T08:00:00Z"), Instant.parse("2026-10-25T00:00:00Z"), SubscriptionState.paid("starter")),
                new Interval(Instant.parse("2026-10-25T00:00:00Z"), null, SubscriptionState.NONE));
    }

    @Test
    void aTrialWhileSubscribedIsAnAnomalyAndChangesNothing() {
        var timeline = SubscriptionTimeline.of(List.of(
                change("2026-10-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter", 0),
                change("2026-10-02T00:00:00Z", SubscriptionAction.TRIAL, "pro", 14)));

        assertThat(timeline.anomalies()).extracting(SubscriptionTimeline.Anomaly::reason)
                .containsExactly("trial while already paid on starter (a trial starts from no subscription)");
        assertThat(timeline.intervals()).hasSize(1);
    }
}
