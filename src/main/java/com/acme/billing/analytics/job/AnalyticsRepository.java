package com.acme.billing.analytics.job;

import com.acme.billing.analytics.Cohorts;
import com.acme.billing.analytics.MonthKpis;
import com.acme.billing.period.BillingPeriod;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What analytics reads from the billing database, and the figures it keeps per period. */
@Repository
public class AnalyticsRepository {

    /** A payment webhook event of the month: {@code paid} or failed, and the Stripe invoice object it carries. */
    public record PaymentEvent(String eventId, boolean paid, Instant created, String payload) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    public AnalyticsRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** The month's usage: per user the metrics used (above 0), and the whole book's total per metric. */
    public record MonthUsage(Map<String, Set<String>> metricsUsed, Map<String, Long> totals) {
    }

    /** Every event ingested so far for the month, in one read of {@code usage_metrics}; {@code perUser} false: totals only. */
    public MonthUsage usage(BillingPeriod period, boolean perUser) {
        Map<String, Set<String>> used = new HashMap<>();
        Map<String, Long> totals = new HashMap<>();
        jdbc.sql("SELECT user_id, metric_type, count FROM usage_metrics WHERE month_year = ?").param(period.toString())
                .query(rs -> {
                    long count = rs.getLong(3);
                    if (count > 0) {
                        String metric = rs.getString(2);
                        if (perUser) {
                            used.computeIfAbsent(rs.getString(1), u -> new HashSet<>(4)).add(metric);
                        }
                        totals.merge(metric, count, Long::sum);
                    }
                });
        return new MonthUsage(used, totals);
    }

    /**
     * tier -> metric -> usage, by the tier of the segment each event was rated in (close-period's
     * {@code usage_summaries}); empty for a month not closed yet.
     */
    public Map<String, Map<String, Long>> usageByTier(BillingPeriod period) {
        Map<String, Map<String, Long>> byTier = new HashMap<>();
        jdbc.sql("SELECT tier, metric, SUM(quantity) FROM usage_summaries WHERE period = ? AND tier <> '' GROUP BY tier, metric")
                .param(period.toString())
                .query(rs -> {
                    byTier.computeIfAbsent(rs.getString(1), t -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
                });
        return byTier;
    }

    /** {@code invoice.paid} and {@code invoice.payment_failed} events created in the month, once per event id. */
    public List<PaymentEvent> paymentEvents(BillingPeriod period) {
        return jdbc.sql("SELECT event_id, type, created, payload FROM webhook_events "
                + "WHERE type IN ('invoice.paid', 'invoice.payment_failed') AND created >= ? AND created < ? ORDER BY created, event_id")
                .params(utc(period.start()), utc(period.end()))
                .query((rs, n) -> new PaymentEvent(rs.getString(1), rs.getString(2).equals("invoice.paid"),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4)))
                .list();
    }

    /** The month's acquisition cost over every channel; null when no cost was imported for it. */
    public BigDecimal acquisitionCost(BillingPeriod period) {
        return jdbc.sql("SELECT SUM(amount) FROM acquisition_costs WHERE period = ?").param(period.toString())
                .query(BigDecimal.class).optional().orElse(null);
    }

    /** The month's invoice totals (drafts, finalized and adjustments). */
    public BigDecimal billedTotal(BillingPeriod period) {
        return jdbc.sql("SELECT COALESCE(SUM(total), 0) FROM invoices WHERE period = ?").param(period.toString())
                .query(BigDecimal.class).single();
    }

    /** tier -> the month's invoice line amounts on it. */
    public Map<String, BigDecimal> billedByTier(BillingPeriod period) {
        Map<String, BigDecimal> byTier = new LinkedHashMap<>();
        jdbc.sql("SELECT tier, SUM(amount) FROM invoice_lines WHERE period = ? GROUP BY tier ORDER BY tier").param(period.toString())
                .query(rs -> {
                    byTier.put(rs.getString(1), rs.getBigDecimal(2));
                });
        return byTier;
    }

    /** Replaces the period's figures and cohort table. Call inside a transaction. */
    public void store(BillingPeriod period, List<MonthKpis.Row> rows, List<Cohorts.Row> cohorts) {
        String p = period.toString();
        jdbc.sql("DELETE FROM analytics_figures WHERE period = ?").param(p).update();
        jdbc.sql("DELETE FROM analytics_cohorts WHERE period = ?").param(p).update();
        List<Object[]> figureRows = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            MonthKpis.Row row = rows.get(i);
            figureRows.add(new Object[] {p, i, row.metric(), row.tier(), row.value()});
        }
        batch("INSERT INTO analytics_figures (period, row_no, metric, tier, figure) VALUES (?, ?, ?, ?, ?)", figureRows);
        batch("INSERT INTO analytics_cohorts (period, cohort, months_since, users, paying, share_paying, mrr, net_revenue_retention) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", cohorts.stream().map(c -> new Object[] {p, c.cohort(), c.monthsSince(), c.users(),
                        c.paying(), c.sharePaying(), c.mrr(), c.netRevenueRetention()}).toList());
    }

    private void batch(String sql, List<Object[]> rows) {
        for (int from = 0; from < rows.size(); from += 1000) {
            template.batchUpdate(sql, rows.subList(from, Math.min(rows.size(), from + 1000)));
        }
    }

    /** The figures of the last analytics run for the period, in file order; empty when it never ran. */
    public List<MonthKpis.Row> figures(BillingPeriod period) {
        return jdbc.sql("SELECT metric, tier, figure FROM analytics_figures WHERE period = ? ORDER BY row_no").param(period.toString())
                .query((rs, n) -> new MonthKpis.Row(rs.getString(1), rs.getString(2), rs.getString(3))).list();
    }

    public List<Cohorts.Row> cohorts(BillingPeriod period) {
        return jdbc.sql("SELECT cohort, months_since, users, paying, share_paying, mrr, net_revenue_retention FROM analytics_cohorts "
                + "WHERE period = ? ORDER BY cohort, months_since").param(period.toString())
                .query((rs, n) -> new Cohorts.Row(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getString(6),
                        rs.getString(7))).list();
    }

    /** The periods analytics has figures for, oldest first (the finance report's trend). */
    public List<String> periods() {
        return jdbc.sql("SELECT DISTINCT period FROM analytics_figures ORDER BY period").query(String.class).list();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
