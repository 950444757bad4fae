package com.acme.billing.rating;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.CatalogParser;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.subscription.SubscriptionAction;
import com.acme.billing.subscription.SubscriptionChange;
import com.acme.billing.subscription.SubscriptionTimeline;
import com.acme.billing.user.UserId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed rating scenarios (SPEC 5) on the sample catalog unless said otherwise. Months:
 * October 2026 has 31 days = 2,678,400 s; November 2026 30 days = 2,592,000 s; February 2027 28
 * days; February 2028 29 days. Each expectation has its arithmetic beside it.
 */
class RatingScenariosTest {

    static final Catalog USD = catalog(Path.of("sample-data/catalog.yaml"));
    static final BillingPeriod OCT = BillingPeriod.parse("2026-10");
    static final BillingPeriod NOV = BillingPeriod.parse("2026-11");

    final List<SubscriptionChange> changes = new ArrayList<>();
    final List<Object[]> events = new ArrayList<>();

    // ---- full months, each tier ----

    @Test
    void s01_freeFullMonthWithinLimitsBillsNothing() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "free");
        event("2026-10-10T00:00:00Z", "emails_processed", 500);
        // free costs 0 and has no overage: no line, so no invoice.
        assertThat(rate(OCT, USD).lines()).isEmpty();
    }

    @Test
    void s02_starterFullMonth() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        assertLines(rate(OCT, USD), "base_fee|starter||1.000000|29.00|29.00");
    }

    @Test
    void s03_proFullMonth() {
        change("2026-10-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "pro");
        assertLines(rate(OCT, USD), "base_fee|pro||1.000000|99.00|99.00");
    }

    @Test
    void s04_businessFullMonth() {
        change("2026-01-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "business");
        assertLines(rate(OCT, USD), "base_fee|business||1.000000|299.00|299.00");
    }

    // ---- overage rules ----

    @Test
    void s05_unitPriceOverage() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        event("2026-10-05T00:00:00Z", "emails_processed", 6000);
        // 6,000 - 5,000 included = 1,000 x 0.004 = 4.00; total 29.00 + 4.00 = 33.00
        Rating.Result result = rate(OCT, USD);
        assertLines(result, "base_fee|starter||1.000000|29.00|29.00", "overage|starter|emails_processed|1000|0.004|4.00");
        assertThat(result.total()).isEqualByComparingTo("33.00");
    }

    @Test
    void s06_aPartialPackageIsChargedWhole() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        event("2026-10-05T00:00:00Z", "ai_responses", 650);
        // 650 - 500 = 150 = 1.5 packages of 100 -> 2 x 2.50 = 5.00
        assertLines(rate(OCT, USD), "base_fee|starter||1.000000|29.00|29.00", "overage|starter|ai_responses|150||5.00");
    }

    @Test
    void s07_anExactPackage() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        event("2026-10-05T00:00:00Z", "ai_responses", 600);
        // 100 over = exactly 1 package = 2.50
        assertLines(rate(OCT, USD), "base_fee|starter||1.000000|29.00|29.00", "overage|starter|ai_responses|100||2.50");
    }

    @Test
    void s08_graduatedCrossingABand() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        event("2026-10-05T00:00:00Z", "leads_created", 350);
        // 150 over: 100 x 0.50 + 50 x 0.25 = 50.00 + 12.50 = 62.50
        assertLines(rate(OCT, USD), "base_fee|starter||1.000000|29.00|29.00", "overage|starter|leads_created|150||62.50");
    }

    @Test
    void s09_graduatedWithinTheFirstBand() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        event("2026-10-05T00:00:00Z", "leads_created", 250);
        // 50 over x 0.50 = 25.00
        assertLines(rate(OCT, USD), "base_fee|starter||1.000000|29.00|29.00", "overage|starter|leads_created|50||25.00");
    }

    @Test
    void s10_graduatedEndingExactlyAtABandTop() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "pro");
        event("2026-10-05T00:00:00Z", "leads_created", 3000);
        // 2,000 over: 500 x 0.40 + 1,500 x 0.20 = 200.00 + 300.00 = 500.00
        assertLines(rate(OCT, USD), "base_fee|pro||1.000000|99.00|99.00", "overage|pro|leads_created|2000||500.00");
    }

    @Test
    void s11_graduatedReachingTheOpenBand() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "pro");
        event("2026-10-05T00:00:00Z", "leads_created", 3500);
        // 2,500 over: 500 x 0.40 + 1,500 x 0.20 + 500 x 0.10 = 200 + 300 + 50 = 550.00
        assertLines(rate(OCT, USD), "base_fee|pro||1.000000|99.00|99.00", "overage|pro|leads_created|2500||550.00");
    }

    @Test
    void s12_aHardLimitIsReportedNeverBilled() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "business");
        event("2026-10-05T00:00:00Z", "leads_created", 6000);
        // business has no overage rule for leads: 6,000 > 5,000 is a breach, not a line
        Rating.Result result = rate(OCT, USD);
        assertLines(result, "base_fee|business||1.000000|299.00|299.00");
        assertThat(result.usage()).contains(new UsageSummary("leads_created", "business", 6000, 5000, 1000, true));
    }

    @Test
    void s13_freeTierHardLimits() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "free");
        event("2026-10-05T00:00:00Z", "emails_processed", 600);
        Rating.Result result = rate(OCT, USD);
        assertThat(result.lines()).isEmpty();
        assertThat(result.usage()).contains(new UsageSummary("emails_processed", "free", 600, 500, 100, true),
                new UsageSummary("ai_responses", "free", 0, 50, 0, false));
    }

    // ---- changes within the month ----

    @Test
    void s14_upgradeMidMonth() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        change("2026-10-20T12:00:00Z", SubscriptionAction.CHANGE, "pro");
        // starter 19.5 days = 1,684,800 s: 29 x 1,684,800 / 2,678,400 = 18.2419... -> 18.24 (f 0.629032)
        // pro 11.5 days = 993,600 s: 99 x 993,600 / 2,678,400 = 36.7258... -> 36.73 (f 0.370968)
        Rating.Result result = rate(OCT, USD);
        assertLines(result, "base_fee|starter||0.629032|29.00|18.24", "base_fee|pro||0.370968|99.00|36.73");
        assertThat(result.total()).isEqualByComparingTo("54.97");
    }

    @Test
    void s15_downgradeMidMonth() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "business");
        change("2026-10-11T00:00:00Z", SubscriptionAction.CHANGE, "starter");
        // business 10 days: 299 x 10/31 = 96.4516... -> 96.45; starter 21 days: 29 x 21/31 = 19.6451... -> 19.65
        assertLines(rate(OCT, USD), "base_fee|business||0.322581|299.00|96.45", "base_fee|starter||0.677419|29.00|19.65");
    }

    @Test
    void s16_cancelMidMonth() {
        change("2026-07-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "pro");
        change("2026-10-16T00:00:00Z", SubscriptionAction.CANCEL, "");
        event("2026-10-20T00:00:00Z", "emails_processed", 30000);
        // 15 days of pro: 99 x 15/31 = 47.9032... -> 47.90; the usage after the cancel is reported, never billed
        Rating.Result result = rate(OCT, USD);
        assertLines(result, "base_fee|pro||0.483871|99.00|47.90");
        assertThat(result.usage()).contains(new UsageSummary("emails_processed", "", 30000, 0, 0, false));
    }

    @Test
    void s17_trialThenAutomaticConversion() {
        change("2026-10-01T00:00:00Z", SubscriptionAction.TRIAL, "starter");
        event("2026-10-10T00:00:00Z", "emails_processed", 9000);
        event("2026-10-20T00:00:00Z", "emails_processed", 100);
        // 14-day trial ends 2026-10-15T00:00Z; paid 17 days: 29 x 17/31 = 15.9032... -> 15.90.
        // Trial usage is free; the paid segment includes 5,000 x 17/31 = 2,741.9 -> 2,742 and used 100: no overage.
        Rating.Result result = rate(OCT, USD);
        assertLines(result, "base_fee|starter||0.548387|29.00|15.90");
        // Reported per tier over both segments: trial includes 5,000 x 14/31 = 2,258.06 -> 2,258, so 9,000 - 2,258 = 6,742
        // over during the trial (reported, not billed); paid 100 < 2,742. Included 2,258 + 2,742 = 5,000; over 6,742.
        assertThat(result.usage()).contains(new UsageSummary("emails_processed", "starter", 9100, 5000, 6742, false));
    }

    @Test
    void s18_trialCancelledPaysNothing() {
        change("2026-10-01T00:00:00Z", SubscriptionAction.TRIAL, "pro");
        change("2026-10-05T00:00:00Z", SubscriptionAction.CANCEL, "");
        event("2026-10-02T00:00:00Z", "leads_created", 5000);
        assertThat(rate(OCT, USD).lines()).isEmpty();
    }

    @Test
    void s19_changeDuringATrialStartsPaidAtThatInstant() {
        change("2026-10-01T00:00:00Z", SubscriptionAction.TRIAL, "starter");
        change("2026-10-05T12:00:00Z", SubscriptionAction.CHANGE, "pro");
        // pro paid from Oct 5 12:00: 26.5 days = 2,289,600 s: 99 x 2,289,600 / 2,678,400 = 84.6290... -> 84.63
        assertLines(rate(OCT, USD), "base_fee|pro||0.854839|99.00|84.63");
    }

    @Test
    void s20_aChangeExactlyAtTheMonthBoundaryBelongsToTheNextMonth() {
        change("2026-10-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        change("2026-11-01T00:00:00Z", SubscriptionAction.CHANGE, "pro");
        assertLines(rate(OCT, USD), "base_fee|starter||1.000000|29.00|29.00");
        assertLines(rate(NOV, USD), "base_fee|pro||1.000000|99.00|99.00");
    }

    @Test
    void s21_anEventAtASegmentBoundaryBelongsToTheSegmentThatStarts() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        change("2026-10-16T00:00:00Z", SubscriptionAction.CHANGE, "pro");
        event("2026-10-16T00:00:00Z", "emails_processed", 6000);
        // starter 15 days: 29 x 15/31 = 14.0322... -> 14.03; pro 16 days: 99 x 16/31 = 51.0967... -> 51.10.
        // The 6,000 emails fall in pro (start inclusive), which includes 25,000 x 16/31 = 12,903: no overage.
        // (Put in starter's segment they would cost (6,000 - 2,419) x 0.004 = 14.32.)
        assertLines(rate(OCT, USD), "base_fee|starter||0.483871|29.00|14.03", "base_fee|pro||0.516129|99.00|51.10");
    }

    // ---- month lengths ----

    @Test
    void s22_february2027Has28Days() {
        change("2027-02-15T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        // 14 of 28 days: 29 x 0.5 = 14.50
        assertLines(rate(BillingPeriod.parse("2027-02"), USD), "base_fee|starter||0.500000|29.00|14.50");
    }

    @Test
    void s23_february2028Has29Days() {
        change("2028-02-15T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        // 15 of 29 days: 29 x 15/29 = 15.00 exactly
        assertLines(rate(BillingPeriod.parse("2028-02"), USD), "base_fee|starter||0.517241|29.00|15.00");
    }

    @Test
    void s24_aThirtyDayMonth() {
        change("2026-11-16T00:00:00Z", SubscriptionAction.SUBSCRIBE, "pro");
        // 15 of 30 days: 99 x 0.5 = 49.50
        assertLines(rate(NOV, USD), "base_fee|pro||0.500000|99.00|49.50");
    }

    @Test
    void s25_aThirtyOneDayMonth() {
        change("2026-10-17T00:00:00Z", SubscriptionAction.SUBSCRIBE, "pro");
        // 15 of 31 days: 99 x 15/31 = 47.9032... -> 47.90
        assertLines(rate(OCT, USD), "base_fee|pro||0.483871|99.00|47.90");
    }

    // ---- rounding ----

    @Test
    void s26_includedQuantitiesRoundHalfUpToWholeUnits() {
        change("2026-10-31T22:08:24Z", SubscriptionAction.SUBSCRIBE, "starter");
        event("2026-10-31T23:00:00Z", "leads_created", 2);
        event("2026-10-31T23:00:01Z", "emails_processed", 13);
        // 6,696 s = 1/400 of October. Base: 29/400 = 0.0725 -> 0.07.
        // leads included 200/400 = 0.5 -> 1 (half up): 1 over x 0.50 = 0.50; emails 5,000/400 = 12.5 -> 13: none over.
        Rating.Result result = rate(OCT, USD);
        assertLines(result, "base_fee|starter||0.002500|29.00|0.07", "overage|starter|leads_created|1||0.50");
        assertThat(result.usage()).contains(new UsageSummary("emails_processed", "starter", 13, 13, 0, false),
                new UsageSummary("ai_responses", "starter", 0, 1, 0, false));
    }

    @Test
    void s27_aLineRoundsHalfUpNotToEven() {
        change("2026-11-30T20:24:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        // 12,960 s of 2,592,000 = 0.005 of November: 29 x 0.005 = 0.145 -> 0.15 (half even would give 0.14).
        // ai included 500 x 0.005 = 2.5 -> 3.
        Rating.Result result = rate(NOV, USD);
        assertLines(result, "base_fee|starter||0.005000|29.00|0.15");
        assertThat(result.usage()).contains(new UsageSummary("ai_responses", "starter", 0, 3, 0, false));
    }

    @Test
    void s28_aZeroDecimalCurrency() {
        Catalog jpy = catalog("""
                currency: JPY
                metrics: [calls]
                tiers:
                  basic: {monthly_price: "1000", limits: {calls: 100}, overage: {calls: {unit_price: "0.5"}}}
                """);
        change("2026-10-17T00:00:00Z", SubscriptionAction.SUBSCRIBE, "basic");
        event("2026-10-20T00:00:00Z", "calls", 52);
        // 15 of 31 days: 1,000 x 15/31 = 483.87 -> 484 yen. Included 100 x 15/31 = 48.39 -> 48; 4 over x 0.5 = 2 yen.
        assertLines(rate(OCT, jpy), "base_fee|basic||0.483871|1000|484", "overage|basic|calls|4|0.5|2");
    }

    @Test
    void s29_aThreeDecimalCurrency() {
        Catalog kwd = catalog("""
                currency: KWD
                metrics: [calls]
                tiers:
                  basic: {monthly_price: "9.999", limits: {calls: 30}, overage: {calls: {unit_price: "0.0125"}}}
                """);
        change("2026-11-21T00:00:00Z", SubscriptionAction.SUBSCRIBE, "basic");
        event("2026-11-25T00:00:00Z", "calls", 17);
        // 10 of 30 days: 9.999 / 3 = 3.333 exactly. Included 30 / 3 = 10; 7 over x 0.0125 = 0.0875 -> 0.088.
        assertLines(rate(NOV, kwd), "base_fee|basic||0.333333|9.999|3.333", "overage|basic|calls|7|0.0125|0.088");
    }

    // ---- no subscription, repeated tiers, totals ----

    @Test
    void s30_usageWithoutASubscriptionIsReportedNeverBilled() {
        event("2026-10-03T00:00:00Z", "ai_responses", 70);
        Rating.Result result = rate(OCT, USD);
        assertThat(result.lines()).isEmpty();
        assertThat(result.usage()).contains(new UsageSummary("ai_responses", "", 70, 0, 0, false));
    }

    @Test
    void s31_leavingAndComingBackGivesTwoSegmentsWithTheirOwnIncludedQuantities() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        change("2026-10-11T00:00:00Z", SubscriptionAction.CANCEL, "");
        change("2026-10-21T00:00:00Z", SubscriptionAction.SUBSCRIBE, "starter");
        event("2026-10-05T00:00:00Z", "emails_processed", 2000);
        event("2026-10-25T00:00:00Z", "emails_processed", 2000);
        // Oct 1-10: 29 x 10/31 = 9.3548 -> 9.35, includes 5,000 x 10/31 = 1,612.9 -> 1,613: 387 over x 0.004 = 1.548 -> 1.55
        // Oct 21-31: 29 x 11/31 = 10.2903 -> 10.29, includes 5,000 x 11/31 = 1,774.2 -> 1,774: 226 over -> 0.904 -> 0.90
        Rating.Result result = rate(OCT, USD);
        assertLines(result, "base_fee|starter||0.322581|29.00|9.35", "overage|starter|emails_processed|387|0.004|1.55",
                "base_fee|starter||0.354839|29.00|10.29", "overage|starter|emails_processed|226|0.004|0.90");
        // An invoice total is the sum of its rounded lines: 9.35 + 1.55 + 10.29 + 0.90 = 22.09
        assertThat(result.total()).isEqualByComparingTo("22.09");
    }

    @Test
    void s32_everyMetricOverInOneSegment() {
        change("2026-09-01T00:00:00Z", SubscriptionAction.SUBSCRIBE, "pro");
        event("2026-10-02T00:00:00Z", "emails_processed", 25_001);
        event("2026-10-02T00:00:01Z", "ai_responses", 2_501);
        event("2026-10-02T00:00:02Z", "leads_created", 1_001);
        // emails 1 x 0.003 = 0.003 -> 0.00: no line; ai 1 over -> 1 package of 500 = 10.00; leads 1 x 0.40 = 0.40
        assertLines(rate(OCT, USD), "base_fee|pro||1.000000|99.00|99.00", "overage|pro|ai_responses|1||10.00",
                "overage|pro|leads_created|1||0.40");
    }

    // ---- helpers ----

    private void change(String at, SubscriptionAction action, String tier) {
        Instant effective = Instant.parse(at);
        Instant trialEnds = action == SubscriptionAction.TRIAL
                ? effective.plus(Duration.ofSeconds(86_400L * USD.tier(tier).orElseThrow().trialDays())) : null;
        changes.add(new SubscriptionChange(new UserId("u"), effective, action, tier, null, trialEnds, changes.size() + 1, "test"));
    }

    private void event(String at, String metric, long quantity) {
        events.add(new Object[] {Instant.parse(at), metric, quantity});
    }

    private Rating.Result rate(BillingPeriod period, Catalog catalog) {
        List<Rating.SegmentUsage> segments = new ArrayList<>();
        for (Segment segment : Segments.of(SubscriptionTimeline.of(changes), period)) {
            Map<String, Long> usage = new HashMap<>();
            for (Object[] e : events) {
                if (segment.contains((Instant) e[0])) {
                    usage.merge((String) e[1], (Long) e[2], Long::sum);
                }
            }
            segments.add(new Rating.SegmentUsage(segment, usage));
        }
        return Rating.rate(period, segments, catalog);
    }

    /** type|tier|metric|quantity|unit price|amount, in the order rating gives them. */
    private static void assertLines(Rating.Result result, String... expected) {
        assertThat(result.lines()).extracting(l -> l.type().wire() + "|" + l.tier() + "|" + (l.metric() == null ? "" : l.metric()) + "|"
                + l.quantity().toPlainString() + "|" + (l.unitPrice() == null ? "" : l.unitPrice().toPlainString()) + "|"
                + l.amount().toPlainString()).containsExactly(expected);
    }

    static Catalog catalog(Path file) {
        try {
            return CatalogParser.parse(Files.readString(file), file.toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Catalog catalog(String yaml) {
        return CatalogParser.parse(yaml, "test");
    }
}
