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

    public FinanceReport(ReportTemplates templates, JdbcClient jdbc, Clock clock) {
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
        Path target = dir.resolve("finance-report.pdf");
        PdfRenderer.render(templates.get(ReportTemplates.FINANCE), p, rows, target);
        return target;
    }

    static String money(BigDecimal amount, int digits) {
        return amount.setScale(digits, RoundingMode.HALF_UP).toPlainString();
    }

    private static Map<String, ?> row(String section, String c1, String c2, String c3, String c4, String c5) {
        return Map.of("section", section, "c1", c1, "c2", c2, "c3", c3, "c4", c4, "c5", c5);
    }
}
