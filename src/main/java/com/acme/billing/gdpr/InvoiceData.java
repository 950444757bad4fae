package com.acme.billing.gdpr;

import com.acme.billing.money.Money;
import com.acme.billing.user.UserId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code invoices} and {@code invoice_lines}, kept for tax law with the pseudonym in {@code user_id}. Invoice
 * and line ids are legal numbers (and Stripe's idempotency keys) and stay as they are, old user id and all
 * (SPEC 11). {@code invoice_payments} is keyed by invoice id and holds no user id; it is exported with the
 * invoice it pays.
 */
@Component
@Order(GdprOrder.INVOICES)
class InvoiceData implements PersonalDataHolder {

    private final JdbcClient jdbc;

    InvoiceData(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String kind() {
        return "invoices";
    }

    @Override
    public long count(UserId user) {
        return jdbc.sql("SELECT (SELECT COUNT(*) FROM invoices WHERE user_id = :u) + (SELECT COUNT(*) FROM invoice_lines WHERE user_id = :u)")
                .param("u", user.value()).query(Long.class).single();
    }

    @Override
    public Optional<Object> export(UserId user) {
        Map<String, Map<String, Object>> invoices = new LinkedHashMap<>();
        jdbc.sql("SELECT i.invoice_id, i.period, i.kind, i.adjustment_no, i.status, i.currency, i.total, i.line_count, i.created_at, "
                + "i.finalized_at, p.status AS payment_status, p.stripe_invoice_id, p.event_created FROM invoices i "
                + "LEFT JOIN invoice_payments p ON p.invoice_id = i.invoice_id WHERE i.user_id = ? ORDER BY i.period, i.adjustment_no, i.invoice_id")
                .param(user.value())
                .query(rs -> {
                    int digits = Money.minorDigits(rs.getString("currency"));
                    Map<String, Object> payment = rs.getString("payment_status") == null ? null
                            : Rows.map("status", rs.getString("payment_status"), "stripe_invoice_id", rs.getString("stripe_invoice_id"),
                                    "at", Rows.instant(rs, "event_created"));
                    invoices.put(rs.getString("invoice_id"), Rows.map("invoice_id", rs.getString("invoice_id"), "period", rs.getString("period"),
                            "kind", rs.getString("kind"), "adjustment_no", rs.getInt("adjustment_no"), "status", rs.getString("status"),
                            "currency", rs.getString("currency"), "total", Rows.amount(rs.getBigDecimal("total"), digits),
                            "line_count", rs.getInt("line_count"), "created_at", Rows.instant(rs, "created_at"),
                            "finalized_at", Rows.instant(rs, "finalized_at"), "payment", payment, "lines", new ArrayList<Object>()));
                });
        if (invoices.isEmpty()) {
            return Optional.empty();
        }
        jdbc.sql("SELECT invoice_id, line_id, line_type, tier, metric, description, quantity, unit_price, amount, currency, period_start, "
                + "period_end FROM invoice_lines WHERE user_id = ? ORDER BY invoice_id, period_start, line_type, metric, line_id")
                .param(user.value())
                .query(rs -> {
                    Map<String, Object> invoice = invoices.get(rs.getString("invoice_id"));
                    if (invoice == null) {
                        return;
                    }
                    int digits = Money.minorDigits(rs.getString("currency"));
                    @SuppressWarnings("unchecked")
                    List<Object> lines = (List<Object>) invoice.get("lines");
                    lines.add(Rows.map("line_id", rs.getString("line_id"), "line_type", rs.getString("line_type"), "tier", rs.getString("tier"),
                            "metric", rs.getString("metric"), "description", rs.getString("description"),
                            "quantity", Rows.decimal(rs.getBigDecimal("quantity")), "unit_price", Rows.decimal(rs.getBigDecimal("unit_price")),
                            "amount", Rows.amount(rs.getBigDecimal("amount"), digits), "period_start", Rows.instant(rs, "period_start"),
                            "period_end", Rows.instant(rs, "period_end")));
                });
        return Optional.of(new ArrayList<>(invoices.values()));
    }

    @Override
    public Erased erase(UserId user, UserId pseudonym) {
        long renamed = jdbc.sql("UPDATE invoices SET user_id = ? WHERE user_id = ?").params(pseudonym.value(), user.value()).update();
        renamed += jdbc.sql("UPDATE invoice_lines SET user_id = ? WHERE user_id = ?").params(pseudonym.value(), user.value()).update();
        return new Erased(0, renamed);
    }
}
