package com.acme.billing.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.CatalogParser;
import com.acme.billing.platform.InputRefusedException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC 9's assignment rule, the overrides, the file checks and the statistics, against values computed elsewhere. */
class ExperimentRulesTest {

    static Catalog sample() throws Exception {
        return CatalogParser.parse(Files.readString(Path.of("sample-data/catalog.yaml")), "catalog.yaml");
    }

    /**
     * Buckets computed outside Java: {@code printf 'price-test-2026-10:user-000001' | sha256sum} gives
     * 3f05a7f90520e8df... ; {@code int('3f05a7f90520e8df', 16) % 10000} in Python = 1391.
     */
    @Test
    void theBucketIsTheFirstEightBytesOfTheHashModuloTenThousand() {
        assertThat(Experiment.bucket("price-test-2026-10", "user-000001")).isEqualTo(1391);  // 3f05a7f90520e8df
        assertThat(Experiment.bucket("price-test-2026-10", "user-000002")).isEqualTo(5181);  // 979b8183989a420d (above 2^63: unsigned)
        assertThat(Experiment.bucket("price-test-2026-10", "alice")).isEqualTo(8669);        // e70c9bb995d03dfd
        assertThat(Experiment.bucket("price-test-2026-10", "bob")).isEqualTo(7891);          // 2614fd1429062a83
        assertThat(Experiment.bucket("price-test-2026-10", "carol")).isEqualTo(396);         // ee3730c120d55e1c
        Experiment experiment = new Experiment("price-test-2026-10", java.time.Instant.EPOCH, java.time.Instant.MAX, List.of(
                new Variant("control", 5000, Map.of()), new Variant("lower_price", 2500, Map.of()), new Variant("longer_trial", 2500, Map.of())));
        // Walk the weights until the sum exceeds the bucket: [0, 5000) control, [5000, 7500) lower_price, [7500, 10000) longer_trial.
        assertThat(experiment.variantOf("user-000001").name()).isEqualTo("control");
        assertThat(experiment.variantOf("carol").name()).isEqualTo("control");
        assertThat(experiment.variantOf("user-000002").name()).isEqualTo("lower_price");
        assertThat(experiment.variantOf("bob").name()).isEqualTo("longer_trial");
        assertThat(experiment.variantOf("alice").name()).isEqualTo("longer_trial");
    }

    @Test
    void aVariantOverridesPriceTrialAndOverageOfOneTierOnly() throws Exception {
        List<Experiment> parsed = ExperimentsParser.parse("""
                experiments:
                  - id: price-test-2026-10
                    start: 2026-10-01T00:00:00Z
                    end: 2026-11-01T00:00:00Z
                    variants:
                      - {name: control, weight: 5000}
                      - name: lower_price
                        weight: 5000
                        overrides:
                          starter: {monthly_price: "24.00", trial_days: 21, overage: {emails_processed: {unit_price: "0.003"}, ai_responses: {unit_price: "0.02"}}}
                """, "experiments.yaml", sample());
        Catalog lower = parsed.get(0).variant("lower_price").applyTo(sample());
        assertThat(lower.tier("starter").orElseThrow().monthlyPrice()).isEqualByComparingTo("24.00");
        assertThat(lower.tier("starter").orElseThrow().trialDays()).isEqualTo(21);
        assertThat(lower.tier("starter").orElseThrow().overage().get("emails_processed").price(1000)).isEqualByComparingTo("3.000");
        // A package rule replaced by a unit price; the graduated leads rule untouched.
        assertThat(lower.tier("starter").orElseThrow().overage().get("ai_responses").price(150)).isEqualByComparingTo("3.00");
        assertThat(lower.tier("starter").orElseThrow().overage().get("leads_created")).isEqualTo(sample().tier("starter").orElseThrow().overage().get("leads_created"));
        assertThat(lower.tier("pro")).isEqualTo(sample().tier("pro"));
        assertThat(parsed.get(0).control().applyTo(sample())).isEqualTo(sample());
        assertThat(parsed.get(0).admits(java.time.Instant.parse("2026-10-31T23:59:59Z"))).isTrue();
        assertThat(parsed.get(0).admits(java.time.Instant.parse("2026-11-01T00:00:00Z"))).isFalse();
    }

    @Test
    void aBadFileIsRefusedWholeNamingEveryKey() {
        assertThatThrownBy(() -> ExperimentsParser.parse("""
                experiments:
                  - id: a
                    start: 2026-10-01T00:00:00Z
                    end: 2026-09-01T00:00:00Z
                    colour: blue
                    variants:
                      - {name: control, weight: 5000}
                      - name: cheap
                        weight: 4000
                        overrides:
                          gold: {monthly_price: "1.00"}
                          starter: {monthly_price: 24.5, trial_days: -1, overage: {leads_created: {unit_price: "0.1"}}}
                          business: {overage: {leads_created: {unit_price: "0.1"}}, free_months: 2}
                """, "bad.yaml", sample()))
                .isInstanceOf(InputRefusedException.class)
                .hasMessage("""
                        bad.yaml: experiments refused, nothing imported:
                          experiments[0].colour: unknown key (expected end, id, start, variants)
                          experiments[0].end: must be after start
                          experiments[0].variants[1].overrides.gold: no tier 'gold' in the catalog (free, starter, pro, business)
                          experiments[0].variants[1].overrides.starter.monthly_price: a decimal string such as "24.00" (quoted, so YAML keeps it exact), not 24.5
                          experiments[0].variants[1].overrides.starter.trial_days: a whole number of days, at least 0, not -1
                          experiments[0].variants[1].overrides.business.free_months: unknown key (expected monthly_price, overage, trial_days)
                          experiments[0].variants[1].overrides.business.overage.leads_created: leads_created is a hard limit of business (no overage rule to replace)
                          experiments[0].variants: weights add up to 9000, not 10000 (basis points)""".stripIndent());
    }

    /**
     * Expected values from SciPy 1.17.1, independently of commons-statistics:
     * {@code chi2_contingency([[45,55],[30,70]], correction=False)} p = 0.028459736916310638 (and
     * {@code 2*norm.sf(z)} with the pooled z gives 0.02845973691631055); interval
     * {@code d ± norm.ppf(0.975) * sqrt(p1(1-p1)/n1 + p2(1-p2)/n2)} = [0.017430493, 0.282569507];
     * {@code ttest_ind(x, y, equal_var=False)} p = 0.4799303542666334, df 10.871998509665872, interval
     * {@code d ± t.ppf(0.975, df) * se} = [-7.141702416, 14.236940511].
     */
    @Test
    void theTestsAgreeWithValuesComputedIndependently() {
        VariantComparison.Test conversion = VariantComparison.conversion(30, 100, 45, 100);
        assertThat(conversion.difference()).isEqualByComparingTo("0.1500");
        assertThat(conversion.ci()).containsExactly(new BigDecimal("0.0174"), new BigDecimal("0.2826"));
        assertThat(conversion.pValue()).isEqualByComparingTo("0.02846");
        assertThat(conversion.significant()).isTrue();
        assertThat(VariantComparison.conversion(100, 1000, 150, 1000).pValue()).isEqualByComparingTo("0.0007232"); // SciPy 0.0007232327164301936

        List<BigDecimal> variant = money(15, 18, 20, 0, 25, 17);
        List<BigDecimal> control = money(10, 12, 9, 11, 30, 0, 14);
        VariantComparison.Test revenue = VariantComparison.revenuePerUser(control, variant, 2);
        assertThat(revenue.difference()).isEqualByComparingTo("3.55");        // 95/6 - 86/7 = 3.547619...
        assertThat(revenue.ci()).containsExactly(new BigDecimal("-7.14"), new BigDecimal("14.24"));
        assertThat(revenue.pValue()).isEqualByComparingTo("0.4799");
        assertThat(revenue.significant()).isFalse();
        // Everyone converted: no pooled variance, no p-value.
        assertThat(VariantComparison.conversion(10, 10, 5, 5).pValue()).isNull();
    }

    static List<BigDecimal> money(int... amounts) {
        return java.util.Arrays.stream(amounts).mapToObj(a -> new BigDecimal(a + ".00")).toList();
    }
}
