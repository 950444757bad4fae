package com.acme.billing.rating;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.subscription.SubscriptionState;
import com.acme.billing.subscription.SubscriptionTimeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Cuts a user's timeline into the segments of one period (SPEC 5): a split at every change. */
public final class Segments {

    private Segments() {
    }

    /**
     * The segments covering the whole period, in order; stretches without a subscription are
     * segments in state NONE (their usage is reported, never billed).
     */
    public static List<Segment> of(SubscriptionTimeline timeline, BillingPeriod period) {
        Instant start = period.start();
        Instant end = period.end();
        List<Segment> segments = new ArrayList<>();
        Instant cursor = start;
        for (SubscriptionTimeline.Interval interval : timeline.intervals()) {
            Instant from = max(interval.start(), start);
            Instant to = interval.end() == null ? end : min(interval.end(), end);
            if (!from.isBefore(to)) {
                continue;
            }
            if (cursor.isBefore(from)) {
                add(segments, new Segment(cursor, from, SubscriptionState.NONE));
            }
            add(segments, new Segment(from, to, interval.state()));
            cursor = to;
        }
        if (cursor.isBefore(end)) {
            add(segments, new Segment(cursor, end, SubscriptionState.NONE));
        }
        return segments;
    }

    private static void add(List<Segment> segments, Segment segment) {
        if (!segments.isEmpty()) {
            Segment last = segments.get(segments.size() - 1);
            if (last.end().equals(segment.start()) && last.state().sameAs(segment.state())
                    && java.util.Objects.equals(last.state().trialEndsAt(), segment.state().trialEndsAt())) {
                segments.set(segments.size() - 1, new Segment(last.start(), segment.end(), last.state()));
                return;
            }
        }
        segments.add(segment);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
