package com.acme.billing.tracking;

import com.acme.billing.ops.AlertRepository;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.user.UserId;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Limit alerts for online tracking (SPEC 10: "serve when it tracks"). {@code track} answers once its
 * events are committed; the user months it touched are noted here and checked by one background
 * thread within half a second, each month once however many batches touched it meanwhile, so the
 * track path pays nothing for the check. Should serve die before a check, the move of tracked events
 * into the event store (ingest's raiseLimitAlerts step) checks those months again.
 *
 * <p>A check costs two queries; checking every touched user every half second took a quarter of
 * serve's track rate under load (docs/benchmarks.md). So a check leaves, per metric, the headroom to
 * the next threshold, and events tracked here are counted against it: a month is checked again only
 * when its tracked quantity may have reached a threshold, or when its last check is older than
 * {@code billing.alerts.track-recheck} (default 60 s), which bounds how late usage recorded by another
 * process (an ingest, another serve) or a plan change that lowered the included quantity is seen. That
 * other process checks its own usage as well.
 */
@Component
public class LimitWatch implements DisposableBean {

    private record UserMonth(String userId, int yyyymm) {
    }

    /** A month's headroom per metric as of a check, less what was tracked here since. */
    private static final class Headroom {
        final long checkedAtNanos;
        final Map<String, Long> left;

        Headroom(long checkedAtNanos, Map<String, Long> left) {
            this.checkedAtNanos = checkedAtNanos;
            this.left = new HashMap<>(left);
        }

        /** Counts the quantity; true while no threshold can have been reached. */
        synchronized boolean absorbs(String metric, long quantity) {
            Long room = left.get(metric);
            if (room == null || room <= quantity) {
                left.put(metric, 0L);
                return false;
            }
            if (room != Long.MAX_VALUE) {
                left.put(metric, room - quantity);
            }
            return true;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LimitWatch.class);

    private final LimitAlerts limits;
    private final Set<UserMonth> touched = ConcurrentHashMap.newKeySet();
    private final Map<UserMonth, Headroom> headroom = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService checker;

    private final long intervalMillis;
    private final long recheckNanos;

    public LimitWatch(LimitAlerts limits, @Value("${billing.alerts.track-check-interval:PT0.5S}") Duration interval,
            @Value("${billing.alerts.track-recheck:PT60S}") Duration recheck) {
        this.limits = limits;
        this.intervalMillis = interval.toMillis();
        this.recheckNanos = recheck.toNanos();
    }

    /** {@code quantity} of {@code metric} was tracked (committed) for the user's month. */
    void touched(String userId, int yyyymm, String metric, long quantity) {
        UserMonth month = new UserMonth(userId, yyyymm);
        Headroom room = headroom.get(month);
        if (room != null && System.nanoTime() - room.checkedAtNanos < recheckNanos && room.absorbs(metric, quantity)) {
            return;
        }
        touched.add(month);
        if (checker == null) {
            start();
        }
    }

    private synchronized void start() {
        if (checker == null) {
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "limit-alerts");
                thread.setDaemon(true);
                return thread;
            });
            executor.scheduleWithFixedDelay(this::checkTouched, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
            checker = executor;
        }
    }

    private long lastSweepNanos = System.nanoTime();

    /** Checks every user month touched since the last run that may have reached a threshold. */
    public void checkTouched() {
        long now = System.nanoTime();
        if (now - lastSweepNanos > recheckNanos) {
            // headroom older than the recheck bound is never used again: the map holds only recent months
            headroom.values().removeIf(room -> now - room.checkedAtNanos >= recheckNanos);
            lastSweepNanos = now;
        }
        List<UserMonth> batch = new ArrayList<>(touched);
        List<AlertRepository.NewAlert> raise = new ArrayList<>();
        List<UserMonth> raising = new ArrayList<>();
        for (UserMonth m : batch) {
            touched.remove(m);
            // dropped before the check: events tracked during it are then counted by the next check, not lost
            headroom.remove(m);
            try {
                long checkedAt = System.nanoTime();
                LimitAlerts.Assessed assessed = limits.assess(UserId.parse(m.userId()),
                        new BillingPeriod(YearMonth.of(m.yyyymm() / 100, m.yyyymm() % 100)), "usage/track");
                headroom.put(m, new Headroom(checkedAt, assessed.headroom()));
                if (!assessed.toRaise().isEmpty()) {
                    raise.addAll(assessed.toRaise());
                    raising.add(m);
                }
            } catch (RuntimeException e) {
                log.warn("limit alerts for {} {} not checked: {}", m.userId(), m.yyyymm(), e.toString());
            }
        }
        // The sweep's alerts in one transaction: on H2 every commit writes the store's changed pages, and a sweep
        // under load finds hundreds of months to raise (docs/benchmarks.md). Should it fail, the headroom of those
        // months goes, so that the next event tracked for any of them has it checked again.
        try {
            limits.raiseAll(raise);
        } catch (RuntimeException e) {
            raising.forEach(headroom::remove);
            log.warn("limit alerts of {} user months not raised: {}", raising.size(), e.toString());
        }
    }
    @Override
    public void destroy() {
        ScheduledExecutorService executor = checker;
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        checkTouched();
    }
}
