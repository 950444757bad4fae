package com.acme.billing.report;

import com.acme.billing.money.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.sf.jasperreports.engine.data.JRMapCollectionDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** {@code finance-report.pdf} from {@link FinanceFigures}. */
@Service
public class FinanceReport {

    private final ReportTemplates templates;
    private final JdbcClient jdbc;
    private final Clock clock;

    private final com.acme.billing.analytics.job.AnalyticsRepository analytics;
    private final com.acme.billing.experiment.store.ExperimentResults experiments;

    public FinanceReport(ReportTemplates templates, JdbcClient jdbc, Clock clock, com.acme.billing.analytics.job.AnalyticsRepository analytics,
            com.acme.billing.experiment.store.ExperimentResults experiments) {
        this.analytics = analytics;
        this.experiments = experiments;
        this.templates = templates;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Path render(FinanceFigures.Figures f, Path dir) {
        int digits = Money.minorDigits(f.currency());
        Map<String, Object> p = new HashMap<>();
        p.put("PERIOD", f.period());
        p.put("GENERATED", StatementFormat.DAY_TIME.format(clock.instant()) + " UTC");
        p.put("CURRENCY", f.currency());
        p.put("TOTAL", money(f.total(), digits));
        p.put("INVOICES", String.format("%,d", f.invoices()));
        p.put("LINES", String.format("%,d", f.lines()));
        p.put("DRAFTS", String.format("%,d", jdbc.sql("SELECT COUNT(*) FROM invoices WHERE period = ? AND status = 'draft'")
                .param(f.period()).query(Long.class).single()));
        p.put("MRR", money(f.mrr(), digits));
        p.put("MRR_PREVIOUS", money(f.previousMrr(), digits));
        BigDecimal change = f.mrr().subtract(f.previousMrr());
        String percent = f.previousMrr().signum() == 0 ? "" : " (" + (change.signum() >= 0 ? "+" : "")
                + change.multiply(BigDecimal.valueOf(100)).divide(f.previousMrr(), 1, RoundingMode.HALF_UP).toPlainString() + " %)";
        p.put("MRR_CHANGE", (change.signum() >= 0 ? "+" : "") + money(change, digits) + percent);
        p.put("MOVEMENTS_TEXT", f.movements().entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
        List<Map<String, ?>> revenueChart = new ArrayList<>();
        Map<String, BigDecimal> byTier = new java.util.TreeMap<>();
        f.revenue().forEach(r -> byTier.merge(r.tier(), r.amount(), BigDecimal::add));
        byTier.forEach((tier, amount) -> revenueChart.add(Map.of("series", f.currency(), "category", tier, "value", amount)));
        p.put("REVENUE_CHART", new JRMapCollectionDataSource(revenueChart));
        List<Map<String, ?>> moves = new ArrayList<>();
        f.movements().forEach((kind, count) -> moves.add(Map.of("series", "users", "category", kind, "value", count)));
        p.put("MOVES_CHART", new JRMapCollectionDataSource(moves));
        List<Map<String, ?>> daily = new ArrayList<>();
        f.daily().forEach(d -> daily.add(Map.of("series", d.metric(), "category", String.valueOf(d.day()), "value", d.quantity())));
        p.put("DAILY_CHART", new JRMapCollectionDataSource(daily));

        List<Map<String, ?>> rows = new ArrayList<>();
        for (FinanceFigures.Revenue r : f.revenue()) {
            rows.add(row("revenue", r.tier(), r.lineType(), String.format("%,d", r.invoices()), String.format("%,d", r.lines()), money(r.amount(), digits)));
        }
        rows.add(row("revenue", "All tiers", "total", String.format("%,d", f.invoices()), String.format("%,d", f.lines()), money(f.total(), digits)));
        int rank = 0;
        for (FinanceFigures.Customer c : f.top()) {
            rows.add(row("top", c.userId(), "#" + ++rank, String.format("%,d", c.invoices()), "", money(c.total(), digits)));
        }
        f.movements().forEach((kind, count) -> rows.add(row("moves", kind, "", "", "", String.format("%,d", count))));
        kpiPage(f.period(), p, rows);
        Path target = dir.resolve("finance-report.pdf");
        PdfRenderer.render(templates.get(ReportTemplates.FINANCE), p, rows, target);
        return target;
    }

    /** The KPIs shown against last month, in this order (analytics.csv has every figure, per tier too). */
    private static final List<String[]> KPIS = List.of(new String[] {"mrr", "MRR"}, new String[] {"arr", "ARR"},
            new String[] {"new_mrr", "New MRR"}, new String[] {"expansion_mrr", "Expansion MRR"}, new String[] {"contraction_mrr", "Contraction MRR"},
            new String[] {"churned_mrr", "Churned MRR"}, new String[] {"net_new_mrr", "Net new MRR"}, new String[] {"paying_customers", "Paying customers"},
            new String[] {"arpu", "ARPU"}, new String[] {"logo_churn_rate", "Logo churn"}, new String[] {"revenue_churn_rate", "Revenue churn"},
            new String[] {"ltv", "LTV"}, new String[] {"cac", "CAC"}, new String[] {"trial_conversion_rate", "Trial conversion"},
            new String[] {"upgrade_rate", "Upgrade rate"}, new String[] {"downgrade_rate", "Downgrade rate"},
            new String[] {"payment_success_rate", "Payment success"}, new String[] {"billed_total", "Billed total"});

    /**
     * The KPI page (issue 13): the month's figures of the last {@code analytics} run against last month's,
     * the 12-month trend of MRR, ARR, logo churn and ARPU (as many months as analytics ran for), the
     * cohort table and the pricing experiments running in the month. Left out when analytics has not run
     * for the month (the nightly job runs it before the reports).
     */
    private void kpiPage(String period, Map<String, Object> p, List<Map<String, ?>> rows) {
        com.acme.billing.period.BillingPeriod month = com.acme.billing.period.BillingPeriod.parse(period);
        Map<String, String> now = book(analytics.figures(month));
        Map<String, String> before = book(analytics.figures(new com.acme.billing.period.BillingPeriod(month.month().minusMonths(1))));
        List<Map<String, ?>> trend = new ArrayList<>();
        if (!now.isEmpty()) {
            for (String[] kpi : KPIS) {
                rows.add(row("kpi", kpi[1], "", dash(before.get(kpi[0])), dash(now.get(kpi[0])), change(before.get(kpi[0]), now.get(kpi[0]))));
            }
            List<String> periods = analytics.periods().stream().filter(q -> q.compareTo(period) <= 0).toList();
            for (String q : periods.subList(Math.max(0, periods.size() - 12), periods.size())) {
                Map<String, String> figures = book(analytics.figures(com.acme.billing.period.BillingPeriod.parse(q)));
                for (String[] series : new String[][] {{"mrr", "MRR"}, {"arr", "ARR"}, {"logo_churn_rate", "Logo churn"}, {"arpu", "ARPU"}}) {
                    String value = figures.get(series[0]);
                    if (value != null && !value.isEmpty()) {
                        trend.add(Map.of("series", series[1], "category", q, "value", new BigDecimal(value)));
                    }
                }
            }
            for (var c : analytics.cohorts(month)) {
                rows.add(row("cohort", c.cohort(), "+" + c.monthsSince(), String.format("%,d", c.users()), String.format("%,d", c.paying()),
                        c.sharePaying() + " / " + dash(c.netRevenueRetention())));
            }
        }
        for (var experiment : experiments.all()) {
            if (experiment.start().isBefore(month.end()) && month.start().isBefore(experiment.end())) {
                experiments.of(experiment.id()).ifPresent(r -> r.variants().forEach(v -> rows.add(row("experiment", r.experiment() + ": " + v.name(),
                        v.conversionRate() == null ? "-" : v.conversionRate().toPlainString() + (v.vsControl() == null ? " (control)"
                                : v.vsControl().conversion().pValue() == null ? "" : " p=" + v.vsControl().conversion().pValue().toPlainString()),
                        String.format("%,d", v.users()), v.revenuePerUser() == null ? "-" : v.revenuePerUser().toPlainString(),
                        v.vsControl() == null || v.vsControl().revenuePerUser().difference() == null ? ""
                                : v.vsControl().revenuePerUser().difference().toPlainString()
                                        + (v.vsControl().revenuePerUser().pValue() == null ? "" : " p=" + v.vsControl().revenuePerUser().pValue().toPlainString())))));
            }
        }
        for (String series : List.of("MRR", "ARR", "Logo churn", "ARPU")) {
            String key = "TREND_" + series.toUpperCase(java.util.Locale.ROOT).replace(' ', '_');
            p.put(key, new JRMapCollectionDataSource(trend.stream().filter(t -> t.get("series").equals(series)).toList()));
        }
    }

    private static Map<String, String> book(List<com.acme.billing.analytics.MonthKpis.Row> figures) {
        Map<String, String> all = new HashMap<>();
        figures.stream().filter(r -> r.tier().equals(com.acme.billing.analytics.MonthKpis.ALL)).forEach(r -> all.put(r.metric(), r.value()));
        return all;
    }

    private static String dash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    /** This month against last: the signed difference, in the figure's own digits. */
    private static String change(String before, String now) {
        if (before == null || before.isEmpty() || now == null || now.isEmpty()) {
            return "";
        }
        BigDecimal difference = new BigDecimal(now).subtract(new BigDecimal(before));
        return (difference.signum() > 0 ? "+" : "") + difference.toPlainString();
    }

    static String money(BigDecimal amount, int digits) {
        return amount.setScale(digits, RoundingMode.HALF_UP).toPlainString();
    }

    private static Map<String, ?> row(String section, String c1, String c2, String c3, String c4, String c5) {
        return Map.of("section", section, "c1", c1, "c2", c2, "c3", c3, "c4", c4, "c5", c5);
    }
}
