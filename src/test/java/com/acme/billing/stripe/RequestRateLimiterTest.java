package com.acme.billing.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The limiter's promise, checked with real threads and real time: requests {@code permits} apart are a second apart. */
class RequestRateLimiterTest {

    record Sent(long at, long back) {
    }

    @Test
    void requestsPermitsApartLeaveASecondAfterTheFirstCameBack() throws Exception {
        RequestRateLimiter limiter = RequestRateLimiter.forRequestsPerSecond(20);
        List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
        ExecutorService workers = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int seed = w;
            futures.add(workers.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < 8; i++) {
                    RequestRateLimiter.Permit permit = limiter.acquire();
                    long at = System.nanoTime();
                    Thread.sleep(5 + random.nextInt(60)); // answers of varying speed
                    long back = System.nanoTime();
                    permit.done();
                    sent.add(new Sent(at, back));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        workers.shutdown();
        List<Sent> ordered = new ArrayList<>(sent);
        ordered.sort((a, b) -> Long.compare(a.at(), b.at()));
        assertThat(ordered).hasSize(64);
        for (int k = 0; k + 20 < ordered.size(); k++) {
            assertThat(ordered.get(k + 20).at()).isGreaterThanOrEqualTo(ordered.get(k).back() + 1_000_000_000L);
        }
        // 64 requests, 20 a second: at least two full seconds from the first to the last.
        assertThat(ordered.get(63).at() - ordered.get(0).at()).isGreaterThanOrEqualTo(2_000_000_000L);
    }

    @Test
    void refusesALimitBelowOne() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RequestRateLimiter.forRequestsPerSecond(0))
                .hasMessageContaining("at least 1 per second");
    }

    @Test
    void backoffGrowsExponentiallyWithFullJitterUpToItsCap() {
        Backoff backoff = new Backoff(100, 2000);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delayMillis(1, random)).isBetween(0L, 100L);
            assertThat(backoff.delayMillis(3, random)).isBetween(0L, 400L);
            assertThat(backoff.delayMillis(12, random)).isBetween(0L, 2000L);
        }
        long max = 0;
        for (int i = 0; i < 200; i++) {
            max = Math.max(max, backoff.delayMillis(12, random));
        }
        assertThat(max).isGreaterThan(1500L);
    }
}
