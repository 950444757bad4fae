package com.acme.billing.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The limit thresholds (80 %, 100 %) and the headroom serve's LimitWatch counts tracked usage against. */
class LimitThresholdsTest {

    @Test
    void crossedThresholds() {
        assertThat(LimitAlerts.crossed(7, 10)).isEmpty();
        assertThat(LimitAlerts.crossed(8, 10)).containsExactly("limit_warning");
        assertThat(LimitAlerts.crossed(10, 10)).containsExactly("limit_warning", "limit_reached");
        assertThat(LimitAlerts.crossed(2, 3)).isEmpty(); // 66.7 %
        assertThat(LimitAlerts.crossed(3, 3)).containsExactly("limit_warning", "limit_reached");
        assertThat(LimitAlerts.crossed(100, 0)).isEmpty();
    }

    @Test
    void headroomToTheNextThreshold() {
        assertThat(LimitAlerts.headroom(0, 10)).isEqualTo(8);
        assertThat(LimitAlerts.headroom(7, 10)).isEqualTo(1);
        assertThat(LimitAlerts.headroom(8, 10)).isEqualTo(2);
        assertThat(LimitAlerts.headroom(9, 10)).isEqualTo(1);
        assertThat(LimitAlerts.headroom(10, 10)).isEqualTo(Long.MAX_VALUE);
        assertThat(LimitAlerts.headroom(0, 3)).isEqualTo(3);
        assertThat(LimitAlerts.headroom(450, 500)).isEqualTo(50);
        assertThat(LimitAlerts.headroom(5, 0)).isEqualTo(Long.MAX_VALUE);
    }

    /** Just short of the headroom nothing more is crossed; the headroom itself crosses the next threshold. */
    @Test
    void headroomIsExactlyTheDistanceToTheNextCrossing() {
        for (long included = 1; included <= 60; included++) {
            for (long used = 0; used <= included + 5; used++) {
                long room = LimitAlerts.headroom(used, included);
                List<String> now = LimitAlerts.crossed(used, included);
                if (room == Long.MAX_VALUE) {
                    assertThat(now).as("used %d of %d", used, included).hasSize(2);
                    continue;
                }
                assertThat(LimitAlerts.crossed(used + room - 1, included)).as("used %d of %d", used, included).isEqualTo(now);
                // one more threshold, or both where they coincide (included 1 to 4: 80 % rounds up to all of it)
                assertThat(LimitAlerts.crossed(used + room, included)).as("used %d of %d", used, included).hasSizeGreaterThan(now.size());
            }
        }
    }
}
