package com.acme.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.money.Money;
import com.acme.billing.rating.LineKey;
import com.acme.billing.rating.RatedLine;
import com.acme.billing.rating.Rating;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stored {@code line_id} is Stripe's idempotency key and {@code line_key} groups what finalized
 * invoices billed: databases already hold both, so their text must never change. The strings below
 * were computed by the code before line keys became a record.
 */
class LineIdsPinnedTest {

    static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
    static final Instant MID = Instant.parse("2026-10-20T12:00:00Z");
    static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");

    static final Currency USD = Currency.getInstance("USD");
    static final RatedLine BASE = new RatedLine(new LineKey(RatedLine.LineType.BASE_FEE, "starter", null, OCT, MID), new BigDecimal("0.629032"),
            new BigDecimal("29.00"), Money.of("18.24", "USD"), "Starter plan, Oct 1 until Oct 20 12:00:00");
    static final RatedLine OVERAGE = new RatedLine(new LineKey(RatedLine.LineType.OVERAGE, "pro", "emails_processed", MID, NOV),
            new BigDecimal("1000"), new BigDecimal("0.003"), Money.of("3.00", "USD"), "emails_processed overage");

    @Test
    void originalLineIdsAndKeys() {
        InvoicePlan plan = InvoicePlan.original("2026-10", "user-000042", new Rating.Result(USD, List.of(BASE, OVERAGE), List.of()));

        assertThat(plan.lines()).extracting(InvoiceLine::lineId).containsExactly(
                "INV-2026-10-user-000042/base_fee/starter/-/1790812800-1792497600",
                "INV-2026-10-user-000042/overage/pro/emails_processed/1792497600-1793491200");
        assertThat(plan.lines()).extracting(line -> line.key().stored()).containsExactly(
                "base_fee|starter||2026-10-01T00:00:00Z|2026-10-20T12:00:00Z",
                "overage|pro|emails_processed|2026-10-20T12:00:00Z|2026-11-01T00:00:00Z");
    }

    @Test
    void storedKeysReadBackAsTheSameKey() {
        assertThat(LineKey.parse("base_fee|starter||2026-10-01T00:00:00Z|2026-10-20T12:00:00Z")).isEqualTo(BASE.key());
        assertThat(LineKey.parse("overage|pro|emails_processed|2026-10-20T12:00:00Z|2026-11-01T00:00:00Z")).isEqualTo(OVERAGE.key());
    }

    @Test
    void adjustmentLineIdsAndKeys() {
        RatedLine more = new RatedLine(OVERAGE.key(), new BigDecimal("1500"), new BigDecimal("0.003"), Money.of("4.50", "USD"),
                "emails_processed overage");
        Map<LineKey, BilledLine> billed = Map.of(
                BASE.key(), new BilledLine(BASE.key(), BASE.charge(), BASE.quantity(), BASE.unitPrice(), BASE.description()),
                OVERAGE.key(), new BilledLine(OVERAGE.key(), OVERAGE.charge(), OVERAGE.quantity(), OVERAGE.unitPrice(), OVERAGE.description()));

        InvoicePlan plan = InvoicePlan.adjustment("2026-10", "user-000042", new Rating.Result(USD, List.of(more), List.of()), billed, 2);

        assertThat(plan.invoiceId()).isEqualTo("INV-2026-10-user-000042-A2");
        assertThat(plan.lines()).extracting(InvoiceLine::lineId).containsExactly(
                "INV-2026-10-user-000042-A2/adjustment/overage/pro/emails_processed/1792497600-1793491200",
                "INV-2026-10-user-000042-A2/adjustment/base_fee/starter/-/1790812800-1792497600");
        assertThat(plan.lines()).extracting(line -> line.key().stored()).containsExactly(
                "overage|pro|emails_processed|2026-10-20T12:00:00Z|2026-11-01T00:00:00Z",
                "base_fee|starter||2026-10-01T00:00:00Z|2026-10-20T12:00:00Z");
    }
}
