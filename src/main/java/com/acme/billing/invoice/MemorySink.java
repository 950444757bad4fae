package com.acme.billing.invoice;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.rating.Rating;
import com.acme.billing.rating.Segment;
import com.acme.billing.subscription.SubscriptionState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rating inputs held in memory, for {@code close-period --dry-run}, which writes nothing (the job
 * itself streams them through tables instead).
 */
final class MemorySink implements RatingInputs.Sink {

    private final TreeMap<String, List<Segment>> segments = new TreeMap<>();
    private final Map<String, Map<Integer, Map<String, Long>>> usage = new HashMap<>();

    @Override
    public void segment(String userId, int segNo, Segment segment) {
        segments.computeIfAbsent(userId, u -> new ArrayList<>()).add(segment);
    }

    @Override
    public void usage(String userId, int segNo, String metric, long quantity) {
        usage.computeIfAbsent(userId, u -> new HashMap<>()).computeIfAbsent(segNo, s -> new HashMap<>()).merge(metric, quantity, Long::sum);
    }

    @Override
    public void usersWithoutSegments(BillingPeriod period) {
        for (String user : usage.keySet()) {
            segments.computeIfAbsent(user, u -> new ArrayList<>(List.of(new Segment(period.start(), period.end(), SubscriptionState.NONE))));
        }
    }

    List<UserPeriod> users() {
        List<UserPeriod> users = new ArrayList<>();
        segments.forEach((user, list) -> {
            List<Rating.SegmentUsage> withUsage = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                withUsage.add(new Rating.SegmentUsage(list.get(i), usage.getOrDefault(user, Map.of()).getOrDefault(i, Map.of())));
            }
            users.add(new UserPeriod(user, withUsage));
        });
        return users;
    }
}
