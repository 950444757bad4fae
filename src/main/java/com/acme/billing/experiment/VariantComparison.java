package com.acme.billing.experiment;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.TTest;

/**
 * A variant against the control (SPEC 9), with commons-statistics (no hand-written distributions):
 * conversion by the two-sided two-proportion z-test with the pooled standard error (its p-value is
 * that of the chi-square test of the 2x2 table without continuity correction, z² = χ²) and a 95 %
 * interval with the unpooled standard error; revenue per user by Welch's t-test (sample variances,
 * Welch–Satterthwaite degrees of freedom) with the interval from the t quantile. Statistics are
 * doubles; the figures are written rounded: differences and bounds of rates to 4 decimals, of money to
 * the currency's digits, p-values to 4 significant digits.
 */
public final class VariantComparison {

    /** One comparison; null fields where a test is undefined (no variance, fewer than two users). */
    public record Test(BigDecimal difference, List<BigDecimal> ci, BigDecimal pValue, boolean significant) {
    }

    private static final double LEVEL = 0.05;
    private static final MathContext P_DIGITS = new MathContext(4, RoundingMode.HALF_UP);

    private VariantComparison() {
    }

    /** Conversions of users, variant against control. */
    public static Test conversion(long controlConverted, long controlUsers, long variantConverted, long variantUsers) {
        if (controlUsers == 0 || variantUsers == 0) {
            return new Test(null, null, null, false);
        }
        double p1 = (double) controlConverted / controlUsers;
        double p2 = (double) variantConverted / variantUsers;
        BigDecimal difference = BigDecimal.valueOf(variantConverted).divide(BigDecimal.valueOf(variantUsers), MathContext.DECIMAL128)
                .subtract(BigDecimal.valueOf(controlConverted).divide(BigDecimal.valueOf(controlUsers), MathContext.DECIMAL128));
        double unpooled = Math.sqrt(p1 * (1 - p1) / controlUsers + p2 * (1 - p2) / variantUsers);
        double z = NormalDistribution.of(0, 1).inverseCumulativeProbability(1 - LEVEL / 2);
        double d = p2 - p1;
        List<BigDecimal> ci = List.of(rate(d - z * unpooled), rate(d + z * unpooled));
        long converted = controlConverted + variantConverted;
        long users = controlUsers + variantUsers;
        if (converted == 0 || converted == users) {
            // Everyone or no one converted: the pooled standard error is 0 and the test says nothing.
            return new Test(difference.setScale(4, RoundingMode.HALF_UP), ci, null, false);
        }
        double p = ChiSquareTest.withDefaults().test(new long[][] {
            {variantConverted, variantUsers - variantConverted},
            {controlConverted, controlUsers - controlConverted}}).getPValue();
        return new Test(difference.setScale(4, RoundingMode.HALF_UP), ci, pValue(p), p < LEVEL);
    }

    /**
     * Revenue per user, variant against control, each user's revenue a sample ({@code moneyDigits}:
     * the currency's). The difference of the means is exact; the interval and p-value are Welch's.
     */
    public static Test revenuePerUser(List<BigDecimal> control, List<BigDecimal> variant, int moneyDigits) {
        if (control.size() < 2 || variant.size() < 2) {
            return new Test(null, null, null, false);
        }
        BigDecimal difference = mean(variant).subtract(mean(control)).setScale(moneyDigits, RoundingMode.HALF_UP);
        double[] x = variant.stream().mapToDouble(BigDecimal::doubleValue).toArray();
        double[] y = control.stream().mapToDouble(BigDecimal::doubleValue).toArray();
        double vx = variance(x);
        double vy = variance(y);
        if (vx == 0 && vy == 0) {
            return new Test(difference, List.of(difference, difference), null, false);
        }
        TTest.Result result = TTest.withDefaults().test(x, y);
        double se = Math.sqrt(vx / x.length + vy / y.length);
        double t = TDistribution.of(result.getDegreesOfFreedom()).inverseCumulativeProbability(1 - LEVEL / 2);
        double d = mean(x) - mean(y);
        return new Test(difference, List.of(money(d - t * se, moneyDigits), money(d + t * se, moneyDigits)), pValue(result.getPValue()),
                result.getPValue() < LEVEL);
    }

    private static BigDecimal mean(List<BigDecimal> values) {
        return values.stream().reduce(BigDecimal.ZERO, BigDecimal::add).divide(BigDecimal.valueOf(values.size()), MathContext.DECIMAL128);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Sample variance (n − 1). */
    private static double variance(double[] values) {
        double m = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - m) * (v - m);
        }
        return sum / (values.length - 1);
    }

    private static BigDecimal rate(double value) {
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP);
    }

    private static BigDecimal money(double value, int digits) {
        return BigDecimal.valueOf(value).setScale(digits, RoundingMode.HALF_UP);
    }

    private static BigDecimal pValue(double p) {
        return new BigDecimal(p).round(P_DIGITS).stripTrailingZeros();
    }
}
