package com.acme.billing.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.subscription.SubscriptionAction;
import com.acme.billing.subscription.SubscriptionChange;
import com.acme.billing.subscription.SubscriptionTimeline;
import com.acme.billing.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SPEC 9's KPIs over a small three-month history (August to October 2026) with every kind of
 * movement, each figure computed by hand in the comments. Prices: free 0, starter 29, pro 99,
 * business 299; trials last 14 days.
 */
class MonthKpisTest {

    static final BillingPeriod OCTOBER = BillingPeriod.parse("2026-10");
    static final List<String> TIERS = List.of("free", "starter", "pro", "business");
    static final List<String> METRICS = List.of("emails_processed", "ai_responses", "leads_created");
    static final Map<String, BigDecimal> PRICES = Map.of("free", new BigDecimal("0"), "starter", new BigDecimal("29.00"),
            "pro", new BigDecimal("99.00"), "business", new BigDecimal("299.00"));
    static final PriceBook CATALOG = (user, tier) -> PRICES.get(tier);

    /** The history: user -> changes. */
    static Map<String, List<SubscriptionChange>> history() {
        Map<String, List<SubscriptionChange>> h = new LinkedHashMap<>();
        // u1: starter since August, untouched: paying 29 at start and end.
        add(h, "u1", "2026-08-10T00:00:00Z", "subscribe", "starter");
        // u2: pro, upgraded to business on 15 October: expansion 200 (tier at start: pro), an upgrade.
        add(h, "u2", "2026-08-01T00:00:00Z", "subscribe", "pro");
        add(h, "u2", "2026-10-15T00:00:00Z", "change", "business");
        // u3: business from September, down to starter on 20 October: contraction 270 (business), a downgrade.
        add(h, "u3", "2026-09-05T00:00:00Z", "subscribe", "business");
        add(h, "u3", "2026-10-20T00:00:00Z", "change", "starter");
        // u4: pro, cancelled on 5 October: churned 99 (pro), a lost logo.
        add(h, "u4", "2026-08-20T00:00:00Z", "subscribe", "pro");
        add(h, "u4", "2026-10-05T00:00:00Z", "cancel", null);
        // u5: starter trial from 3 October, runs out on 17 October and converts: new 29 (starter); a converted trial.
        add(h, "u5", "2026-10-03T00:00:00Z", "trial", "starter");
        // u6: pro trial from 25 September (would end 9 October), cancelled 2 October: a trial ended in October, not converted.
        add(h, "u6", "2026-09-25T00:00:00Z", "trial", "pro");
        add(h, "u6", "2026-10-02T00:00:00Z", "cancel", null);
        // u7: free since August (not paying), to pro on 10 October: new 99 (pro); not an upgrade (not paying at the start).
        add(h, "u7", "2026-08-01T00:00:00Z", "subscribe", "free");
        add(h, "u7", "2026-10-10T00:00:00Z", "change", "pro");
        // u8: pro from September, down to free on 12 October: churned 99 (pro), a lost logo, and a downgrade (to free included).
        add(h, "u8", "2026-09-01T00:00:00Z", "subscribe", "pro");
        add(h, "u8", "2026-10-12T00:00:00Z", "change", "free");
        // u9: starter at October's last second: new 29.
        add(h, "u9", "2026-10-31T23:59:59Z", "subscribe", "starter");
        // u10: starter at November's first instant: nothing in October.
        add(h, "u10", "2026-11-01T00:00:00Z", "subscribe", "starter");
        // u11: pro from 5 to 25 October: became paying (CAC) but neither paying at the start nor at the end.
        add(h, "u11", "2026-10-05T00:00:00Z", "subscribe", "pro");
        add(h, "u11", "2026-10-25T00:00:00Z", "cancel", null);
        // u12: business trial from 20 October, ends 3 November: nothing ended in October, not paying.
        add(h, "u12", "2026-10-20T00:00:00Z", "trial", "business");
        return h;
    }

    static void add(Map<String, List<SubscriptionChange>> history, String user, String at, String action, String tier) {
        Instant effective = Instant.parse(at);
        SubscriptionAction a = SubscriptionAction.parse(action).orElseThrow();
        Instant trialEnds = a == SubscriptionAction.TRIAL ? effective.plus(Duration.ofDays(14)) : null;
        List<SubscriptionChange> changes = history.computeIfAbsent(user, u -> new ArrayList<>());
        changes.add(new SubscriptionChange(UserId.parse("user-" + user), effective, a, tier, null, trialEnds, changes.size() + 1, "test"));
    }

    static MonthKpis october() {
        MonthKpis kpis = new MonthKpis(OCTOBER, 2, TIERS, METRICS);
        Map<String, Set<String>> used = Map.of("u1", Set.of("emails_processed"), "u2", Set.of("emails_processed", "ai_responses"),
                "u7", Set.of("emails_processed"), "u4", Set.of("emails_processed"));
        history().forEach((user, changes) -> kpis.add(UserMonth.of(user, SubscriptionTimeline.of(changes), OCTOBER, CATALOG),
                used.getOrDefault(user, Set.of())));
        kpis.payment(true, "starter");
        kpis.payment(true, "starter");
        kpis.payment(true, "business");
        kpis.payment(false, null);
        kpis.usage("emails_processed", null, 1500, 1200);
        kpis.usage("ai_responses", null, 10, 0);
        kpis.usage("leads_created", null, 0, 0);
        kpis.acquisitionCost(new BigDecimal("1000.00"));
        kpis.billed(null, new BigDecimal("1234.56"));
        kpis.billed("pro", new BigDecimal("1000.006"));
        return kpis;
    }

    static String value(List<MonthKpis.Row> rows, String metric, String tier) {
        return rows.stream().filter(r -> r.metric().equals(metric) && r.tier().equals(tier)).findFirst().orElseThrow(
                () -> new AssertionError("no row " + metric + "," + tier)).value();
    }

    @Test
    void theWholeBookInOctober() {
        List<MonthKpis.Row> rows = october().rows();
        // Paying at the start: u1 29, u2 99, u3 299, u4 99, u8 99 = 5 users, MRR 625.
        // Paying at the end: u1 29, u2 299, u3 29, u5 29, u7 99, u9 29 = 6 users, MRR 514.
        assertThat(value(rows, "mrr", "all")).isEqualTo("514.00");
        assertThat(value(rows, "arr", "all")).isEqualTo("6168.00");               // 12 x 514
        assertThat(value(rows, "new_mrr", "all")).isEqualTo("157.00");            // u5 29 + u7 99 + u9 29
        assertThat(value(rows, "expansion_mrr", "all")).isEqualTo("200.00");      // u2 299 - 99
        assertThat(value(rows, "contraction_mrr", "all")).isEqualTo("270.00");    // u3 299 - 29
        assertThat(value(rows, "churned_mrr", "all")).isEqualTo("198.00");        // u4 99 + u8 99
        assertThat(value(rows, "net_new_mrr", "all")).isEqualTo("-111.00");       // 157 + 200 - 270 - 198 = 514 - 625
        assertThat(value(rows, "paying_customers", "all")).isEqualTo("6");
        assertThat(value(rows, "arpu", "all")).isEqualTo("85.67");                // 514 / 6 = 85.666...
        assertThat(value(rows, "logo_churn_rate", "all")).isEqualTo("0.4000");    // u4, u8 of 5
        assertThat(value(rows, "revenue_churn_rate", "all")).isEqualTo("0.7488"); // (198 + 270) / 625
        assertThat(value(rows, "ltv", "all")).isEqualTo("214.17");                // (514 / 6) / (2 / 5) = 214.1666... (exact ARPU)
        assertThat(value(rows, "cac", "all")).isEqualTo("250.00");                // 1000 / (u5, u7, u9, u11)
        assertThat(value(rows, "trial_conversion_rate", "all")).isEqualTo("0.5000"); // u5 converted, u6 not
        assertThat(value(rows, "upgrade_rate", "all")).isEqualTo("0.2000");       // u2 of 5
        assertThat(value(rows, "downgrade_rate", "all")).isEqualTo("0.4000");     // u3, u8 of 5
        assertThat(value(rows, "payment_success_rate", "all")).isEqualTo("0.7500"); // 3 paid, 1 failed
        assertThat(value(rows, "feature_adoption:emails_processed", "all")).isEqualTo("0.5000"); // u1, u2, u7 of 6 (u4 no longer pays)
        assertThat(value(rows, "feature_adoption:ai_responses", "all")).isEqualTo("0.1667");     // u2 of 6
        assertThat(value(rows, "feature_adoption:leads_created", "all")).isEqualTo("0.0000");
        assertThat(value(rows, "usage_growth:emails_processed", "all")).isEqualTo("0.2500"); // 1500 / 1200 - 1
        assertThat(value(rows, "usage_growth:ai_responses", "all")).isEmpty();               // nothing the month before
        assertThat(value(rows, "billed_total", "all")).isEqualTo("1234.56");
    }

    @Test
    void perTierAsSpec9AttributesThem() {
        List<MonthKpis.Row> rows = october().rows();
        // End-of-month figures by the tier at the end: starter u1, u3, u5, u9; pro u7; business u2.
        assertThat(List.of(value(rows, "mrr", "free"), value(rows, "mrr", "starter"), value(rows, "mrr", "pro"), value(rows, "mrr", "business")))
                .containsExactly("0.00", "116.00", "99.00", "299.00");
        assertThat(value(rows, "new_mrr", "starter")).isEqualTo("58.00");         // u5, u9
        assertThat(value(rows, "paying_customers", "starter")).isEqualTo("4");
        assertThat(value(rows, "arpu", "free")).isEmpty();                        // no one pays on free
        // Figures about the users paying at the start by the tier at the start: pro u2, u4, u8 (297); business u3; starter u1.
        assertThat(value(rows, "expansion_mrr", "pro")).isEqualTo("200.00");
        assertThat(value(rows, "contraction_mrr", "business")).isEqualTo("270.00");
        assertThat(value(rows, "churned_mrr", "pro")).isEqualTo("198.00");
        assertThat(value(rows, "net_new_mrr", "pro")).isEqualTo("101.00");        // new 99 (u7) + 200 - 198
        assertThat(value(rows, "logo_churn_rate", "pro")).isEqualTo("0.6667");    // 2 of 3
        assertThat(value(rows, "logo_churn_rate", "starter")).isEqualTo("0.0000");
        assertThat(value(rows, "revenue_churn_rate", "business")).isEqualTo("0.9030"); // 270 / 299
        assertThat(value(rows, "ltv", "pro")).isEqualTo("148.50");                // 99 / (2 / 3)
        assertThat(value(rows, "ltv", "business")).isEmpty();                     // no churn on business
        assertThat(value(rows, "upgrade_rate", "pro")).isEqualTo("0.3333");       // u2 of 3
        assertThat(value(rows, "downgrade_rate", "pro")).isEqualTo("0.3333");     // u8 of 3
        assertThat(value(rows, "downgrade_rate", "business")).isEqualTo("1.0000"); // u3 of 1
        // Trials by the trial's tier; payments by the tier at the event.
        assertThat(value(rows, "trial_conversion_rate", "starter")).isEqualTo("1.0000");
        assertThat(value(rows, "trial_conversion_rate", "pro")).isEqualTo("0.0000");
        assertThat(value(rows, "payment_success_rate", "starter")).isEqualTo("1.0000");
        assertThat(value(rows, "payment_success_rate", "pro")).isEmpty();
        assertThat(value(rows, "feature_adoption:emails_processed", "starter")).isEqualTo("0.2500"); // u1 of 4
        assertThat(value(rows, "feature_adoption:ai_responses", "business")).isEqualTo("1.0000");    // u2
        assertThat(value(rows, "billed_total", "pro")).isEqualTo("1000.01");      // rounded once, when written
        // CAC is for the whole book only.
        assertThat(rows.stream().filter(r -> r.metric().equals("cac")).map(MonthKpis.Row::tier)).containsExactly("all");
    }

    @Test
    void cohortsByTheMonthUsersFirstPaid() {
        Cohorts cohorts = new Cohorts(OCTOBER, 2);
        history().forEach((user, changes) -> cohorts.add(user, SubscriptionTimeline.of(changes), CATALOG));
        assertThat(cohorts.rows()).containsExactly(
                // August: u1 29, u2 99, u4 99 = 227; at October's end u1 29 and u2 299 = 328, 328 / 227 = 1.44493...
                new Cohorts.Row("2026-08", 0, 3, 3, "1.0000", "227.00", "1.0000"),
                new Cohorts.Row("2026-08", 1, 3, 3, "1.0000", "227.00", "1.0000"),
                new Cohorts.Row("2026-08", 2, 3, 2, "0.6667", "328.00", "1.4449"),
                // September: u3 299, u8 99 = 398; October: u3 29, 29 / 398 = 0.07286...
                new Cohorts.Row("2026-09", 0, 2, 2, "1.0000", "398.00", "1.0000"),
                new Cohorts.Row("2026-09", 1, 2, 1, "0.5000", "29.00", "0.0729"),
                // October: u5, u7 (free does not count as paying), u9, u11 (gone by the end): 29 + 99 + 29.
                new Cohorts.Row("2026-10", 0, 4, 3, "0.7500", "157.00", "1.0000"));
    }

    /** For the whole book, MRR at the end = MRR at the start + net new MRR, whatever the history. */
    @Test
    void mrrAtTheEndIsMrrAtTheStartPlusNetNew() {
        String[] actions = {"trial", "subscribe", "change", "cancel"};
        for (long seed = 1; seed <= 25; seed++) {
            Random random = new Random(seed);
            Map<String, List<SubscriptionChange>> history = new LinkedHashMap<>();
            for (int u = 0; u < 60; u++) {
                Instant at = Instant.parse("2026-08-01T00:00:00Z");
                for (int c = random.nextInt(6); c > 0; c--) {
                    at = at.plusSeconds(random.nextInt(40 * 86_400));
                    String action = actions[random.nextInt(actions.length)];
                    add(history, "r" + u, at.toString(), action, action.equals("cancel") ? null : TIERS.get(random.nextInt(TIERS.size())));
                }
            }
            for (String month : List.of("2026-08", "2026-09", "2026-10", "2026-11")) {
                BillingPeriod period = BillingPeriod.parse(month);
                MonthKpis kpis = new MonthKpis(period, 2, TIERS, METRICS);
                MonthKpis before = new MonthKpis(new BillingPeriod(period.month().minusMonths(1)), 2, TIERS, METRICS);
                history.forEach((user, changes) -> {
                    kpis.add(UserMonth.of(user, SubscriptionTimeline.of(changes), period, CATALOG), Set.of());
                    before.add(UserMonth.of(user, SubscriptionTimeline.of(changes), before.period(), CATALOG), Set.of());
                });
                BigDecimal start = new BigDecimal(value(before.rows(), "mrr", "all"));
                BigDecimal end = new BigDecimal(value(kpis.rows(), "mrr", "all"));
                BigDecimal netNew = new BigDecimal(value(kpis.rows(), "net_new_mrr", "all"));
                assertThat(end).as("seed %d, %s", seed, month).isEqualByComparingTo(start.add(netNew));
            }
        }
    }
}
