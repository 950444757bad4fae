package com.acme.billing.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementFormatTest {

    @Test
    void theChartHasEveryDayOfEveryMetricWithTheDaysUsageAddedUp() {
        Statement s = statement("USD", List.of(new Statement.Daily("leads_created", 2, 5), new Statement.Daily("ai_responses", 3, 7),
                new Statement.Daily("ai_responses", 3, 1), new Statement.Daily("ai_responses", 1, 4)));

        UsageByDayChart chart = UsageByDayChart.of(s, 3);

        assertThat(chart.series()).containsExactly(new UsageByDayChart.Series("ai_responses", List.of(4L, 0L, 8L)),
                new UsageByDayChart.Series("leads_created", List.of(0L, 5L, 0L)));
    }

    @Test
    void theChartsAxisStepsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
        assertThat(UsageByDayChart.step(1)).isEqualTo(1);
        assertThat(UsageByDayChart.step(8)).isEqualTo(1);
        assertThat(UsageByDayChart.step(9)).isEqualTo(2);
        assertThat(UsageByDayChart.step(17)).isEqualTo(5);
        assertThat(UsageByDayChart.step(81)).isEqualTo(20);
        assertThat(UsageByDayChart.step(190)).isEqualTo(25);
        assertThat(UsageByDayChart.step(225)).isEqualTo(50);
        assertThat(UsageByDayChart.step(1_000_000)).isEqualTo(200_000);
    }

    @Test
    void countsAreGroupedByThreeDigitsWithCommas() {
        assertThat(StatementFormat.grouped(0)).isEqualTo("0");
        assertThat(StatementFormat.grouped(999)).isEqualTo("999");
        assertThat(StatementFormat.grouped(1_000)).isEqualTo("1,000");
        assertThat(StatementFormat.grouped(12_345)).isEqualTo("12,345");
        assertThat(StatementFormat.grouped(123_456)).isEqualTo("123,456");
        assertThat(StatementFormat.grouped(1_234_567)).isEqualTo("1,234,567");
        assertThat(StatementFormat.grouped(-1_000)).isEqualTo("-1,000");
        assertThat(StatementFormat.grouped(-999)).isEqualTo("-999");
        assertThat(StatementFormat.grouped(Long.MIN_VALUE)).isEqualTo("-9,223,372,036,854,775,808");
        assertThat(StatementFormat.grouped(Long.MAX_VALUE)).isEqualTo("9,223,372,036,854,775,807");
    }

    @Test
    void amountsHaveExactlyTheCurrencysMinorDigits() {
        assertThat(StatementFormat.amount(new BigDecimal("4"), "USD")).isEqualTo("4.00");
        assertThat(StatementFormat.amount(new BigDecimal("484"), "JPY")).isEqualTo("484");
        assertThat(StatementFormat.amount(new BigDecimal("0.088"), "KWD")).isEqualTo("0.088");
    }

    private static Statement statement(String currency, List<Statement.Daily> daily) {
        return new Statement("INV-2026-10-u", "u", "2026-10", "original", "draft", currency, BigDecimal.ZERO, Instant.parse("2026-11-01T00:00:00Z"),
                null, List.of(), List.of(), daily, null);
    }
}
