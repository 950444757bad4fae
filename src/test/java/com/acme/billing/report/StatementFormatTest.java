package com.acme.billing.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatementFormatTest {

    @Test
    void theChartHasEveryDayOfEveryMetricWithTheDaysUsageAddedUp() {
        Statement s = statement("USD", List.of(new Statement.Daily("leads_created", 2, 5), new Statement.Daily("ai_responses", 3, 7),
                new Statement.Daily("ai_responses", 3, 1), new Statement.Daily("ai_responses", 1, 4)));

        List<Map<String, ?>> rows = StatementFormat.daily(s, 3);

        assertThat(rows).extracting(r -> r.get("metric") + "/" + r.get("day") + "=" + r.get("quantity")).containsExactly(
                "ai_responses/1=4", "ai_responses/2=0", "ai_responses/3=8", "leads_created/1=0", "leads_created/2=5", "leads_created/3=0");
    }

    @Test
    void amountsHaveExactlyTheCurrencysMinorDigits() {
        assertThat(StatementFormat.amount(new BigDecimal("4"), "USD")).isEqualTo("4.00");
        assertThat(StatementFormat.amount(new BigDecimal("484"), "JPY")).isEqualTo("484");
        assertThat(StatementFormat.amount(new BigDecimal("0.088"), "KWD")).isEqualTo("0.088");
    }

    private static Statement statement(String currency, List<Statement.Daily> daily) {
        return new Statement("INV-2026-10-u", "u", "2026-10", "original", "draft", currency, BigDecimal.ZERO, Instant.parse("2026-11-01T00:00:00Z"),
                null, List.of(), List.of(), daily);
    }
}
