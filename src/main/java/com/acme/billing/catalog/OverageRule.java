package com.acme.billing.catalog;

import java.math.BigDecimal;
import java.util.List;

/**
 * How usage beyond a tier's included quantity is priced (SPEC 3). A metric without a rule is a
 * hard limit: usage beyond it is reported as a breach and never billed.
 */
public sealed interface OverageRule {

    /** Every overage unit at the same price. */
    record UnitPrice(BigDecimal unitPrice) implements OverageRule {
    }

    /** Overage sold in packages; a partial package is charged as a whole one. */
    record PackagePrice(long packageSize, BigDecimal packagePrice) implements OverageRule {
    }

    /**
     * Bands over the overage quantity: units 1..upTo of the first band at its price, and so on; the
     * last band has no upper bound ({@code upTo == null}).
     */
    record Graduated(List<Band> bands) implements OverageRule {
        public Graduated {
            bands = List.copyOf(bands);
        }
    }

    record Band(Long upTo, BigDecimal unitPrice) {
    }
}
