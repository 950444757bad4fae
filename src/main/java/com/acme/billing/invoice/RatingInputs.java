package com.acme.billing.invoice;

import com.acme.billing.platform.BillingPaths;
import com.acme.billing.eventstore.EventStore;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.rating.Segment;
import com.acme.billing.rating.Segments;
import com.acme.billing.subscription.SubscriptionChange;
import com.acme.billing.subscription.store.SubscriptionRepository;
import com.acme.billing.subscription.SubscriptionState;
import com.acme.billing.subscription.SubscriptionTimeline;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Service;

/**
 * Builds what rating needs for a period, streaming, user after user: every user's segments (from
 * the subscription history) into {@code rating_segments}, and the usage in each (summed by the event
 * store in one pass over the month's events) into {@code rating_usage}. A user with usage but no
 * subscription gets one segment in state NONE. Memory holds one user's changes and one batch of rows.
 */
@Service
public class RatingInputs {

    /** Where the rows go: the scratch tables for the job, anything else for a dry run. */
    public interface Sink {
        void segment(String userId, int segNo, Segment segment);

        void usage(String userId, int segNo, String metric, long quantity);

        /** Users with usage and no segment: one NONE segment each. */
        void usersWithoutSegments(BillingPeriod period);
    }

    private final SubscriptionRepository subscriptions;
    private final EventStore events;
    private final BillingPaths paths;

    public RatingInputs(SubscriptionRepository subscriptions, EventStore events, BillingPaths paths) {
        this.subscriptions = subscriptions;
        this.events = events;
        this.paths = paths;
    }

    /** @return the number of users with segments */
    public long build(BillingPeriod period, Sink sink) {
        Path csv = paths.staging().resolve("segments-" + period + "-" + ProcessHandle.current().pid() + ".csv");
        AtomicLong users = new AtomicLong();
        try {
            Files.createDirectories(paths.staging());
            try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                subscriptions.forEachUser(period.end(), null, (user, changes) -> users.addAndGet(emit(user, changes, period, sink, out)));
            }
            events.usageBySegment(period.month().getYear() * 100 + period.month().getMonthValue(), csv,
                    row -> sink.usage(row.userId(), row.segNo() == null ? 0 : row.segNo(), row.metric(), row.quantity()));
            sink.usersWithoutSegments(period);
            return users.get();
        } catch (IOException e) {
            throw new UncheckedIOException("writing segments: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(csv);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static int emit(String user, List<SubscriptionChange> changes, BillingPeriod period, Sink sink, BufferedWriter csv) {
        List<Segment> segments = Segments.of(SubscriptionTimeline.of(changes), period);
        if (segments.stream().allMatch(s -> s.state().status() == SubscriptionState.Status.NONE)) {
            return 0;
        }
        try {
            for (int i = 0; i < segments.size(); i++) {
                Segment s = segments.get(i);
                sink.segment(user, i, s);
                csv.write(user + "," + i + "," + s.start().getEpochSecond() * 1_000_000 + "," + s.end().getEpochSecond() * 1_000_000 + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 1;
    }
}
