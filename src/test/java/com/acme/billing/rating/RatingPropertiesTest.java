package com.acme.billing.rating;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.subscription.SubscriptionAction;
import com.acme.billing.subscription.SubscriptionChange;
import com.acme.billing.subscription.SubscriptionTimeline;
import com.acme.billing.user.UserId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Properties of rating checked on random timelines and usage (a seeded generator per repetition, so
 * a failure names its seed and can be replayed).
 */
class RatingPropertiesTest {

    static final Catalog USD = RatingScenariosTest.catalog(Path.of("sample-data/catalog.yaml"));
    static final String[] TIERS = {"free", "starter", "pro", "business"};
    static final String[] MONTHS = {"2026-10", "2026-11", "2027-02", "2028-02"};

    @RepeatedTest(300)
    void segmentFractionsOfAMonthAddUpToOne(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        BillingPeriod period = BillingPeriod.parse(MONTHS[random.nextInt(MONTHS.length)]);
        List<Segment> segments = Segments.of(SubscriptionTimeline.of(randomChanges(random, period)), period);

        long seconds = segments.stream().mapToLong(Segment::seconds).sum();
        BigDecimal fractions = segments.stream()
                .map(s -> BigDecimal.valueOf(s.seconds()).divide(BigDecimal.valueOf(period.seconds()), 30, RoundingMode.HALF_UP))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(seconds).isEqualTo(period.seconds());
        assertThat(fractions.setScale(20, RoundingMode.HALF_UP)).isEqualByComparingTo(BigDecimal.ONE);
        assertThat(segments.get(0).start()).isEqualTo(period.start());
        assertThat(segments.get(segments.size() - 1).end()).isEqualTo(period.end());
        for (int i = 1; i < segments.size(); i++) {
            assertThat(segments.get(i).start()).isEqualTo(segments.get(i - 1).end());
        }
    }

    @RepeatedTest(300)
    void aTotalIsTheSumOfItsRoundedLinesAndMoreUsageNeverLowersIt(RepetitionInfo repetition) {
        Random random = new Random(1000 + repetition.getCurrentRepetition());
        BillingPeriod period = BillingPeriod.parse(MONTHS[random.nextInt(MONTHS.length)]);
        List<Segment> segments = Segments.of(SubscriptionTimeline.of(randomChanges(random, period)), period);
        List<Rating.SegmentUsage> usage = new ArrayList<>();
        for (Segment segment : segments) {
            Map<String, Long> quantities = new HashMap<>();
            for (String metric : USD.metrics()) {
                quantities.put(metric, (long) random.nextInt(40_000));
            }
            usage.add(new Rating.SegmentUsage(segment, quantities));
        }

        Rating.Result result = Rating.rate(period, usage, USD);

        for (RatedLine line : result.lines()) {
            assertThat(line.amount().scale()).isEqualTo(2);
            assertThat(line.amount().signum()).isPositive();
        }

        int which = random.nextInt(usage.size());
        String metric = USD.metrics().get(random.nextInt(USD.metrics().size()));
        List<Rating.SegmentUsage> more = new ArrayList<>(usage);
        Map<String, Long> bumped = new HashMap<>(usage.get(which).usage());
        bumped.merge(metric, 1L + random.nextInt(5_000), Long::sum);
        more.set(which, new Rating.SegmentUsage(usage.get(which).segment(), bumped));
        assertThat(Rating.rate(period, more, USD).total()).isGreaterThanOrEqualTo(result.total());
    }

    static List<SubscriptionChange> randomChanges(Random random, BillingPeriod period) {
        List<SubscriptionChange> changes = new ArrayList<>();
        long span = period.seconds() + 40L * 86_400;
        Instant from = period.start().minus(Duration.ofDays(20));
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            Instant at = from.plusSeconds((long) (random.nextDouble() * span));
            SubscriptionAction action = SubscriptionAction.values()[random.nextInt(4)];
            String tier = action == SubscriptionAction.CANCEL ? "" : TIERS[random.nextInt(TIERS.length)];
            if (action == SubscriptionAction.TRIAL && USD.tier(tier).orElseThrow().trialDays() == 0) {
                action = SubscriptionAction.SUBSCRIBE;
            }
            Instant trialEnds = action == SubscriptionAction.TRIAL ? at.plus(Duration.ofDays(USD.tier(tier).orElseThrow().trialDays())) : null;
            changes.add(new SubscriptionChange(new UserId("u"), at, action, tier, null, trialEnds, i + 1, "random"));
        }
        return changes;
    }
}
