package com.acme.billing.ops;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

/**
 * In {@code serve}: works off the alert outbox every {@code billing.alerts.delivery-interval} (default
 * 5 s), so that retries happen while nothing else runs. Other commands deliver what is due as they end.
 */
@Component
@ConditionalOnWebApplication
public class AlertDeliveryLoop implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AlertDeliveryLoop.class);

    private final AlertDelivery delivery;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public AlertDeliveryLoop(AlertDelivery delivery, @Value("${billing.alerts.delivery-interval:PT5S}") Duration interval) {
        this.delivery = delivery;
        this.interval = interval;
    }

    @Override
    public void afterPropertiesSet() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "alert-delivery");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                delivery.deliverDue(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                log.warn("alert delivery pass failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(15, TimeUnit.SECONDS);
    }
}
