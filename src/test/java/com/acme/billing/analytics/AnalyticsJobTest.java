package com.acme.billing.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.Served;
import com.acme.billing.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The job {@code analytics}, {@code import-costs} and {@code GET /api/analytics} through
 * {@code jobs/billing} on H2 and PostgreSQL, October 2026 worked out by hand (sample catalog:
 * starter 29, pro 99, business 299; October has 31 days).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class AnalyticsJobTest {

    @TempDir
    Path tmp;

    @Parameter
    TestDatabase.Kind kind;

    TestDatabase db;
    Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create(kind, tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", "2026-11-04T00:00:00Z");
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        // alice: starter, untouched. bob: business, down to starter on 11 October (contraction 270, a downgrade).
        // carol: pro trial from 1 October, converts on the 15th (new 99). erin: pro, cancelled 20 October (churned 99).
        Files.writeString(tmp.resolve("subs.csv"), """
                user_id,effective_at,action,tier,stripe_customer_id
                alice,2026-09-01T00:00:00Z,subscribe,starter,cus_A
                bob,2026-09-01T00:00:00Z,subscribe,business,
                bob,2026-10-11T00:00:00Z,change,starter,
                carol,2026-10-01T00:00:00Z,trial,pro,
                erin,2026-09-10T00:00:00Z,subscribe,pro,
                erin,2026-10-20T00:00:00Z,cancel,,
                """);
        cli.ok("import-subscriptions", tmp.resolve("subs.csv").toString());
        Files.writeString(tmp.resolve("usage.csv"), """
                event_id,timestamp,user_id,metric,quantity
                s1,2026-09-05T00:00:00Z,alice,emails_processed,3000
                a1,2026-10-05T00:00:00Z,alice,emails_processed,6000
                a2,2026-10-06T00:00:00Z,alice,leads_created,350
                c1,2026-10-03T00:00:00Z,carol,ai_responses,9000
                d1,2026-10-03T00:00:00Z,dave,ai_responses,70
                """);
        cli.ok("ingest", tmp.resolve("usage.csv").toString());
        cli.ok("close-period", "--period", "2026-09");
        cli.ok("close-period", "--period", "2026-10");
        Files.writeString(tmp.resolve("costs.csv"), """
                month,channel,amount
                2026-10,ads,200.00
                2026-10,events,100
                2026-09,ads,50
                """);
        cli.ok("import-costs", tmp.resolve("costs.csv").toString());
        // Payment webhooks as serve records them: paid for alice's invoice (by its metadata), failed for her
        // Stripe customer, paid for erin's after her cancel (no tier then), and one of November.
        payment("evt_1", "invoice.paid", "2026-10-05T00:00:00Z", "{\"id\":\"in_1\",\"metadata\":{\"invoice_id\":\"INV-2026-10-alice\"}}");
        payment("evt_2", "invoice.payment_failed", "2026-10-12T00:00:00Z", "{\"id\":\"in_2\",\"customer\":\"cus_A\"}");
        payment("evt_3", "invoice.paid", "2026-10-25T00:00:00Z", "{\"id\":\"in_3\",\"metadata\":{\"invoice_id\":\"INV-2026-10-erin\"}}");
        payment("evt_4", "invoice.payment_failed", "2026-11-02T00:00:00Z", "{\"id\":\"in_4\",\"customer\":\"cus_A\"}");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private void payment(String id, String type, String created, String invoice) {
        db.jdbc().update("INSERT INTO webhook_events (event_id, type, created, received_at, outcome, payload) VALUES (?, ?, ?, ?, ?, ?)",
                id, type, OffsetDateTime.parse(created), OffsetDateTime.parse(created), "test",
                "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"data\":{\"object\":" + invoice + "}}");
    }

    @Test
    void analyticsWritesEveryFigureForTheBookAndPerTierAndImportCostsRefusesBadLines() throws Exception {
        Cli.Result result = cli.ok("analytics", "--period", "2026-10", "--json");
        Path dir = db.home().resolve("reports/2026-10");
        List<String> csv = Files.readAllLines(dir.resolve("analytics.csv"));

        assertThat(csv.get(0)).isEqualTo("metric,tier,value");
        // Paying at the start: alice 29, bob 299, erin 99 (427); at the end: alice 29, bob 29, carol 99 (157).
        assertThat(csv).contains(
                "mrr,all,157.00", "arr,all,1884.00",
                "new_mrr,all,99.00",                      // carol
                "expansion_mrr,all,0.00",
                "contraction_mrr,all,270.00",             // bob 299 -> 29
                "churned_mrr,all,99.00",                  // erin
                "net_new_mrr,all,-270.00",                // 157 - 427
                "paying_customers,all,3",
                "arpu,all,52.33",                         // 157 / 3
                "logo_churn_rate,all,0.3333",             // erin of 3
                "revenue_churn_rate,all,0.8642",          // (99 + 270) / 427 = 0.86416...
                "ltv,all,157.00",                         // (157 / 3) / (1 / 3)
                "cac,all,300.00",                         // (200 + 100) / carol
                "trial_conversion_rate,all,1.0000",       // carol
                "upgrade_rate,all,0.0000",
                "downgrade_rate,all,0.3333",              // bob of 3
                "payment_success_rate,all,0.6667",        // evt_1, evt_3 paid; evt_2 failed; evt_4 is November's
                "payment_success_rate,starter,0.5000",    // evt_1, evt_2 (alice on starter); evt_3: erin had no tier then
                "payment_success_rate,pro,",
                "feature_adoption:emails_processed,all,0.3333", // alice of 3
                "feature_adoption:ai_responses,all,0.3333",     // carol of 3 (dave does not pay)
                "usage_growth:emails_processed,all,1.0000",     // 6000 / 3000 - 1
                "usage_growth:emails_processed,starter,1.0000", // the same events, all rated on starter
                "usage_growth:ai_responses,all,",               // none in September
                // alice 29 + 4.00 + 62.50 = 95.50; bob business 299 x 10/31 = 96.45, starter 29 x 21/31 = 19.65;
                // carol pro 99 x 17/31 = 54.29; erin pro 99 x 19/31 = 60.68
                "billed_total,all,326.57", "billed_total,starter,115.15", "billed_total,business,96.45", "billed_total,pro,114.97",
                "mrr,starter,58.00", "mrr,pro,99.00", "mrr,business,0.00",
                "contraction_mrr,business,270.00", "churned_mrr,pro,99.00", "logo_churn_rate,business,0.0000");
        assertThat(csv.stream().filter(l -> l.startsWith("cac,"))).containsExactly("cac,all,300.00");
        assertThat(Files.readString(dir.resolve("cohorts.csv"))).isEqualTo(String.join("\r\n",
                "cohort,months_since,users,paying,share_paying,mrr,net_revenue_retention",
                // alice, bob, erin first paid in September: 29 + 299 + 99 = 427; in October alice and bob, 58 / 427
                "2026-09,0,3,3,1.0000,427.00,1.0000",
                "2026-09,1,3,2,0.6667,58.00,0.1358",
                "2026-10,0,1,1,1.0000,99.00,1.0000") + "\r\n");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) result.json().get("rows");
        assertThat(rows).hasSize(csv.size() - 1);
        assertThat(rows.get(0)).isEqualTo(Map.of("metric", "mrr", "tier", "all", "value", "157.00"));

        // The finance report gains the KPI page: this month against last (not computed: "-"), the cohorts.
        cli.ok("reports", "--period", "2026-10");
        String finance = com.acme.billing.support.PdfText.of(dir.resolve("finance-report.pdf"));
        assertThat(finance).contains("Key figures against last month (analytics) Figure Last month This month Change MRR - 157.00 ARR - 1884.00")
                .contains("Net new MRR - -270.00").contains("MRR over the last 12 months")
                .contains("Cohorts: users by the month they first paid").contains("2026-09 +1 3 2 0.6667 / 0.1358");

        // Again: a new execution, the same bytes.
        byte[] before = Files.readAllBytes(dir.resolve("analytics.csv"));
        cli.ok("analytics", "--period", "2026-10");
        assertThat(Files.readAllBytes(dir.resolve("analytics.csv"))).isEqualTo(before);

        // churn_high (SPEC 10): 0.3333 is above the default threshold 0.05, raised once for the month though computed twice.
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> churn = ((List<Map<String, Object>>) cli.ok("alerts", "--json").json().get("alerts")).stream()
                .filter(a -> a.get("type").equals("churn_high")).toList();
        assertThat(churn).singleElement().satisfies(a -> assertThat(a).containsEntry("period", "2026-10").containsEntry("user_id", null)
                .containsEntry("at", "2026-11-04T00:00:00Z").containsEntry("message", "logo churn rate of 2026-10 is 0.3333, above the threshold 0.05"));

        // The API answers the same rows, to finance; not to the SaaS backend's service key.
        String financeKey = (String) cli.ok("api-key", "create", "--role", "finance", "--json").json().get("key");
        String service = (String) cli.ok("api-key", "create", "--role", "service", "--json").json().get("key");
        try (Served served = Served.start(db, Map.of("BILLING_NOW", "2026-11-04T00:00:00Z"))) {
            HttpResponse<String> answer = served.api("GET", "/api/analytics?period=2026-10", financeKey, null);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).startsWith("{\"period\":\"2026-10\",\"rows\":[{\"metric\":\"mrr\",\"tier\":\"all\",\"value\":\"157.00\"},")
                    .contains("{\"metric\":\"cac\",\"tier\":\"all\",\"value\":\"300.00\"}")
                    .contains("\"cohorts\":[{\"cohort\":\"2026-09\",\"months_since\":0,\"users\":3,\"paying\":3,\"share_paying\":\"1.0000\",\"mrr\":\"427.00\",\"net_revenue_retention\":\"1.0000\"}");
            assertThat(served.api("GET", "/api/analytics?period=2026-10", service, null).statusCode()).isEqualTo(403);
            HttpResponse<String> never = served.api("GET", "/api/analytics?period=2026-08", financeKey, null);
            assertThat(never.statusCode()).isEqualTo(404);
            assertThat(never.body()).contains("no analytics for 2026-08 yet");
            assertThat(served.api("GET", "/api/analytics?period=October", financeKey, null).body())
                    .isEqualTo("{\"error\":\"bad_request\",\"details\":[\"period: not a month YYYY-MM\"]}");
        }

        // import-costs: a bad file is refused whole, naming each line; nothing stored is lost.
        Files.writeString(tmp.resolve("bad-costs.csv"), """
                month,channel,amount
                2026-11,ads,10
                2026-13,ads,10
                2026-11,,10
                2026-11,ads,-5
                2026-11,ads,10
                """);
        Cli.Result refused = cli.run("import-costs", tmp.resolve("bad-costs.csv").toString());

        assertThat(refused.exit()).isEqualTo(2);
        String file = tmp.resolve("bad-costs.csv").toString();
        assertThat(refused.err()).contains(file + ": 4 bad line(s), nothing imported:")
                .contains(file + ": line 3: bad month '2026-13' (YYYY-MM)")
                .contains(file + ": line 4: bad channel '' (1 to 128 characters)")
                .contains(file + ": line 5: bad amount '-5' (a decimal at least 0, at most 6 decimals)")
                .contains(file + ": line 6: month 2026-11 and channel 'ads' again (first on line 2)");
        assertThat(db.jdbc().queryForList("SELECT period || ' ' || channel FROM acquisition_costs ORDER BY period, channel", String.class))
                .containsExactly("2026-09 ads", "2026-10 ads", "2026-10 events");

        // A corrected row replaces the stored one for its month and channel; the others stay.
        Files.writeString(tmp.resolve("fix.csv"), "month,channel,amount\n2026-10,ads,500\n");
        assertThat(cli.ok("import-costs", tmp.resolve("fix.csv").toString(), "--json").json()).containsEntry("rows", 1);
        cli.ok("analytics", "--period", "2026-10");
        assertThat(Files.readAllLines(db.home().resolve("reports/2026-10/analytics.csv"))).contains("cac,all,600.00"); // (500 + 100) / 1
    }
}
