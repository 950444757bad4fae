package com.acme.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.money.Money;
import com.acme.billing.rating.LineKey;
import com.acme.billing.rating.RatedLine;
import com.acme.billing.rating.Rating;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Adjustment planning without a database: what the finalized invoices billed per line key, against
 * a fresh rating, gives adjustment lines holding only the differences of the rounded amounts.
 */
class AdjustmentPlanningTest {

    static final Currency USD = Currency.getInstance("USD");
    static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
    static final Instant OCT_20 = Instant.parse("2026-10-20T12:00:00Z");
    static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");

    static final LineKey STARTER_MONTH = new LineKey(RatedLine.LineType.BASE_FEE, "starter", null, OCT, NOV);
    static final LineKey STARTER_UNTIL_20 = new LineKey(RatedLine.LineType.BASE_FEE, "starter", null, OCT, OCT_20);
    static final LineKey PRO_FROM_20 = new LineKey(RatedLine.LineType.BASE_FEE, "pro", null, OCT_20, NOV);
    static final LineKey EMAILS_MONTH = new LineKey(RatedLine.LineType.OVERAGE, "starter", "emails_processed", OCT, NOV);

    final Map<LineKey, BilledLine> billed = new LinkedHashMap<>();

    @Test
    void nothingChangedNothingToAdjust() {
        billedOriginal(STARTER_MONTH, "29.00", "1.000000", "Starter plan, whole month");
        billedOriginal(EMAILS_MONTH, "4.00", "1000", "emails_processed overage");

        InvoicePlan plan = adjust(1, fresh(STARTER_MONTH, "29.00", "1.000000", "Starter plan, whole month"),
                fresh(EMAILS_MONTH, "4.00", "1000", "emails_processed overage"));

        assertThat(plan.lines()).isEmpty();
        assertThat(plan.total()).isEqualTo(Money.zero(USD));
    }

    @Test
    void lateUsageAdjustsOnlyTheDifferenceOfTheRoundedAmounts() {
        billedOriginal(STARTER_MONTH, "29.00", "1.000000", "Starter plan, whole month");
        billedOriginal(EMAILS_MONTH, "1.55", "387", "emails_processed overage: 387");

        // 613 over x 0.004 = 2.452 -> 2.45 now; billed 1.548 -> 1.55: the adjustment is 2.45 - 1.55 = 0.90 (not 2.452 - 1.548 = 0.904)
        InvoicePlan plan = adjust(1, fresh(STARTER_MONTH, "29.00", "1.000000", "Starter plan, whole month"),
                fresh(EMAILS_MONTH, "2.45", "613", "emails_processed overage: 613"));

        assertThat(plan.invoiceId()).isEqualTo("INV-2026-10-alice-A1");
        assertThat(plan.adjustment()).isTrue();
        assertThat(plan.lines()).extracting(AdjustmentPlanningTest::row).containsExactly(
                "INV-2026-10-alice-A1/adjustment/overage/starter/emails_processed/1790812800-1793491200|adjustment|226|0.90"
                        + "|Adjustment (now billed): emails_processed overage: 613");
        assertThat(plan.lines().get(0).key()).isEqualTo(EMAILS_MONTH);
        assertThat(plan.total()).isEqualTo(Money.of("0.90", "USD"));
    }

    @Test
    void aLateDowngradeReversesTheOldKeyAndBillsTheNewOnes() {
        billedOriginal(STARTER_MONTH, "29.00", "1.000000", "Starter plan, whole month");

        // starter until Oct 20 12:00 = 18.24; pro from then = 36.73 (RatingScenariosTest s14)
        InvoicePlan plan = adjust(1, fresh(STARTER_UNTIL_20, "18.24", "0.629032", "Starter plan, Oct 1 until Oct 20 12:00:00"),
                fresh(PRO_FROM_20, "36.73", "0.370968", "Pro plan, Oct 20 12:00:00 until Nov 1 00:00:00"));

        assertThat(plan.lines()).extracting(AdjustmentPlanningTest::row).containsExactly(
                "INV-2026-10-alice-A1/adjustment/base_fee/starter/-/1790812800-1792497600|adjustment|0.629032|18.24"
                        + "|Adjustment (now billed): Starter plan, Oct 1 until Oct 20 12:00:00",
                "INV-2026-10-alice-A1/adjustment/base_fee/pro/-/1792497600-1793491200|adjustment|0.370968|36.73"
                        + "|Adjustment (now billed): Pro plan, Oct 20 12:00:00 until Nov 1 00:00:00",
                "INV-2026-10-alice-A1/adjustment/base_fee/starter/-/1790812800-1793491200|adjustment|-1.000000|-29.00"
                        + "|Adjustment (no longer billed): Starter plan, whole month");
        // 29.00 billed + 25.97 adjusted = 54.97, what a fresh rating bills now
        assertThat(plan.total()).isEqualTo(Money.of("25.97", "USD"));
    }

    @Test
    void aKeyBilledOnlyByAnEarlierAdjustmentIsReversedWhenAFreshRatingNoLongerBillsIt() {
        // A1 (finalized) moved the month from starter to starter + pro; now the downgrade is gone again.
        billedOriginal(STARTER_MONTH, "29.00", "1.000000", "Starter plan, whole month");
        billedAdjustment(STARTER_MONTH, "-29.00", "-1.000000", "Adjustment (no longer billed): Starter plan, whole month");
        billedAdjustment(STARTER_UNTIL_20, "18.24", "0.629032", "Adjustment (now billed): Starter plan, Oct 1 until Oct 20 12:00:00");
        billedAdjustment(PRO_FROM_20, "36.73", "0.370968", "Adjustment (now billed): Pro plan, Oct 20 12:00:00 until Nov 1 00:00:00");
        assertThat(billed.get(STARTER_MONTH).amount()).isEqualTo(Money.zero(USD));

        InvoicePlan plan = adjust(2, fresh(STARTER_MONTH, "29.00", "1.000000", "Starter plan, whole month"));

        assertThat(plan.lines()).extracting(AdjustmentPlanningTest::row).containsExactly(
                "INV-2026-10-alice-A2/adjustment/base_fee/starter/-/1790812800-1793491200|adjustment|1.000000|29.00"
                        + "|Adjustment (now billed): Starter plan, whole month",
                "INV-2026-10-alice-A2/adjustment/base_fee/starter/-/1790812800-1792497600|adjustment|-0.629032|-18.24"
                        + "|Adjustment (no longer billed): Starter plan, Oct 1 until Oct 20 12:00:00",
                "INV-2026-10-alice-A2/adjustment/base_fee/pro/-/1792497600-1793491200|adjustment|-0.370968|-36.73"
                        + "|Adjustment (no longer billed): Pro plan, Oct 20 12:00:00 until Nov 1 00:00:00");
        // The reversal keeps the key of the line it reverses: a base fee of pro, not an adjustment of an adjustment.
        assertThat(plan.lines().get(2).key()).isEqualTo(PRO_FROM_20);
        assertThat(plan.lines().get(2).type()).isEqualTo(RatedLine.LineType.ADJUSTMENT);
        assertThat(plan.lines().get(2).line().unitPrice()).isEqualByComparingTo("99.00");
        // original 29.00 + A1 25.97 + A2 -25.97 = 29.00, the fresh rating
        assertThat(plan.total()).isEqualTo(Money.of("-25.97", "USD"));
    }

    @Test
    void originalsPlusAdjustmentsAddUpToTheFreshRatingToTheMinorUnit() {
        billedOriginal(STARTER_MONTH, "29.00", "1.000000", "Starter plan, whole month");
        billedOriginal(EMAILS_MONTH, "0.15", "37", "emails_processed overage");
        billedAdjustment(EMAILS_MONTH, "0.01", "2", "Adjustment (now billed): emails_processed overage");

        InvoicePlan plan = adjust(2, fresh(STARTER_UNTIL_20, "18.24", "0.629032", "Starter plan, Oct 1 until Oct 20 12:00:00"),
                fresh(EMAILS_MONTH, "0.14", "36", "emails_processed overage"));

        Money billedTotal = billed.values().stream().map(BilledLine::amount).reduce(Money.zero(USD), Money::plus);
        assertThat(billedTotal.plus(plan.total())).isEqualTo(Money.of("18.38", "USD"));
        assertThat(plan.lines()).extracting(l -> l.key().idPart() + "|" + l.amount().toPlainString()).containsExactly(
                "base_fee/starter/-/1790812800-1792497600|18.24", "overage/starter/emails_processed/1790812800-1793491200|-0.02",
                "base_fee/starter/-/1790812800-1793491200|-29.00");
    }

    @Test
    void anOpenPeriodsDraftIsTheFreshRating() {
        InvoicePlan plan = InvoicePlan.original("2026-10", "alice", new Rating.Result(USD, List.of(
                fresh(STARTER_MONTH, "29.00", "1.000000", "Starter plan, whole month"),
                fresh(EMAILS_MONTH, "4.00", "1000", "emails_processed overage")), List.of()));

        assertThat(plan.invoiceId()).isEqualTo("INV-2026-10-alice");
        assertThat(plan.adjustment()).isFalse();
        assertThat(plan.lines()).extracting(AdjustmentPlanningTest::row).containsExactly(
                "INV-2026-10-alice/base_fee/starter/-/1790812800-1793491200|base_fee|1.000000|29.00|Starter plan, whole month",
                "INV-2026-10-alice/overage/starter/emails_processed/1790812800-1793491200|overage|1000|4.00|emails_processed overage");
        assertThat(plan.total()).isEqualTo(Money.of("33.00", "USD"));
    }

    @Test
    void thePlannerNumbersAdjustmentsAfterTheFinalizedOnes() {
        billedOriginal(STARTER_MONTH, "29.00", "1.000000", "Starter plan, whole month");
        InvoiceRepository finalized = new InvoiceRepository(null, null) {
            @Override
            public Map<String, Map<LineKey, BilledLine>> billed(String period, List<String> userIds) {
                return Map.of("alice", billed);
            }

            @Override
            public Map<String, Integer> nextAdjustmentNo(String period, List<String> userIds) {
                return Map.of("alice", 3, "bob", 1);
            }
        };
        Rating.Result aliceNow = new Rating.Result(USD, List.of(fresh(STARTER_UNTIL_20, "18.24", "0.629032", "Starter plan")), List.of());
        Rating.Result bobNow = new Rating.Result(USD, List.of(fresh(PRO_FROM_20, "36.73", "0.370968", "Pro plan")), List.of());

        List<InvoicePlan> plans = new InvoicePlanner(finalized).plan("2026-10", true,
                List.of(new RatedUser("alice", aliceNow), new RatedUser("bob", bobNow)));

        assertThat(plans).extracting(p -> p.invoiceId() + " " + p.total()).containsExactly("INV-2026-10-alice-A3 USD -10.76",
                "INV-2026-10-bob-A1 USD 36.73");
    }

    private void billedOriginal(LineKey key, String amount, String quantity, String description) {
        billed.merge(key, BilledLine.stored(key, key.type(), Money.of(amount, "USD"), new BigDecimal(quantity), unitPrice(key), description),
                BilledLine::plus);
    }

    private void billedAdjustment(LineKey key, String amount, String quantity, String description) {
        billed.merge(key, BilledLine.stored(key, RatedLine.LineType.ADJUSTMENT, Money.of(amount, "USD"), new BigDecimal(quantity), unitPrice(key),
                description), BilledLine::plus);
    }

    private static RatedLine fresh(LineKey key, String amount, String quantity, String description) {
        return new RatedLine(key, new BigDecimal(quantity), unitPrice(key), Money.of(amount, "USD"), description);
    }

    private static BigDecimal unitPrice(LineKey key) {
        return key.metric() != null ? new BigDecimal("0.004") : "pro".equals(key.tier()) ? new BigDecimal("99.00") : new BigDecimal("29.00");
    }

    private InvoicePlan adjust(int adjustmentNo, RatedLine... fresh) {
        return InvoicePlan.adjustment("2026-10", "alice", new Rating.Result(USD, new ArrayList<>(List.of(fresh)), List.of()), billed,
                adjustmentNo);
    }

    private static String row(InvoiceLine line) {
        return line.lineId() + "|" + line.type().wire() + "|" + line.quantity().toPlainString() + "|" + line.amount().toPlainString() + "|"
                + line.line().description();
    }
}
