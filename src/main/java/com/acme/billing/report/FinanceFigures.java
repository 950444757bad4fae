package com.acme.billing.report;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.Tier;
import com.acme.billing.invoice.PeriodCatalog;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.subscription.store.SubscriptionRepository;
import com.acme.billing.subscription.SubscriptionState;
import com.acme.billing.subscription.SubscriptionTimeline;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The month for finance: revenue by tier and line type, MRR and its change, top customers,
 * subscription movements and daily usage. Read by {@code revenue-summary.csv} and {@code finance-report.pdf},
 * so both always say the same.
 *
 * <p>MRR at the end of a month: the monthly price of the tier of every user paying (not trialing) at
 * the last instant of the month, at that month's catalog. Movements are the state changes that start
 * within the month, from each user's timeline: new trials, conversions (trial to paid), new paid
 * subscriptions, upgrades and downgrades (paid to paid at a higher or lower price), cancellations
 * (trial or paid to nothing).
 */
@Service
public class FinanceFigures {

    public record Revenue(String tier, String lineType, long invoices, long lines, BigDecimal amount) {
    }

    public record Customer(String userId, long invoices, BigDecimal total) {
    }

    public record DailyTotal(String metric, int day, long quantity) {
    }

    public record Figures(String period, String currency, List<Revenue> revenue, BigDecimal total, long invoices, long lines, BigDecimal mrr,
            BigDecimal previousMrr, List<Customer> top, Map<String, Long> movements, List<DailyTotal> daily) {
    }

    public static final List<String> MOVEMENTS = List.of("new trials", "conversions", "new paid", "upgrades", "downgrades",
            "cancellations");

    private final JdbcClient jdbc;
    private final SubscriptionRepository subscriptions;
    private final PeriodCatalog catalogs;

    public FinanceFigures(JdbcClient jdbc, SubscriptionRepository subscriptions, PeriodCatalog catalogs) {
        this.jdbc = jdbc;
        this.subscriptions = subscriptions;
        this.catalogs = catalogs;
    }

    public Figures of(String period) {
        BillingPeriod month = BillingPeriod.parse(period);
        Catalog catalog = catalogs.of(period).catalog();
        BillingPeriod previous = new BillingPeriod(month.month().minusMonths(1));
        Catalog previousCatalog = catalogs.of(previous.toString()).catalog();
        List<Revenue> revenue = jdbc.sql("SELECT tier, line_type, COUNT(DISTINCT invoice_id), COUNT(*), SUM(amount) FROM invoice_lines "
                + "WHERE period = ? GROUP BY tier, line_type ORDER BY tier, line_type")
                .param(period)
                .query((rs, n) -> new Revenue(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getBigDecimal(5)))
                .list();
        BigDecimal total = revenue.stream().map(Revenue::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        long invoices = jdbc.sql("SELECT COUNT(*) FROM invoices WHERE period = ?").param(period).query(Long.class).single();
        long lines = revenue.stream().mapToLong(Revenue::lines).sum();
        List<Customer> top = jdbc.sql("SELECT user_id, COUNT(*), SUM(total) FROM invoices WHERE period = ? GROUP BY user_id "
                + "ORDER BY SUM(total) DESC, user_id LIMIT 20")
                .param(period)
                .query((rs, n) -> new Customer(rs.getString(1), rs.getLong(2), rs.getBigDecimal(3)))
                .list();
        List<DailyTotal> daily = jdbc.sql("SELECT metric, day_of_month, SUM(quantity) FROM report_daily_usage WHERE period = ? "
                + "GROUP BY metric, day_of_month ORDER BY metric, day_of_month")
                .param(period)
                .query((rs, n) -> new DailyTotal(rs.getString(1), rs.getInt(2), rs.getLong(3)))
                .list();
        MrrTotals mrr = new MrrTotals();
        Map<String, Long> movements = new LinkedHashMap<>();
        MOVEMENTS.forEach(m -> movements.put(m, 0L));
        Instant lastInstant = month.end().minusNanos(1);
        Instant previousLast = previous.end().minusNanos(1);
        subscriptions.forEachUser(month.end(), null, (user, changes) -> {
            SubscriptionTimeline timeline = SubscriptionTimeline.of(changes);
            mrr.atEnd = mrr.atEnd.add(monthly(timeline.stateAt(lastInstant), catalog));
            mrr.previousEnd = mrr.previousEnd.add(monthly(timeline.stateAt(previousLast), previousCatalog));
            SubscriptionState before = SubscriptionState.NONE;
            for (SubscriptionTimeline.Interval interval : timeline.intervals()) {
                if (!interval.start().isBefore(month.start()) && interval.start().isBefore(month.end())) {
                    String movement = movement(before, interval.state(), catalog);
                    if (movement != null) {
                        movements.merge(movement, 1L, Long::sum);
                    }
                }
                before = interval.state();
            }
        });
        return new Figures(period, catalog.currency(), revenue, total, invoices, lines, mrr.atEnd, mrr.previousEnd, top, movements, daily);
    }

    private static BigDecimal monthly(SubscriptionState state, Catalog catalog) {
        if (state.status() != SubscriptionState.Status.PAID) {
            return BigDecimal.ZERO;
        }
        return catalog.tier(state.tier()).map(Tier::monthlyPrice).orElse(BigDecimal.ZERO);
    }

    /** The kind of one state change, or null when it is none of the movements finance counts. */
    static String movement(SubscriptionState from, SubscriptionState to, Catalog catalog) {
        var none = SubscriptionState.Status.NONE;
        var trial = SubscriptionState.Status.TRIAL;
        var paid = SubscriptionState.Status.PAID;
        if (to.status() == trial && from.status() != trial) {
            return "new trials";
        }
        if (from.status() == trial && to.status() == paid) {
            return "conversions";
        }
        if (from.status() == none && to.status() == paid) {
            return "new paid";
        }
        if (from.status() == paid && to.status() == paid && !from.tier().equals(to.tier())) {
            int compared = monthly(to, catalog).compareTo(monthly(from, catalog));
            return compared > 0 ? "upgrades" : compared < 0 ? "downgrades" : null;
        }
        if (from.status() != none && to.status() == none) {
            return "cancellations";
        }
        return null;
    }

    /**
     * One row of {@code revenue-summary.csv} after its header, the amount at the currency's minor digits;
     * {@code invoices} and {@code lines} are null on the MRR rows, which count neither.
     */
    public record RevenueRow(String period, String tier, String lineType, Long invoices, Long lines, BigDecimal amount,
            String currency) {
    }

    /** Rows of {@code revenue-summary.csv} after its header. */
    static List<RevenueRow> revenueRows(Figures f, int digits) {
        List<RevenueRow> rows = new ArrayList<>();
        for (Revenue r : f.revenue()) {
            rows.add(new RevenueRow(f.period(), r.tier(), r.lineType(), r.invoices(), r.lines(),
                    r.amount().setScale(digits, RoundingMode.UNNECESSARY), f.currency()));
        }
        rows.add(new RevenueRow(f.period(), "", "total", f.invoices(), f.lines(), f.total().setScale(digits, RoundingMode.UNNECESSARY),
                f.currency()));
        // MRR sums monthly prices that may carry more digits than the currency: rounded half up, once.
        rows.add(new RevenueRow(f.period(), "", "mrr", null, null, f.mrr().setScale(digits, RoundingMode.HALF_UP), f.currency()));
        rows.add(new RevenueRow(f.period(), "", "mrr_previous_month", null, null, f.previousMrr().setScale(digits, RoundingMode.HALF_UP),
                f.currency()));
        return rows;
    }

    /** MRR at the end of the month and at the end of the month before, summed over every user. */
    private static final class MrrTotals {
        BigDecimal atEnd = BigDecimal.ZERO;
        BigDecimal previousEnd = BigDecimal.ZERO;
    }
}
