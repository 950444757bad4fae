package com.acme.billing.subscription;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The states of one user over time, built from that user's changes (SPEC 4). A pure function: the
 * same changes always give the same intervals. Intervals are half open, {@code [start, end)}, with
 * {@code end == null} for the last one; a user has {@link SubscriptionState#NONE} before the first.
 */
public final class SubscriptionTimeline {

    public record Interval(Instant start, Instant end, SubscriptionState state) {
    }

    /** A change that cannot apply in the state it meets (for example a trial while subscribed). */
    public record Anomaly(SubscriptionChange change, String reason) {
    }

    private final List<Interval> intervals;
    private final List<Anomaly> anomalies;

    private SubscriptionTimeline(List<Interval> intervals, List<Anomaly> anomalies) {
        this.intervals = List.copyOf(intervals);
        this.anomalies = List.copyOf(anomalies);
    }

    public static SubscriptionTimeline of(List<SubscriptionChange> changes) {
        List<SubscriptionChange> ordered = new ArrayList<>(changes);
        ordered.sort(Comparator.comparing(SubscriptionChange::effectiveAt).thenComparingLong(SubscriptionChange::sequence));
        Builder builder = new Builder();
        for (SubscriptionChange change : ordered) {
            builder.convertEndedTrial(change.effectiveAt());
            builder.apply(change);
        }
        builder.convertEndedTrial(null);
        return new SubscriptionTimeline(builder.closed(), builder.anomalies);
    }

    public List<Interval> intervals() {
        return intervals;
    }

    public List<Anomaly> anomalies() {
        return anomalies;
    }

    public SubscriptionState stateAt(Instant instant) {
        for (Interval interval : intervals) {
            if (!instant.isBefore(interval.start()) && (interval.end() == null || instant.isBefore(interval.end()))) {
                return interval.state();
            }
        }
        return SubscriptionState.NONE;
    }

    private static final class Builder {
        private final List<Instant> starts = new ArrayList<>();
        private final List<SubscriptionState> states = new ArrayList<>();
        private final List<Anomaly> anomalies = new ArrayList<>();

        SubscriptionState current() {
            return states.isEmpty() ? SubscriptionState.NONE : states.get(states.size() - 1);
        }

        /** A trial whose end lies before {@code until} (or at all, when null) converts to paid then. */
        void convertEndedTrial(Instant until) {
            SubscriptionState current = current();
            if (current.status() == SubscriptionState.Status.TRIAL
                    && (until == null || !current.trialEndsAt().isAfter(until))) {
                enter(current.trialEndsAt(), SubscriptionState.paid(current.tier()));
            }
        }

        void apply(SubscriptionChange change) {
            SubscriptionState current = current();
            SubscriptionState next = switch (change.action()) {
                case TRIAL -> {
                    if (current.status() != SubscriptionState.Status.NONE) {
                        anomalies.add(new Anomaly(change, "trial while already " + current.status().name().toLowerCase()
                                + " on " + current.tier() + " (a trial starts from no subscription)"));
                        yield current;
                    }
                    yield SubscriptionState.trial(change.tier(), change.trialEndsAt());
                }
                case SUBSCRIBE, CHANGE -> SubscriptionState.paid(change.tier());
                case CANCEL -> SubscriptionState.NONE;
            };
            if (!next.sameAs(current)) {
                enter(change.effectiveAt(), next);
            }
        }

        void enter(Instant at, SubscriptionState state) {
            int last = states.size() - 1;
            if (last >= 0 && starts.get(last).equals(at)) {
                // Same instant: the later change wins; the earlier state never lasted a second.
                starts.remove(last);
                states.remove(last);
                if (!states.isEmpty() && current().sameAs(state)) {
                    return;
                }
                if (states.isEmpty() && state.status() == SubscriptionState.Status.NONE) {
                    return;
                }
            }
            starts.add(at);
            states.add(state);
        }

        List<Interval> closed() {
            List<Interval> result = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                Instant end = i + 1 < states.size() ? starts.get(i + 1) : null;
                result.add(new Interval(starts.get(i), end, states.get(i)));
            }
            return result;
        }
    }
}
