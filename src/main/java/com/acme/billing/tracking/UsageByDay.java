package com.acme.billing.tracking;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.user.UserId;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A user's usage of a month by day, for serve: the days the reports job last copied from the event store for the month
 * ({@code report_daily_usage}: the nightly copies last month and this month so far; serve cannot read the embedded event
 * store, which the ingest job holds), plus the events tracked online that are not in the event store yet. An event is
 * counted once: a tracked event moved before the copy is in the copy and marked moved; one moved after it shows from
 * the next copy on ({@link Month#copiedAt} says how old the copy is).
 */
@Service
public class UsageByDay {

    private static final long MICROS_A_DAY = 86_400_000_000L;

    private final JdbcClient jdbc;

    public UsageByDay(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param byMetric per metric (in name order), the quantity of each day of the month, the first day first
     * @param copiedAt when the reports job last copied the month's days from the event store; empty: never, and only
     *     the tracked events count
     */
    public record Month(Map<String, List<Long>> byMetric, Optional<OffsetDateTime> copiedAt) {
    }

    public Month of(UserId user, BillingPeriod period) {
        int days = (int) Duration.between(period.start(), period.end()).toDays();
        Map<String, List<Long>> byMetric = new TreeMap<>();
        jdbc.sql("SELECT metric, day_of_month, quantity FROM report_daily_usage WHERE period = ? AND user_id = ?")
                .params(period.toString(), user.value())
                .query(rs -> {
                    add(byMetric, rs.getString(1), rs.getInt(2) - 1, rs.getLong(3), days);
                });
        long startMicros = period.start().getEpochSecond() * 1_000_000L;
        jdbc.sql("SELECT metric, ts_us, quantity FROM tracked_events WHERE yyyymm = ? AND user_id = ? AND moved_sha256 IS NULL")
                .params(period.month().getYear() * 100 + period.month().getMonthValue(), user.value())
                .query(rs -> {
                    long day = Math.floorDiv(rs.getLong(2) - startMicros, MICROS_A_DAY);
                    if (day >= 0 && day < days) {
                        add(byMetric, rs.getString(1), (int) day, rs.getLong(3), days);
                    }
                });
        Optional<OffsetDateTime> copiedAt = jdbc.sql("SELECT copied_at FROM report_daily_copies WHERE period = ?").param(period.toString())
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class)).optional();
        return new Month(Collections.unmodifiableMap(byMetric), copiedAt);
    }

    private static void add(Map<String, List<Long>> byMetric, String metric, int day, long quantity, int days) {
        List<Long> perDay = byMetric.computeIfAbsent(metric, m -> new ArrayList<>(Collections.nCopies(days, 0L)));
        perDay.set(day, perDay.get(day) + quantity);
    }
}
