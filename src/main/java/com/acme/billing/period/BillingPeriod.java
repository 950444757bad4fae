package com.acme.billing.period;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** A calendar month in UTC (SPEC 5): {@code [start, end)}. */
public record BillingPeriod(YearMonth month) {

    public static BillingPeriod parse(String text) {
        if (text == null || !text.matches("\\d{4}-\\d{2}")) {
            throw new IllegalArgumentException("period '" + text + "' is not YYYY-MM");
        }
        try {
            return new BillingPeriod(YearMonth.parse(text));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("period '" + text + "' is not YYYY-MM");
        }
    }

    public static BillingPeriod containing(Instant instant) {
        return new BillingPeriod(YearMonth.from(instant.atOffset(ZoneOffset.UTC)));
    }

    public Instant start() {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    public long seconds() {
        return end().getEpochSecond() - start().getEpochSecond();
    }

    @Override
    public String toString() {
        return month.toString();
    }
}
