package com.acme.billing.gdpr;

import com.acme.billing.eventstore.EventStore;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.rating.Segment;
import com.acme.billing.rating.Segments;
import com.acme.billing.subscription.SubscriptionChange;
import com.acme.billing.subscription.SubscriptionTimeline;
import com.acme.billing.user.UserId;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What replaces an erased user's raw events in the event store: their sum per segment (SPEC 5: the user's
 * month cut at every subscription change, NONE stretches included) and metric, one event each under the
 * pseudonym, at the segment's first instant. Rating sums events per segment, so a period rated again
 * finds exactly the quantities it billed, and the monthly roll-up the same monthly totals. What is lost
 * is each event's own instant (the statement's usage by day shows a segment's usage on its first day),
 * which is the point.
 *
 * <p>The aggregate's event id is {@code <pseudonym>:<YYYY-MM>:<segment>:<metric>}; file id 0 (no file) and
 * line = its position. The segments come from the same subscription changes close-period reads (now the
 * pseudonym's), those effective before the month's end, as {@code RatingInputs} takes them.
 */
final class SegmentTotals {

    /** File id of the aggregates: none of ingest's (its ids start at 1). */
    static final long NO_FILE = 0;

    private final UserId pseudonym;
    private final List<SubscriptionChange> changes;
    private final Map<Integer, List<Segment>> segmentsByMonth = new HashMap<>();
    /** month, segment, metric -> quantity, in that order. */
    private final TreeMap<String, long[]> totals = new TreeMap<>();
    private final Map<String, Object[]> keys = new HashMap<>();
    private long events;

    SegmentTotals(UserId pseudonym, List<SubscriptionChange> changes) {
        this.pseudonym = pseudonym;
        this.changes = changes;
    }

    void add(EventStore.UserEvent event) {
        List<Segment> segments = segmentsByMonth.computeIfAbsent(event.month(), this::segments);
        // Bounds in whole seconds, as close-period hands them to the event store (RatingInputs).
        long at = event.tsMicros();
        int seg = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (at >= micros(segments.get(i).start()) && at < micros(segments.get(i).end())) {
                seg = i;
                break;
            }
        }
        String key = String.format("%06d:%04d:%s", event.month(), seg, event.metric());
        totals.computeIfAbsent(key, k -> new long[1])[0] += event.quantity();
        keys.putIfAbsent(key, new Object[] {event.month(), seg, event.metric()});
        events++;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L;
    }

    private List<Segment> segments(int yyyymm) {
        BillingPeriod period = new BillingPeriod(YearMonth.of(yyyymm / 100, yyyymm % 100));
        List<SubscriptionChange> before = changes.stream().filter(c -> c.effectiveAt().isBefore(period.end())).toList();
        return Segments.of(SubscriptionTimeline.of(before), period);
    }

    /** Raw events summed so far. */
    long events() {
        return events;
    }

    /** The replacement events, in month, segment and metric order. */
    List<EventStore.Event> replacement() {
        List<EventStore.Event> out = new ArrayList<>();
        long line = 0;
        for (Map.Entry<String, long[]> e : totals.entrySet()) {
            Object[] k = keys.get(e.getKey());
            int month = (Integer) k[0];
            int seg = (Integer) k[1];
            String metric = (String) k[2];
            Segment segment = segmentsByMonth.get(month).get(seg);
            BillingPeriod period = new BillingPeriod(YearMonth.of(month / 100, month % 100));
            out.add(new EventStore.Event(pseudonym.value() + ":" + period + ":" + seg + ":" + metric, micros(segment.start()),
                    month, pseudonym.value(), metric, e.getValue()[0], NO_FILE, ++line));
        }
        return out;
    }
}
