package com.acme.billing.rating;

import com.acme.billing.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

/**
 * One invoice line as rating computes it, before it belongs to an invoice. {@code charge} is
 * rounded once, to the currency's minor digits. For a base fee {@code quantity} is the fraction of
 * the month and {@code unitPrice} the monthly price; for overage {@code quantity} is the overage
 * quantity and {@code unitPrice} is null unless the rule is a flat unit price. {@code key} names the
 * line (for an adjustment: the line it adjusts), {@code type} is what this line is.
 */
public record RatedLine(RatedLine.LineType type, LineKey key, BigDecimal quantity, BigDecimal unitPrice, Money charge, String description) {

    public enum LineType {
        BASE_FEE, OVERAGE, ADJUSTMENT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static LineType ofWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    public RatedLine {
        if (type != LineType.ADJUSTMENT && type != key.type()) {
            throw new IllegalArgumentException("a " + type.wire() + " line under the key of a " + key.type().wire() + " line");
        }
    }

    /** A rated (not adjustment) line: its type is its key's. */
    public RatedLine(LineKey key, BigDecimal quantity, BigDecimal unitPrice, Money charge, String description) {
        this(key.type(), key, quantity, unitPrice, charge, description);
    }

    /** The rounded amount, at exactly the currency's minor digits. */
    public BigDecimal amount() {
        return charge.amount();
    }

    public String tier() {
        return key.tier();
    }

    /** The metric, null for a base fee. */
    public String metric() {
        return key.metric();
    }

    public Instant start() {
        return key.start();
    }

    public Instant end() {
        return key.end();
    }
}
