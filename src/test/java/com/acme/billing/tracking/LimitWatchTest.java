package com.acme.billing.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.ops.AlertRepository;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.user.UserId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * serve's limit watch: the alerts of a sweep raised together, and a sweep whose raise failed checked again at the
 * next track. The limit alerts here are a fake that records what it was asked (the checks against a real database
 * through serve are AlertsTest's); the watch's own interval is an hour, so only the test runs its sweeps.
 */
class LimitWatchTest {

    /** Every month assessed has one warning to raise and 10 ai_responses of headroom left. */
    static final class RecordingAlerts extends LimitAlerts {
        final List<String> assessed = new ArrayList<>();
        final List<List<String>> raised = new ArrayList<>();
        int failuresToCome;

        RecordingAlerts() {
            super(null, null, null, null, null, Clock.systemUTC(), null);
        }

        @Override
        public Assessed assess(UserId user, BillingPeriod period, String source) {
            assessed.add(user.value() + " " + period);
            String key = WARNING + ":" + user.value() + ":ai_responses:" + period;
            return new Assessed(List.of(new AlertRepository.NewAlert(WARNING, user.value(), null, "ai_responses", period.toString(),
                    Instant.parse("2026-10-20T00:00:00Z"), "warning", source, key)), Map.of("ai_responses", 10L));
        }

        @Override
        public int raiseAll(List<AlertRepository.NewAlert> alerts) {
            if (failuresToCome > 0) {
                failuresToCome--;
                throw new IllegalStateException("database unavailable");
            }
            raised.add(alerts.stream().map(AlertRepository.NewAlert::dedupeKey).toList());
            return alerts.size();
        }
    }

    private final RecordingAlerts alerts = new RecordingAlerts();
    private final LimitWatch watch = new LimitWatch(alerts, Duration.ofHours(1), Duration.ofSeconds(60));

    @AfterEach
    void stop() {
        watch.destroy();
    }

    @Test
    void raisesTheAlertsOfASweepInOneCallAndSkipsTracksWithinTheHeadroom() {
        watch.touched("alice", 202610, "ai_responses", 1);
        watch.touched("bob", 202610, "ai_responses", 1);
        watch.checkTouched();

        assertThat(alerts.assessed).containsExactlyInAnyOrder("alice 2026-10", "bob 2026-10");
        assertThat(alerts.raised).hasSize(1);
        assertThat(alerts.raised.get(0)).containsExactlyInAnyOrder("limit_warning:alice:ai_responses:2026-10",
                "limit_warning:bob:ai_responses:2026-10");

        // 9 of the 10 left: no threshold can have been reached, nothing to check
        watch.touched("alice", 202610, "ai_responses", 9);
        watch.checkTouched();
        assertThat(alerts.assessed).hasSize(2);
        // the 10th reaches it: checked again
        watch.touched("alice", 202610, "ai_responses", 1);
        watch.checkTouched();
        assertThat(alerts.assessed).containsExactlyInAnyOrder("alice 2026-10", "bob 2026-10", "alice 2026-10");
    }

    @Test
    void aSweepWhoseRaiseFailedIsCheckedAgainAtTheNextTrack() {
        alerts.failuresToCome = 1;
        watch.touched("alice", 202610, "ai_responses", 1);
        watch.touched("bob", 202610, "ai_responses", 1);
        watch.checkTouched();
        assertThat(alerts.raised).isEmpty();

        // within the headroom the check left, but that check's alerts were not raised: checked again
        watch.touched("alice", 202610, "ai_responses", 1);
        watch.checkTouched();

        assertThat(alerts.assessed).containsExactly(alerts.assessed.get(0), alerts.assessed.get(1), "alice 2026-10");
        assertThat(alerts.raised).containsExactly(List.of("limit_warning:alice:ai_responses:2026-10"));
    }
}
