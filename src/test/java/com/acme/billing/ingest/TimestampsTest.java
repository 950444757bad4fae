package com.acme.billing.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void theFastPathAgreesWithJavaTimeOnRandomInstantsAndOffsets() {
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            long seconds = 1_500_000_000L + (long) (random.nextDouble() * 500_000_000L);
            int micros = random.nextInt(1_000_000);
            int offsetMinutes = (random.nextInt(37) - 18) * 30;
            OffsetDateTime t = OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(seconds, micros * 1000L),
                    java.time.ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
            String text = t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            assertThat(Timestamps.parseMicros(text)).as(text).isEqualTo(seconds * 1_000_000 + micros);
        }
    }

    @Test
    void monthsAreUtcMonths() {
        assertThat(Timestamps.month(Timestamps.parseMicros("2028-02-29T23:59:59.999999Z"))).isEqualTo(202802);
        assertThat(Timestamps.month(Timestamps.parseMicros("2028-03-01T00:00:00Z"))).isEqualTo(202803);
        assertThat(Timestamps.parseMicros("2027-02-29T00:00:00Z")).isEqualTo(Timestamps.INVALID);
        assertThat(Timestamps.parseMicros("2026-10-03T24:00:00Z")).isEqualTo(Timestamps.INVALID);
        assertThat(Timestamps.parseMicros("yesterday")).isEqualTo(Timestamps.INVALID);
    }
}
