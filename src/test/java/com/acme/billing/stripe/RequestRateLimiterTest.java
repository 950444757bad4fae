package com.acme.billing.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * Waiters interrupted while they wait for the slot of a request still in flight (the first in
     * line) or for their turn behind other waiters give their place up: the callers after them still
     * get through, in order.
     */
    @Test
    void waitersInterruptedInLineLoseNoTicket() throws Exception {
        RequestRateLimiter limiter = new RequestRateLimiter(1, TimeUnit.MILLISECONDS.toNanos(200));
        RequestRateLimiter.Permit inFlight = limiter.acquire();
        Waiter head = Waiter.start(limiter, "head");
        Waiter second = Waiter.start(limiter, "second");
        Waiter third = Waiter.start(limiter, "third");
        Waiter fourth = Waiter.start(limiter, "fourth");

        head.thread().interrupt();
        third.thread().interrupt();
        assertThat(head.outcome()).isInstanceOf(InterruptedException.class);
        assertThat(third.outcome()).isInstanceOf(InterruptedException.class);
        inFlight.done();

        RequestRateLimiter.Permit secondPermit = second.permit();
        secondPermit.done();
        fourth.permit().done();
        Waiter.start(limiter, "later").permit().done();
    }

    /** A caller interrupted while it sleeps until its send time holds a reserved slot: it gives it back. */
    @Test
    void aCallerInterruptedBeforeItsSendTimeLosesNoSlot() throws Exception {
        RequestRateLimiter limiter = new RequestRateLimiter(1, TimeUnit.MILLISECONDS.toNanos(300));
        limiter.acquire().done();
        // The next send may leave 300 ms after that one came back: this caller sleeps until then.
        Waiter sleeper = Waiter.start(limiter, "sleeper");
        assertThat(sleeper.thread().getState()).isEqualTo(Thread.State.TIMED_WAITING);
        sleeper.thread().interrupt();
        assertThat(sleeper.outcome()).isInstanceOf(InterruptedException.class);

        Waiter.start(limiter, "later").permit().done();
        Waiter.start(limiter, "after that").permit().done();
    }

    /** done() twice (a finally after an error path that already released) must not free a slot that a later request holds. */
    @Test
    void aSecondDoneDoesNotFreeAnotherRequestsSlot() throws Exception {
        RequestRateLimiter limiter = new RequestRateLimiter(1, TimeUnit.MILLISECONDS.toNanos(100));
        RequestRateLimiter.Permit first = limiter.acquire();
        first.done();
        RequestRateLimiter.Permit second = limiter.acquire();
        first.done();

        // The one slot is still held by the second request: a third caller waits for it.
        Waiter third = Waiter.start(limiter, "third");
        assertThat(third.thread().getState()).isEqualTo(Thread.State.WAITING);
        second.done();
        third.permit().done();
    }

    /** A thread that calls acquire() once and keeps what came of it; started only once the previous one is waiting. */
    record Waiter(Thread thread, AtomicReference<Object> result, java.util.concurrent.CountDownLatch finished) {

        static Waiter start(RequestRateLimiter limiter, String name) throws InterruptedException {
            AtomicReference<Object> result = new AtomicReference<>();
            java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
            Thread thread = new Thread(() -> {
                try {
                    result.set(limiter.acquire());
                } catch (InterruptedException e) {
                    result.set(e);
                } finally {
                    finished.countDown();
                }
            }, "waiter-" + name);
            thread.setDaemon(true);
            thread.start();
            // Wait until it blocks (or finished), so that tickets are handed out in the order started.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (finished.getCount() > 0 && thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING
                    && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            return new Waiter(thread, result, finished);
        }

        /** What acquire() came to: a permit or the InterruptedException; fails if it is still blocked after 5 s. */
        Object outcome() throws InterruptedException, TimeoutException {
            if (!finished.await(5, TimeUnit.SECONDS)) {
                throw new TimeoutException(thread.getName() + " still blocked after 5 s (" + thread.getState() + ")");
            }
            return result.get();
        }

        RequestRateLimiter.Permit permit() throws InterruptedException, TimeoutException {
            Object outcome = outcome();
            assertThat(outcome).as(thread.getName()).isInstanceOf(RequestRateLimiter.Permit.class);
            return (RequestRateLimiter.Permit) outcome;
        }
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
