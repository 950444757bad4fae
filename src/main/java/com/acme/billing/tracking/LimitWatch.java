package com.acme.billing.tracking;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.user.UserId;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Limit alerts for online tracking (SPEC 10: "serve when it tracks"). {@code track} answers once its
 * events are committed; the user months it touched are noted here and checked by one background
 * thread within half a second, each month once however many batches touched it meanwhile, so the
 * track path pays nothing for the check. Should serve die before a check, the move of tracked events
 * into the event store (ingest's raiseLimitAlerts step) checks those months again.
 */
@Component
public class LimitWatch implements DisposableBean {

    private record UserMonth(String userId, int yyyymm) {
    }

    private static final Logger log = LoggerFactory.getLogger(LimitWatch.class);

    private final LimitAlerts limits;
    private final Set<UserMonth> touched = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService checker;

    public LimitWatch(LimitAlerts limits) {
        this.limits = limits;
    }

    void touched(String userId, int yyyymm) {
        touched.add(new UserMonth(userId, yyyymm));
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
            executor.scheduleWithFixedDelay(this::checkTouched, 500, 500, TimeUnit.MILLISECONDS);
            checker = executor;
        }
    }

    /** Checks every user month touched since the last run. */
    public void checkTouched() {
        List<UserMonth> batch = new ArrayList<>(touched);
        for (UserMonth m : batch) {
            touched.remove(m);
            try {
                limits.check(UserId.parse(m.userId()), new BillingPeriod(YearMonth.of(m.yyyymm() / 100, m.yyyymm() % 100)), "usage/track");
            } catch (RuntimeException e) {
                log.warn("limit alerts for {} {} not checked: {}", m.userId(), m.yyyymm(), e.toString());
            }
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
