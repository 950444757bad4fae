package com.acme.billing.analytics.job;

import com.acme.billing.analytics.MonthKpis;
import com.acme.billing.ops.AlertRepository;
import com.acme.billing.period.BillingPeriod;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * {@code churn_high} (SPEC 10): the month's {@code logo_churn_rate} (all tiers) above
 * {@code billing.alerts.churn-threshold} (default 0.05), raised once per month when the analytics
 * job computes it. A month without paying customers at its start has no rate and raises nothing.
 */
@Component
public class ChurnAlert {

    private final AlertRepository alerts;
    private final BigDecimal threshold;
    private final Clock clock;

    public ChurnAlert(AlertRepository alerts, @Value("${billing.alerts.churn-threshold:0.05}") BigDecimal threshold, Clock clock) {
        this.alerts = alerts;
        this.threshold = threshold;
        this.clock = clock;
    }

    /** Returns whether the alert was raised now. */
    public boolean raiseIfHigh(BillingPeriod period, List<MonthKpis.Row> figures) {
        return figures.stream()
                .filter(r -> r.metric().equals("logo_churn_rate") && MonthKpis.ALL.equals(r.tier()) && r.value() != null && !r.value().isEmpty())
                .findFirst()
                .map(r -> new BigDecimal(r.value()))
                .filter(rate -> rate.compareTo(threshold) > 0)
                .map(rate -> alerts.raiseAll(List.of(new AlertRepository.NewAlert("churn_high", null, null, null, period.toString(), clock.instant(),
                        "logo churn rate of " + period + " is " + rate.toPlainString() + ", above the threshold " + threshold.toPlainString(),
                        "analytics " + period, "churn_high:" + period))) == 1)
                .orElse(false);
    }
}
