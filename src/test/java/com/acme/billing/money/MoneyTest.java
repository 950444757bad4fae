package com.acme.billing.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import org.junit.jupiter.api.Test;

class MoneyTest {

    static final Currency USD = Currency.getInstance("USD");
    static final Currency JPY = Currency.getInstance("JPY");
    static final Currency KWD = Currency.getInstance("KWD");

    @Test
    void anAmountAlwaysHasExactlyTheCurrencysMinorDigits() {
        assertThat(Money.of(new BigDecimal("4"), USD).toPlainString()).isEqualTo("4.00");
        assertThat(Money.of(new BigDecimal("4.000"), USD).amount()).isEqualTo(new BigDecimal("4.00"));
        assertThat(Money.of(new BigDecimal("484"), JPY).toPlainString()).isEqualTo("484");
        assertThat(Money.of(new BigDecimal("3.333"), KWD).toPlainString()).isEqualTo("3.333");
        assertThat(Money.zero(KWD).toPlainString()).isEqualTo("0.000");
        assertThat(Money.minorDigits(USD)).isEqualTo(2);
        assertThat(Money.minorDigits("JPY")).isEqualTo(0);
        assertThat(Money.minorDigits(KWD)).isEqualTo(3);
    }

    @Test
    void theConstructorNeverRounds() {
        assertThatThrownBy(() -> Money.of(new BigDecimal("0.145"), USD)).isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("0.145").hasMessageContaining("USD");
        assertThatThrownBy(() -> Money.of(new BigDecimal("483.5"), JPY)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void aLineIsRoundedOnceHalfUpNotHalfEven() {
        // SPEC 5: 29 x 0.005 = 0.145 -> 0.15 (half even would give 0.14)
        assertThat(Money.rounded(new BigDecimal("0.145"), USD).amount()).isEqualTo(new BigDecimal("0.15"));
        assertThat(Money.rounded(new BigDecimal("-0.145"), USD).amount()).isEqualTo(new BigDecimal("-0.15"));
        assertThat(Money.rounded(new BigDecimal("0.0875"), KWD).amount()).isEqualTo(new BigDecimal("0.088"));
        assertThat(Money.rounded(new BigDecimal("483.5"), JPY).amount()).isEqualTo(new BigDecimal("484"));
        assertThat(Money.rounded(new BigDecimal("0.003"), USD).isZero()).isTrue();
        assertThat(Money.rounded(new BigDecimal("0.145"), USD, RoundingMode.HALF_EVEN).amount()).isEqualTo(new BigDecimal("0.14"));
    }

    @Test
    void aQuotientIsRoundedFromItsExactValue() {
        // 29 x 1,684,800 / 2,678,400 = 18.2419... -> 18.24; 99 x 993,600 / 2,678,400 = 36.7258... -> 36.73
        assertThat(Money.roundedQuotient(new BigDecimal("29.00").multiply(BigDecimal.valueOf(1_684_800)), BigDecimal.valueOf(2_678_400), USD))
                .isEqualTo(Money.of("18.24", "USD"));
        assertThat(Money.roundedQuotient(new BigDecimal("99").multiply(BigDecimal.valueOf(993_600)), BigDecimal.valueOf(2_678_400), USD))
                .isEqualTo(Money.of("36.73", "USD"));
        // 1,000 yen x 15/31 = 483.87 -> 484
        assertThat(Money.roundedQuotient(new BigDecimal("15000"), BigDecimal.valueOf(31), JPY)).isEqualTo(Money.of("484", "JPY"));
    }

    @Test
    void arithmeticStaysInOneCurrency() {
        Money a = Money.of("18.24", "USD");
        Money b = Money.of("36.73", "USD");
        assertThat(a.plus(b)).isEqualTo(Money.of("54.97", "USD"));
        assertThat(a.minus(b)).isEqualTo(Money.of("-18.49", "USD"));
        assertThat(a.negate().toPlainString()).isEqualTo("-18.24");
        assertThat(a.minus(a).isZero()).isTrue();
        assertThat(a.minus(a).toPlainString()).isEqualTo("0.00");
        assertThat(a.signum()).isEqualTo(1);
        assertThatThrownBy(() -> a.plus(Money.of("1", "EUR"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EUR");
    }

    @Test
    void minorUnitsAsStripeWritesThem() {
        assertThat(Money.of("18.24", "USD").minorUnits()).isEqualTo(1824);
        assertThat(Money.of("-0.01", "USD").minorUnits()).isEqualTo(-1);
        assertThat(Money.of("484", "JPY").minorUnits()).isEqualTo(484);
        assertThat(Money.of("0.088", "KWD").minorUnits()).isEqualTo(88);
        assertThat(Money.ofMinor(1824, USD)).isEqualTo(Money.of("18.24", "USD"));
        assertThat(Money.ofMinor(484, JPY).toString()).isEqualTo("JPY 484");
    }
}
