package com.acme.billing.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The job and business figures of SPEC 10 for {@code /actuator/prometheus}. Jobs run in processes of
 * their own, so {@code serve} reads them from the job repository and the billing tables, at each
 * scrape (at most once a second): {@code billing_job_runs_total{job,status}} (finished executions),
 * {@code billing_job_last_duration_seconds{job}}, the same per step ({@code billing_step_runs_total{job,step,status}},
 * {@code billing_step_last_duration_seconds{job,step}}; partitions' own steps, named {@code step:partitionN}, are left
 * out: their number grows with the files of a run), {@code billing_events_ingested_total} (accepted from
 * usage files, tracked events included once moved), {@code billing_events_tracked_total},
 * {@code billing_alerts_total{type}}, {@code billing_webhook_events_total{type,outcome}} (outcome
 * {@code applied} or {@code refused}) and {@code billing_alert_deliveries{status}}.
 */
@Component
@ConditionalOnWebApplication
public class BillingMetrics extends OncePerRequestFilter {

    private final JdbcTemplate jdbc;
    private final MeterRegistry registry;
    /** Latest values by meter name and tags; the meters read them. */
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private volatile long refreshedAtNanos = System.nanoTime() - Duration.ofMinutes(1).toNanos();

    public BillingMetrics(JdbcTemplate jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.registry = registry;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().equals("/actuator/prometheus");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws ServletException, IOException {
        refresh();
        chain.doFilter(request, response);
    }

    /** Reads the figures again, unless that was done less than a second ago. */
    public synchronized void refresh() {
        if (System.nanoTime() - refreshedAtNanos < 1_000_000_000L) {
            return;
        }
        jdbc.query("SELECT i.JOB_NAME, e.STATUS, COUNT(*) FROM BATCH_JOB_EXECUTION e JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID "
                + "WHERE e.END_TIME IS NOT NULL GROUP BY i.JOB_NAME, e.STATUS", rs -> {
                    counter("billing.job.runs", "finished job executions", rs.getLong(3), "job", rs.getString(1), "status", rs.getString(2));
                });
        jdbc.query("SELECT i.JOB_NAME, e.START_TIME, e.END_TIME FROM BATCH_JOB_EXECUTION e JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID "
                + "WHERE e.JOB_EXECUTION_ID IN (SELECT MAX(e2.JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION e2 JOIN BATCH_JOB_INSTANCE i2 "
                + "ON i2.JOB_INSTANCE_ID = e2.JOB_INSTANCE_ID WHERE e2.END_TIME IS NOT NULL AND e2.START_TIME IS NOT NULL GROUP BY i2.JOB_NAME)", rs -> {
                    Timestamp start = rs.getTimestamp(2);
                    Timestamp end = rs.getTimestamp(3);
                    gauge("billing.job.last.duration", "seconds", "wall time of the job's last finished execution",
                            (end.getTime() - start.getTime()) / 1000.0, "job", rs.getString(1));
                });
        jdbc.query("SELECT i.JOB_NAME, s.STEP_NAME, s.STATUS, COUNT(*) FROM BATCH_STEP_EXECUTION s "
                + "JOIN BATCH_JOB_EXECUTION e ON e.JOB_EXECUTION_ID = s.JOB_EXECUTION_ID JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID "
                + "WHERE s.END_TIME IS NOT NULL AND s.STEP_NAME NOT LIKE '%:%' GROUP BY i.JOB_NAME, s.STEP_NAME, s.STATUS", rs -> {
                    counter("billing.step.runs", "finished step executions", rs.getLong(4), "job", rs.getString(1), "step", rs.getString(2),
                            "status", rs.getString(3));
                });
        jdbc.query("SELECT i.JOB_NAME, s.STEP_NAME, s.START_TIME, s.END_TIME FROM BATCH_STEP_EXECUTION s "
                + "JOIN BATCH_JOB_EXECUTION e ON e.JOB_EXECUTION_ID = s.JOB_EXECUTION_ID JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID "
                + "WHERE s.STEP_EXECUTION_ID IN (SELECT MAX(s2.STEP_EXECUTION_ID) FROM BATCH_STEP_EXECUTION s2 "
                + "JOIN BATCH_JOB_EXECUTION e2 ON e2.JOB_EXECUTION_ID = s2.JOB_EXECUTION_ID JOIN BATCH_JOB_INSTANCE i2 ON i2.JOB_INSTANCE_ID = e2.JOB_INSTANCE_ID "
                + "WHERE s2.END_TIME IS NOT NULL AND s2.START_TIME IS NOT NULL AND s2.STEP_NAME NOT LIKE '%:%' GROUP BY i2.JOB_NAME, s2.STEP_NAME)", rs -> {
                    gauge("billing.step.last.duration", "seconds", "wall time of the step's last finished execution",
                            (rs.getTimestamp(4).getTime() - rs.getTimestamp(3).getTime()) / 1000.0, "job", rs.getString(1), "step", rs.getString(2));
                });
        counter("billing.events.ingested", "usage events accepted into the event store", single("SELECT COALESCE(SUM(accepted), 0) FROM ingested_files"));
        counter("billing.events.tracked", "usage events accepted by POST /api/usage/track", single("SELECT COUNT(*) FROM tracked_events"));
        jdbc.query("SELECT type, COUNT(*) FROM alerts GROUP BY type", rs -> {
            counter("billing.alerts", "alerts raised", rs.getLong(2), "type", rs.getString(1));
        });
        jdbc.query("SELECT type, CASE WHEN outcome LIKE 'refused%' THEN 'refused' ELSE 'applied' END, COUNT(*) FROM webhook_events GROUP BY 1, 2", rs -> {
            counter("billing.webhook.events", "Stripe webhook events accepted (signature verified)", rs.getLong(3), "type", rs.getString(1),
                    "outcome", rs.getString(2));
        });
        for (String status : new String[] {"pending", "delivered", "failed"}) {
            gauge("billing.alert.deliveries", null, "alert deliveries by status",
                    single("SELECT COUNT(*) FROM alert_deliveries WHERE status = '" + status + "'"), "status", status);
        }
        refreshedAtNanos = System.nanoTime();
    }

    private double single(String sql) {
        Number n = jdbc.queryForObject(sql, Number.class);
        return n == null ? 0 : n.doubleValue();
    }

    private void counter(String name, String help, double value, String... tags) {
        String key = name + Tags.of(tags);
        if (values.put(key, value) == null) {
            FunctionCounter.builder(name, values, v -> v.getOrDefault(key, 0.0)).description(help).tags(tags).register(registry);
        }
    }

    private void gauge(String name, String unit, String help, double value, String... tags) {
        String key = name + Tags.of(tags);
        if (values.put(key, value) == null) {
            Gauge.builder(name, values, v -> v.getOrDefault(key, 0.0)).description(help).baseUnit(unit).tags(tags).register(registry);
        }
    }
}
