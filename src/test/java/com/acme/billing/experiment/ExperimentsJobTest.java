package com.acme.billing.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.Served;
import com.acme.billing.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A pricing experiment end to end on H2 and PostgreSQL: import, assignment, invoices of experiment
 * users with the variant's prices (exact, by hand), results by CLI and API. Buckets of
 * "price-test-2026-10:<user>" (ExperimentRulesTest): alice 8669 and user-000002 5181 fall in
 * lower_price (5000-9999), carol 396 and user-000001 1391 in control; bob 7891 would be lower_price
 * but was first seen before the experiment, so he is not in it.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class ExperimentsJobTest {

    @TempDir
    Path tmp;

    @Parameter
    TestDatabase.Kind kind;

    TestDatabase db;
    Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create(kind, tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", "2026-12-05T00:00:00Z");
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        Files.writeString(tmp.resolve("experiments.yaml"), """
                experiments:
                  - id: price-test-2026-10
                    start: 2026-10-01T00:00:00Z
                    end: 2026-11-01T00:00:00Z
                    variants:
                      - {name: control, weight: 5000}
                      - name: lower_price
                        weight: 5000
                        overrides:
                          starter: {monthly_price: "24.00", trial_days: 21, overage: {emails_processed: {unit_price: "0.003"}}}
                """);
        assertThat(cli.ok("import-experiments", tmp.resolve("experiments.yaml").toString(), "--json").json())
                .containsEntry("imported", List.of("price-test-2026-10")).containsEntry("assigned", 0);
        Files.writeString(tmp.resolve("subs.csv"), """
                user_id,effective_at,action,tier,stripe_customer_id
                bob,2026-09-01T00:00:00Z,subscribe,starter,
                alice,2026-10-01T00:00:00Z,subscribe,starter,
                carol,2026-10-01T00:00:00Z,subscribe,starter,
                user-000001,2026-10-05T00:00:00Z,trial,starter,
                user-000002,2026-10-05T00:00:00Z,trial,starter,
                """);
        cli.ok("import-subscriptions", tmp.resolve("subs.csv").toString());
        Files.writeString(tmp.resolve("usage.csv"), """
                event_id,timestamp,user_id,metric,quantity
                a1,2026-10-10T00:00:00Z,alice,emails_processed,6000
                b1,2026-10-10T00:00:00Z,bob,emails_processed,6000
                c1,2026-10-10T00:00:00Z,carol,emails_processed,6000
                """);
        cli.ok("ingest", tmp.resolve("usage.csv").toString());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private List<String> lines(String period) {
        return db.jdbc().queryForList("SELECT user_id || '|' || line_type || '|' || tier || '|' || COALESCE(metric, '') || '|' || "
                + "CAST(CAST(amount AS DECIMAL(19, 2)) AS VARCHAR(32)) FROM invoice_lines WHERE period = ? ORDER BY user_id, line_type, metric",
                String.class, period);
    }

    @Test
    void experimentUsersAreBilledAtTheirVariantsPricesForGood() throws Exception {
        cli.ok("close-period", "--period", "2026-10");
        assertThat(lines("2026-10")).containsExactly(
                "alice|base_fee|starter||24.00",            // lower_price: 24.00 a month
                "alice|overage|starter|emails_processed|3.00", // 1,000 over x 0.003
                "bob|base_fee|starter||29.00",              // first seen in September: the catalog's prices
                "bob|overage|starter|emails_processed|4.00",   // 1,000 over x 0.004
                "carol|base_fee|starter||29.00",            // control
                "carol|overage|starter|emails_processed|4.00",
                "user-000001|base_fee|starter||12.16",      // control: 14-day trial to the 19th, 29 x 13/31 = 12.1613
                "user-000002|base_fee|starter||4.65");      // lower_price: 21-day trial to the 26th, 24 x 6/31 = 4.6452
        assertThat(db.jdbc().queryForList("SELECT user_id || ' ' || variant FROM experiment_assignments ORDER BY user_id", String.class))
                .containsExactly("alice lower_price", "carol control", "user-000001 control", "user-000002 lower_price");
        assertThat(db.jdbc().queryForObject("SELECT trial_ends_at FROM subscription_changes WHERE user_id = 'user-000002'",
                java.time.OffsetDateTime.class).toInstant()).isEqualTo(java.time.Instant.parse("2026-10-26T00:00:00Z"));

        // After the experiment's end its users keep their prices.
        cli.ok("close-period", "--period", "2026-11");
        assertThat(lines("2026-11")).containsExactly("alice|base_fee|starter||24.00", "bob|base_fee|starter||29.00",
                "carol|base_fee|starter||29.00", "user-000001|base_fee|starter||29.00", "user-000002|base_fee|starter||24.00");

        // Results: control carol 33.00 + 29.00, user-000001 12.16 + 29.00 (mean 51.58); lower_price alice 27.00 + 24.00,
        // user-000002 4.65 + 24.00 (mean 39.825). Welch by SciPy 1.17.1: p = 0.5224682422586334, df 1.99029,
        // interval [-77.80475, 54.29475].
        Map<String, Object> results = cli.ok("experiment-results", "price-test-2026-10", "--json").json();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> variants = (List<Map<String, Object>>) results.get("variants");
        assertThat(results).containsEntry("experiment", "price-test-2026-10");
        assertThat(variants.get(0)).containsEntry("name", "control").containsEntry("users", 2).containsEntry("trial_starts", 1)
                .containsEntry("conversions", 2).containsEntry("conversion_rate", 1.0).containsEntry("revenue_per_user", 51.58)
                .containsEntry("vs_control", null);
        assertThat(variants.get(1)).containsEntry("name", "lower_price").containsEntry("users", 2).containsEntry("trial_starts", 1)
                .containsEntry("conversions", 2).containsEntry("revenue_per_user", 39.83);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> vs = (Map<String, Map<String, Object>>) variants.get(1).get("vs_control");
        assertThat(vs.get("revenue_per_user")).containsEntry("difference", -11.76).containsEntry("ci", List.of(-77.80, 54.29))
                .containsEntry("p_value", 0.5225).containsEntry("significant", false);
        assertThat(vs.get("conversion")).containsEntry("difference", 0.0).containsEntry("p_value", null).containsEntry("significant", false);

        // The finance report shows the experiment running in October.
        cli.ok("reports", "--period", "2026-10");
        assertThat(com.acme.billing.support.PdfText.of(db.home().resolve("reports/2026-10/finance-report.pdf")))
                .contains("Pricing experiments running this month")
                .contains("price-test-2026-10: control 1.0000 (control) 2 51.58")
                .contains("price-test-2026-10: lower_price 1.0000 2 39.83 -11.76 p=0.5225");

        String finance = (String) cli.ok("api-key", "create", "--role", "finance", "--json").json().get("key");
        try (Served served = Served.start(db, Map.of("BILLING_NOW", "2026-12-05T00:00:00Z"))) {
            HttpResponse<String> answer = served.api("GET", "/api/experiments/price-test-2026-10", finance, null);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).startsWith("{\"experiment\":\"price-test-2026-10\"")
                    .contains("{\"name\":\"lower_price\",\"weight\":5000,\"users\":2,\"trial_starts\":1,\"conversions\":2,"
                            + "\"conversion_rate\":1.0000,\"revenue_per_user\":39.83,\"vs_control\":");
            assertThat(served.api("GET", "/api/experiments/nope", finance, null).statusCode()).isEqualTo(404);
        }

        // The same id with other terms is refused; the same file again changes nothing.
        Files.writeString(tmp.resolve("changed.yaml"), Files.readString(tmp.resolve("experiments.yaml")).replace("\"24.00\"", "\"19.00\""));
        Cli.Result refused = cli.run("import-experiments", tmp.resolve("changed.yaml").toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("price-test-2026-10: already imported with other terms");
        assertThat(cli.ok("import-experiments", tmp.resolve("experiments.yaml").toString(), "--json").json())
                .containsEntry("unchanged", List.of("price-test-2026-10")).containsEntry("imported", List.of());
    }
}
