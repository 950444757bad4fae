package com.acme.billing.invoice;

import com.acme.billing.money.Money;
import com.acme.billing.rating.LineKey;
import com.acme.billing.rating.RatedLine;
import java.math.BigDecimal;

/**
 * A line as stored: a rated line (or an adjustment of one) placed on an invoice, with its stable id.
 * For an adjustment, {@code line} is the adjustment (type {@code ADJUSTMENT}, the difference as its
 * charge and quantity) under the key of the line it adjusts.
 */
public record InvoiceLine(String lineId, String invoiceId, String userId, String period, RatedLine line) {

    public RatedLine.LineType type() {
        return line.type();
    }

    /** What the line bills (an adjustment: the line it adjusts); stored as {@link LineKey#stored()}. */
    public LineKey key() {
        return line.key();
    }

    public Money charge() {
        return line.charge();
    }

    /** The rounded amount, at exactly the currency's minor digits. */
    public BigDecimal amount() {
        return line.amount();
    }

    public BigDecimal quantity() {
        return line.quantity();
    }
}
