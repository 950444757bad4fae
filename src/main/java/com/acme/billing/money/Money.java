package com.acme.billing.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of one currency, always at exactly the currency's minor digits (USD 2, JPY 0, KWD 3):
 * the shape of joda-money's {@code Money}. The constructor never rounds: an amount with more digits
 * than the currency has is refused, so rounding happens only where a caller names its
 * {@link RoundingMode}, and the rating rule of SPEC 5 (each line rounded once, half up) is
 * {@link #rounded(BigDecimal, Currency)}.
 *
 * <p>This is the one place that knows a currency's minor digits ({@link #minorDigits(Currency)}).
 */
public record Money(BigDecimal amount, Currency currency) {

    /** SPEC 5: a line is computed exactly and rounded once, half up (not half even), to the minor unit. */
    public static final RoundingMode LINE_ROUNDING = RoundingMode.HALF_UP;

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        int digits = minorDigits(currency);
        if (amount.stripTrailingZeros().scale() > digits) {
            throw new ArithmeticException(amount.toPlainString() + " has more than the " + digits + " minor digits of "
                    + currency.getCurrencyCode() + "; round it with an explicit RoundingMode first");
        }
        amount = amount.setScale(digits, RoundingMode.UNNECESSARY);
    }

    /** The currency's minor digits; a currency without them (e.g. XXX) is not money this product bills. */
    public static int minorDigits(Currency currency) {
        int digits = currency.getDefaultFractionDigits();
        if (digits < 0) {
            throw new IllegalArgumentException(currency.getCurrencyCode() + " has no minor unit");
        }
        return digits;
    }

    public static int minorDigits(String currencyCode) {
        return minorDigits(Currency.getInstance(currencyCode));
    }

    /** An exact amount; refused (ArithmeticException) if it has more digits than the currency. */
    public static Money of(BigDecimal amount, Currency currency) {
        return new Money(amount, currency);
    }

    public static Money of(String amount, String currencyCode) {
        return new Money(new BigDecimal(amount), Currency.getInstance(currencyCode));
    }

    public static Money zero(Currency currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    /** An amount in minor units (cents), as Stripe writes it. */
    public static Money ofMinor(long minorUnits, Currency currency) {
        return new Money(BigDecimal.valueOf(minorUnits, minorDigits(currency)), currency);
    }

    /** A line amount by SPEC 5: the exact value rounded once, half up, to the minor unit. */
    public static Money rounded(BigDecimal exact, Currency currency) {
        return rounded(exact, currency, LINE_ROUNDING);
    }

    public static Money rounded(BigDecimal exact, Currency currency, RoundingMode mode) {
        return new Money(exact.setScale(minorDigits(currency), mode), currency);
    }

    /**
     * {@code dividend / divisor} rounded once, half up, to the minor unit: for a quotient that has no
     * finite decimal form (a price times a fraction of a month), rounded from its exact value.
     */
    public static Money roundedQuotient(BigDecimal dividend, BigDecimal divisor, Currency currency) {
        return new Money(dividend.divide(divisor, minorDigits(currency), LINE_ROUNDING), currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.add(other.amount), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.subtract(other.amount), currency);
    }

    public Money negate() {
        return new Money(amount.negate(), currency);
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    public int signum() {
        return amount.signum();
    }

    /** The amount in minor units (cents): exact, since the amount has exactly the minor digits. */
    public long minorUnits() {
        return amount.movePointRight(amount.scale()).longValueExact();
    }

    /** The amount with exactly the currency's minor digits, as CSV, PDF and JSON print it ("4.00", "484", "0.088"). */
    public String toPlainString() {
        return amount.toPlainString();
    }

    public String currencyCode() {
        return currency.getCurrencyCode();
    }

    @Override
    public String toString() {
        return currency.getCurrencyCode() + " " + amount.toPlainString();
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot add " + other + " to " + this + ": different currencies");
        }
    }
}
