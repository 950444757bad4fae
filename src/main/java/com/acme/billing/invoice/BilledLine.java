package com.acme.billing.invoice;

import com.acme.billing.money.Money;
import com.acme.billing.rating.LineKey;
import com.acme.billing.rating.RatedLine;
import java.math.BigDecimal;

/**
 * What the finalized invoices of a period (original and earlier adjustments) billed under one line
 * key: the sums of their rounded amounts and quantities, and the unit price and description of the
 * line that first billed the key, to describe it if a fresh rating no longer bills it.
 */
public record BilledLine(LineKey key, Money amount, BigDecimal quantity, BigDecimal unitPrice, String description) {

    /**
     * A finalized line as stored. An adjustment's description is the adjusted line's behind the
     * "Adjustment (why): " that {@link InvoicePlan} put before it, taken off here so that a key billed
     * only by adjustments is described as the line itself.
     */
    public static BilledLine stored(LineKey key, RatedLine.LineType storedType, Money amount, BigDecimal quantity, BigDecimal unitPrice,
            String storedDescription) {
        String description = storedType == RatedLine.LineType.ADJUSTMENT ? InvoicePlan.adjustedDescription(storedDescription) : storedDescription;
        return new BilledLine(key, amount, quantity, unitPrice, description);
    }

    /** Both lines billed under this key: the sums, described as this (the earlier) one. */
    public BilledLine plus(BilledLine later) {
        return new BilledLine(key, amount.plus(later.amount), quantity.add(later.quantity), unitPrice, description);
    }

    /** The line this key billed, as rating would give it, for a reversal. */
    RatedLine asRatedLine() {
        return new RatedLine(key, quantity, unitPrice, amount, description);
    }
}
