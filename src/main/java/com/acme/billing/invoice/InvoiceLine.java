package com.acme.billing.invoice;

import com.acme.billing.rating.RatedLine;
import java.math.BigDecimal;

/** A line as stored: a rated line (or an adjustment of one) placed on an invoice, with its stable id. */
public record InvoiceLine(String lineId, String invoiceId, String userId, String period, RatedLine.LineType type, String lineKey,
        RatedLine line, BigDecimal amount, BigDecimal quantity) {
}
