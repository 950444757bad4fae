package com.acme.billing.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How usage beyond a tier's included quantity is priced (SPEC 3). A metric without a rule is a
 * hard limit: usage beyond it is reported as a breach and never billed.
 *
 * <p>Each rule prices an overage quantity itself, exactly (rating rounds the line once, to the
 * currency's minor unit), says in words what it charges, and names the flat row it is stored as:
 * callers never ask which kind of rule they hold.
 */
public sealed interface OverageRule {

    /** The exact price of {@code overQuantity} units beyond the included quantity, not rounded. */
    BigDecimal price(long overQuantity);

    /** The price of one unit where every unit costs the same (the {@code unit_price} of reports); empty otherwise. */
    Optional<BigDecimal> flatUnitPrice();

    /** The rule in words for descriptions and reports: "at 0.004 each", "packages of 100 at 2.50", "graduated". */
    String inWords();

    /** The row of {@code overage_rules} (and the {@code overage_bands}) this rule is stored as. */
    Stored stored();

    /**
     * A rule as the database holds it: {@code kind} and the columns that kind uses (the others null;
     * {@code bands} empty unless graduated).
     */
    record Stored(String kind, BigDecimal unitPrice, Long packageSize, BigDecimal packagePrice, List<Band> bands) {
        public Stored {
            bands = List.copyOf(bands);
        }

        /** The rule this row stands for; the inverse of {@link OverageRule#stored()}. */
        public OverageRule rule() {
            return switch (kind) {
                case UnitPrice.KIND -> new UnitPrice(unitPrice);
                case PackagePrice.KIND -> new PackagePrice(packageSize, packagePrice);
                case Graduated.KIND -> new Graduated(bands);
                default -> throw new IllegalArgumentException("unknown overage rule kind '" + kind + "'");
            };
        }
    }

    /** Every overage unit at the same price. */
    record UnitPrice(BigDecimal unitPrice) implements OverageRule {
        static final String KIND = "unit";

        public UnitPrice {
            Objects.requireNonNull(unitPrice, "unitPrice");
        }

        @Override
        public BigDecimal price(long overQuantity) {
            return unitPrice.multiply(BigDecimal.valueOf(overQuantity));
        }

        @Override
        public Optional<BigDecimal> flatUnitPrice() {
            return Optional.of(unitPrice);
        }

        @Override
        public String inWords() {
            return "at " + unitPrice.toPlainString() + " each";
        }

        @Override
        public Stored stored() {
            return new Stored(KIND, unitPrice, null, null, List.of());
        }
    }

    /** Overage sold in packages; a partial package is charged as a whole one. */
    record PackagePrice(long packageSize, BigDecimal packagePrice) implements OverageRule {
        static final String KIND = "package";

        public PackagePrice {
            Objects.requireNonNull(packagePrice, "packagePrice");
            if (packageSize <= 0) {
                throw new IllegalArgumentException("package size must be positive, not " + packageSize);
            }
        }

        @Override
        public BigDecimal price(long overQuantity) {
            long packages = overQuantity / packageSize + (overQuantity % packageSize == 0 ? 0 : 1);
            return packagePrice.multiply(BigDecimal.valueOf(packages));
        }

        @Override
        public Optional<BigDecimal> flatUnitPrice() {
            return Optional.empty();
        }

        @Override
        public String inWords() {
            return "packages of " + packageSize + " at " + packagePrice.toPlainString();
        }

        @Override
        public Stored stored() {
            return new Stored(KIND, null, packageSize, packagePrice, List.of());
        }
    }

    /**
     * Bands over the overage quantity: units 1..upTo of the first band at its price, and so on; the
     * last band has no upper bound ({@code upTo == null}).
     */
    record Graduated(List<Band> bands) implements OverageRule {
        static final String KIND = "graduated";

        public Graduated {
            bands = List.copyOf(bands);
        }

        @Override
        public BigDecimal price(long overQuantity) {
            BigDecimal exact = BigDecimal.ZERO;
            long below = 0;
            for (Band band : bands) {
                long top = band.upTo() == null ? Long.MAX_VALUE : band.upTo();
                long inBand = Math.max(0, Math.min(overQuantity, top) - below);
                exact = exact.add(band.unitPrice().multiply(BigDecimal.valueOf(inBand)));
                below = top;
                if (overQuantity <= top) {
                    break;
                }
            }
            return exact;
        }

        @Override
        public Optional<BigDecimal> flatUnitPrice() {
            return Optional.empty();
        }

        @Override
        public String inWords() {
            return "graduated";
        }

        @Override
        public Stored stored() {
            return new Stored(KIND, null, null, null, bands);
        }
    }

    record Band(Long upTo, BigDecimal unitPrice) {
    }
}
