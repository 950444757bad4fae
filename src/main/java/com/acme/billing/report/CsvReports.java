package com.acme.billing.report;

import com.acme.billing.money.Money;
import com.acme.billing.platform.csv.CsvFiles;
import com.acme.billing.platform.csv.SafeCsvWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The CSV reports of SPEC 7: {@code invoice-lines.csv}, {@code usage-summary.csv} and
 * {@code revenue-summary.csv}. RFC 4180 (OpenCSV, CRLF line ends), UTF-8, {@code .} decimals, amounts
 * with exactly the currency's minor digits, no cell a spreadsheet would evaluate (see
 * {@link com.acme.billing.platform.csv.SafeCell}). Written to a temporary name and renamed; the same
 * data always gives the same bytes.
 */
@Service
public class CsvReports {

    public static final String[] LINE_HEADER = {"invoice_id", "line_id", "user_id", "period", "line_type", "tier", "metric", "description",
            "quantity", "unit_price", "amount", "currency", "period_start", "period_end"};
    public static final String[] USAGE_HEADER = {"user_id", "period", "metric", "tier", "quantity", "included", "overage_quantity",
            "limit_breached"};

    private final JdbcTemplate jdbc;

    public CsvReports(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<Path> write(String period, Path dir) {
        List<Path> files = new ArrayList<>();
        files.add(write(dir.resolve("invoice-lines.csv"), LINE_HEADER, out -> jdbc.query("""
                SELECT l.invoice_id, l.line_id, l.user_id, l.period, l.line_type, l.tier, l.metric, l.description, l.quantity,
                       l.unit_price, l.amount, l.currency, l.period_start, l.period_end
                FROM invoice_lines l WHERE l.period = ?
                ORDER BY l.user_id, l.invoice_id, l.period_start, l.line_type, l.metric, l.line_id
                """, rs -> {
                    int digits = Money.minorDigits(rs.getString(12));
                    String type = rs.getString(5);
                    BigDecimal quantity = rs.getBigDecimal(9);
                    BigDecimal unitPrice = rs.getBigDecimal(10);
                    out.row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), type, rs.getString(6),
                            rs.getString(7) == null ? "" : rs.getString(7), rs.getString(8),
                            "overage".equals(type) ? quantity.setScale(0, RoundingMode.UNNECESSARY).toPlainString()
                                    : quantity.setScale(6, RoundingMode.HALF_UP).toPlainString(),
                            unitPrice == null ? "" : price(unitPrice, digits),
                            rs.getBigDecimal(11).setScale(digits, RoundingMode.UNNECESSARY).toPlainString(), rs.getString(12),
                            iso(rs.getObject(13, OffsetDateTime.class)), iso(rs.getObject(14, OffsetDateTime.class)));
                }, period)));
        files.add(write(dir.resolve("usage-summary.csv"), USAGE_HEADER, out -> jdbc.query("""
                SELECT user_id, period, metric, tier, quantity, included, overage_quantity, limit_breached
                FROM usage_summaries WHERE period = ? ORDER BY user_id, metric, tier
                """, rs -> {
                    out.row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Long.toString(rs.getLong(5)), Long.toString(rs.getLong(6)), Long.toString(rs.getLong(7)),
                            Boolean.toString(rs.getBoolean(8)));
                }, period)));
        return files;
    }

    public static final String[] REVENUE_HEADER = {"period", "tier", "line_type", "invoices", "lines", "amount", "currency"};

    /**
     * {@code revenue-summary.csv}: one row per tier and line type (invoices, lines, amount), then a
     * {@code total} row and the {@code mrr} and {@code mrr_previous_month} rows (tier empty).
     */
    public Path writeRevenue(FinanceFigures.Figures figures, Path dir) {
        int digits = Money.minorDigits(figures.currency());
        return write(dir.resolve("revenue-summary.csv"), REVENUE_HEADER, out -> FinanceFigures.revenueRows(figures, digits)
                .forEach(row -> out.row(row.period(), row.tier(), row.lineType(), count(row.invoices()), count(row.lines()),
                        row.amount().toPlainString(), row.currency())));
    }

    private interface Rows {
        void write(SafeCsvWriter out);
    }

    private static Path write(Path target, String[] header, Rows rows) {
        return CsvFiles.writeAtomically(target, CsvFiles.CRLF, out -> {
            out.row(header);
            rows.write(out);
        });
    }

    /** A count, or an empty cell where the row counts nothing (the MRR rows). */
    private static String count(Long count) {
        return count == null ? "" : Long.toString(count);
    }

    /** A price as the catalog wrote it, but never with fewer than the currency's minor digits (99 -> 99.00, 0.004 stays). */
    static String price(BigDecimal price, int digits) {
        BigDecimal stripped = price.stripTrailingZeros();
        return stripped.setScale(Math.max(stripped.scale(), digits), RoundingMode.UNNECESSARY).toPlainString();
    }

    private static String iso(OffsetDateTime t) {
        return t.toInstant().toString();
    }
}
