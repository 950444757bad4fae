package com.acme.billing.invoice;

import com.acme.billing.money.Money;
import com.acme.billing.rating.LineKey;
import com.acme.billing.rating.RatedLine;
import com.acme.billing.rating.Rating;
import com.acme.billing.rating.UsageSummary;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What close-period writes for one user: the original draft (open period) or the adjustment draft
 * (finalized period), and the usage rows. Pure: ids and differences come from the rated lines and
 * what was billed before, nothing else.
 */
public record InvoicePlan(String userId, String invoiceId, boolean adjustment, int adjustmentNo, Currency currency, List<InvoiceLine> lines,
        List<UsageSummary> usage) {

    private static final String ADJUSTMENT_PREFIX = "Adjustment (";
    private static final String ADJUSTMENT_SEPARATOR = "): ";

    public InvoicePlan {
        lines = List.copyOf(lines);
        usage = List.copyOf(usage);
    }

    public static String originalId(String period, String userId) {
        return "INV-" + period + "-" + userId;
    }

    public static String adjustmentId(String period, String userId, int n) {
        return originalId(period, userId) + "-A" + n;
    }

    /** The line id: the invoice and what the line is (type, tier, metric, segment in epoch seconds). */
    static String lineId(String invoiceId, LineKey key) {
        return invoiceId + "/" + key.idPart();
    }

    /** An adjustment's id: the adjustment invoice, then the id of the line it adjusts as that invoice would name it. */
    static String adjustmentLineId(String invoiceId, LineKey adjusted) {
        return invoiceId + "/adjustment/" + adjusted.idPart();
    }

    /** The invoice total: the sum of its rounded lines. */
    public Money total() {
        return lines.stream().map(InvoiceLine::charge).reduce(Money.zero(currency), Money::plus);
    }

    /** An open period: the fresh lines are the draft. */
    public static InvoicePlan original(String period, String userId, Rating.Result fresh) {
        String invoiceId = originalId(period, userId);
        List<InvoiceLine> lines = new ArrayList<>();
        for (RatedLine line : fresh.lines()) {
            lines.add(new InvoiceLine(lineId(invoiceId, line.key()), invoiceId, userId, period, line));
        }
        return new InvoicePlan(userId, invoiceId, false, 0, fresh.currency(), lines, fresh.usage());
    }

    /**
     * A finalized period: for every line key, the fresh rounded amount less what the finalized
     * invoices already billed under that key; only differences not zero become adjustment lines, so
     * that original plus adjustments always add up to a fresh rating, to the minor unit. A key billed
     * before and not rated now (a segment that moved, a tier left) is reversed whole.
     *
     * @param billed       what the finalized invoices (original and earlier adjustments) billed, per line key
     * @param adjustmentNo the number of the adjustment invoice this draft would become
     */
    public static InvoicePlan adjustment(String period, String userId, Rating.Result fresh, Map<LineKey, BilledLine> billed,
            int adjustmentNo) {
        String invoiceId = adjustmentId(period, userId, adjustmentNo);
        Set<LineKey> freshKeys = new HashSet<>();
        List<InvoiceLine> lines = new ArrayList<>();
        for (RatedLine line : fresh.lines()) {
            freshKeys.add(line.key());
            BilledLine before = billed.get(line.key());
            Money difference = before == null ? line.charge() : line.charge().minus(before.amount());
            BigDecimal quantity = before == null ? line.quantity() : line.quantity().subtract(before.quantity());
            if (!difference.isZero()) {
                lines.add(adjustmentLine(invoiceId, userId, period, line, difference, quantity, "now billed"));
            }
        }
        for (BilledLine before : billed.values()) {
            if (!freshKeys.contains(before.key()) && !before.amount().isZero()) {
                lines.add(adjustmentLine(invoiceId, userId, period, before.asRatedLine(), before.amount().negate(), before.quantity().negate(),
                        "no longer billed"));
            }
        }
        return new InvoicePlan(userId, invoiceId, true, adjustmentNo, fresh.currency(), lines, fresh.usage());
    }

    private static InvoiceLine adjustmentLine(String invoiceId, String userId, String period, RatedLine adjusted, Money amount,
            BigDecimal quantity, String why) {
        RatedLine line = new RatedLine(RatedLine.LineType.ADJUSTMENT, adjusted.key(), quantity, adjusted.unitPrice(), amount,
                ADJUSTMENT_PREFIX + why + ADJUSTMENT_SEPARATOR + adjusted.description());
        return new InvoiceLine(adjustmentLineId(invoiceId, adjusted.key()), invoiceId, userId, period, line);
    }

    /**
     * The description of the line an adjustment adjusted: the inverse of the "Adjustment (why): "
     * that {@link #adjustmentLine} writes (the stored line has no other place for it).
     */
    static String adjustedDescription(String adjustmentDescription) {
        int separator = adjustmentDescription.indexOf(ADJUSTMENT_SEPARATOR);
        return adjustmentDescription.startsWith(ADJUSTMENT_PREFIX) && separator >= 0
                ? adjustmentDescription.substring(separator + ADJUSTMENT_SEPARATOR.length()) : adjustmentDescription;
    }
}
