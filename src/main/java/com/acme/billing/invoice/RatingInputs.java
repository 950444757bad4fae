package com.acme.billing.invoice;

import com.acme.billing.config.BillingPaths;
import com.acme.billing.ingest.EventStore;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.rating.Rating;
import com.acme.billing.rating.Segment;
import com.acme.billing.rating.Segments;
import com.acme.billing.subscription.SubscriptionAction;
import com.acme.billing.subscription.SubscriptionChange;
import com.acme.billing.subscription.SubscriptionState;
import com.acme.billing.subscription.SubscriptionTimeline;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Builds what rating needs for a period: every user's segments (from the subscription history) and
 * the usage in each (summed by the event store in one pass over the month's events). Users with
 * usage but no subscription get one segment in state NONE.
 */
@Service
public class RatingInputs {

    private final JdbcTemplate jdbc;
    private final EventStore events;
    private final BillingPaths paths;

    public RatingInputs(JdbcTemplate jdbc, EventStore events, BillingPaths paths) {
        this.jdbc = jdbc;
        this.events = events;
        this.paths = paths;
    }

    /** All users of the period, in user order. */
    public TreeMap<String, UserPeriod> build(BillingPeriod period) {
        TreeMap<String, List<Segment>> segments = new TreeMap<>();
        List<SubscriptionChange> current = new ArrayList<>();
        String[] user = {null};
        jdbc.query("SELECT user_id, effective_at, action, tier, trial_ends_at, id FROM subscription_changes "
                + "WHERE effective_at < ? ORDER BY user_id, effective_at, id", rs -> {
                    String u = rs.getString(1);
                    if (user[0] != null && !user[0].equals(u)) {
                        addSegments(segments, user[0], current, period);
                        current.clear();
                    }
                    user[0] = u;
                    OffsetDateTime trialEnds = rs.getObject(5, OffsetDateTime.class);
                    current.add(new SubscriptionChange(u, rs.getObject(2, OffsetDateTime.class).toInstant(),
                            SubscriptionAction.parse(rs.getString(3)).orElseThrow(), rs.getString(4), null,
                            trialEnds == null ? null : trialEnds.toInstant(), rs.getLong(6), ""));
                }, InvoiceRepository.utc(period.end()));
        if (user[0] != null) {
            addSegments(segments, user[0], current, period);
        }
        Map<String, Map<Integer, Map<String, Long>>> usage = new HashMap<>();
        Path csv = writeSegments(segments, period);
        try {
            events.usageBySegment(period.month().getYear() * 100 + period.month().getMonthValue(), csv, row -> {
                int seg = row.segNo() == null ? 0 : row.segNo();
                usage.computeIfAbsent(row.userId(), u -> new HashMap<>()).computeIfAbsent(seg, s -> new HashMap<>())
                        .merge(row.metric(), row.quantity(), Long::sum);
            });
        } finally {
            try {
                Files.deleteIfExists(csv);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        TreeMap<String, UserPeriod> result = new TreeMap<>();
        for (Map.Entry<String, List<Segment>> entry : segments.entrySet()) {
            Map<Integer, Map<String, Long>> byUser = usage.getOrDefault(entry.getKey(), Map.of());
            List<Rating.SegmentUsage> list = new ArrayList<>();
            for (int i = 0; i < entry.getValue().size(); i++) {
                list.add(new Rating.SegmentUsage(entry.getValue().get(i), byUser.getOrDefault(i, Map.of())));
            }
            result.put(entry.getKey(), new UserPeriod(entry.getKey(), list));
        }
        usage.forEach((u, bySegment) -> {
            if (!segments.containsKey(u)) {
                result.put(u, new UserPeriod(u, List.of(new Rating.SegmentUsage(
                        new Segment(period.start(), period.end(), SubscriptionState.NONE), bySegment.getOrDefault(0, Map.of())))));
            }
        });
        return result;
    }

    private static void addSegments(Map<String, List<Segment>> segments, String user, List<SubscriptionChange> changes, BillingPeriod period) {
        List<Segment> list = Segments.of(SubscriptionTimeline.of(changes), period);
        if (list.stream().anyMatch(s -> s.state().status() != SubscriptionState.Status.NONE)) {
            segments.put(user, list);
        }
    }

    private Path writeSegments(Map<String, List<Segment>> segments, BillingPeriod period) {
        try {
            Files.createDirectories(paths.staging());
            Path csv = paths.staging().resolve("segments-" + period + "-" + ProcessHandle.current().pid() + ".csv");
            try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                for (Map.Entry<String, List<Segment>> entry : segments.entrySet()) {
                    List<Segment> list = entry.getValue();
                    for (int i = 0; i < list.size(); i++) {
                        out.write(entry.getKey() + "," + i + "," + list.get(i).start().getEpochSecond() * 1_000_000 + ","
                                + list.get(i).end().getEpochSecond() * 1_000_000 + "\n");
                    }
                }
            }
            return csv;
        } catch (IOException e) {
            throw new UncheckedIOException("writing segments: " + e.getMessage(), e);
        }
    }
}
