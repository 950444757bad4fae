package com.acme.billing.rating;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One invoice line as rating computes it, before it belongs to an invoice. {@code amount} is
 * rounded once, to the currency's minor digits. For a base fee {@code quantity} is the fraction of
 * the month and {@code unitPrice} the monthly price; for overage {@code quantity} is the overage
 * quantity and {@code unitPrice} is null unless the rule is a flat unit price.
 */
public record RatedLine(LineType type, String tier, String metric, Instant start, Instant end, BigDecimal quantity,
        BigDecimal unitPrice, BigDecimal amount, String description) {

    public enum LineType {
        BASE_FEE, OVERAGE, ADJUSTMENT;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What identifies "the same line" across reruns: type, tier, metric and the segment. */
    public String key() {
        return type.wire() + "|" + tier + "|" + (metric == null ? "" : metric) + "|" + start + "|" + end;
    }
}
