package com.acme.billing.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.billing.platform.InputRefusedException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogParserTest {

    @Test
    void readsTheSampleCatalogWithEveryRuleKind() throws Exception {
        Catalog catalog = CatalogParser.parse(Files.readString(Path.of("sample-data/catalog.yaml")), "catalog.yaml");

        assertThat(catalog.currency()).isEqualTo("USD");
        assertThat(catalog.minorDigits()).isEqualTo(2);
        assertThat(catalog.gracePeriodDays()).isEqualTo(3);
        assertThat(catalog.metrics()).containsExactly("emails_processed", "ai_responses", "leads_created");
        assertThat(catalog.tiers()).containsOnlyKeys("free", "starter", "pro", "business");
        Tier starter = catalog.tier("starter").orElseThrow();
        assertThat(starter.monthlyPrice()).isEqualByComparingTo("29.00");
        assertThat(starter.trialDays()).isEqualTo(14);
        assertThat(starter.limits()).containsEntry("emails_processed", 5000L).containsEntry("ai_responses", 500L)
                .containsEntry("leads_created", 200L);
        assertThat(starter.overage().get("emails_processed")).isEqualTo(new OverageRule.UnitPrice(new BigDecimal("0.004")));
        assertThat(starter.overage().get("ai_responses")).isEqualTo(new OverageRule.PackagePrice(100, new BigDecimal("2.50")));
        assertThat(starter.overage().get("leads_created")).isEqualTo(new OverageRule.Graduated(List.of(
                new OverageRule.Band(100L, new BigDecimal("0.50")), new OverageRule.Band(null, new BigDecimal("0.25")))));
        assertThat(catalog.tier("free").orElseThrow().isHardLimit("emails_processed")).isTrue();
        assertThat(catalog.tier("business").orElseThrow().isHardLimit("leads_created")).isTrue();
        assertThat(catalog.tier("business").orElseThrow().features()).contains("sso", "priority_support");
    }

    @Test
    void refusesTheWholeCatalogNamingEveryBadKey() {
        String yaml = """
                currency: usd
                metrics: [emails, ai]
                tiers:
                  basic:
                    monthly_price: "-1"
                    limits: {emails: 10, phone: 5}
                    overage:
                      emails:
                        graduated:
                          - {up_to: 100, unit_price: "0.5"}
                          - {up_to: 50, unit_price: "0.4"}
                          - {unit_price: "0.1"}
                      phone: {unit_price: "1"}
                  pro:
                    monthly_price: 9.99
                    limits: {emails: 10, ai: 1}
                    overage:
                      ai: {package_size: 0, package_price: "1"}
                """;

        assertThatThrownBy(() -> CatalogParser.parse(yaml, "bad.yaml"))
                .isInstanceOf(InputRefusedException.class)
                .hasMessageContaining("bad.yaml: catalog refused, nothing imported")
                .hasMessageContaining("currency: 'usd' is not an ISO 4217 currency code")
                .hasMessageContaining("tiers.basic.monthly_price: negative price -1")
                .hasMessageContaining("tiers.basic.limits.phone: unknown metric")
                .hasMessageContaining("tiers.basic.limits.ai: missing")
                .hasMessageContaining("tiers.basic.overage.emails.graduated[1].up_to: bands out of order: 50 is not above the previous band's 100")
                .hasMessageContaining("tiers.basic.overage.phone: unknown metric")
                .hasMessageContaining("tiers.pro.monthly_price: write prices as quoted decimal strings")
                .hasMessageContaining("tiers.pro.overage.ai.package_size: must be at least 1");
    }

    @Test
    void aLastBandWithAnUpperBoundLeavesUsageWithoutPriceAndIsRefused() {
        String yaml = """
                currency: JPY
                metrics: [calls]
                tiers:
                  t:
                    monthly_price: "1000"
                    limits: {calls: 1}
                    overage:
                      calls: {graduated: [{up_to: 10, unit_price: "5"}]}
                """;
        assertThatThrownBy(() -> CatalogParser.parse(yaml, "c.yaml"))
                .hasMessageContaining("tiers.t.overage.calls.graduated[0].up_to: the last band must be open-ended");
    }

    @Test
    void notYamlIsRefused() {
        assertThatThrownBy(() -> CatalogParser.parse("tiers: [unclosed", "x.yaml")).hasMessageStartingWith("x.yaml: not readable as YAML");
        assertThatThrownBy(() -> CatalogParser.parse("- a\n- b\n", "x.yaml")).hasMessageContaining("a catalog is a YAML mapping");
    }

    @Test
    void aPriceWithMoreThanSixDecimalsIsRefusedNamingItsKeyBecauseTheColumnWouldRoundIt() {
        String yaml = """
                currency: USD
                metrics: [emails_processed, ai_responses, leads_created]
                tiers:
                  starter:
                    monthly_price: "29.1234567"
                    limits: {emails_processed: 1, ai_responses: 1, leads_created: 1}
                    overage:
                      emails_processed: {unit_price: "0.0000001"}
                      ai_responses: {package_size: 100, package_price: "2.500000001"}
                      leads_created:
                        graduated:
                          - {up_to: 100, unit_price: "0.50"}
                          - {unit_price: "0.2500005"}
                """;

        assertThatThrownBy(() -> CatalogParser.parse(yaml, "fine.yaml"))
                .isInstanceOf(InputRefusedException.class)
                .hasMessage("""
                        fine.yaml: catalog refused, nothing imported:
                          tiers.starter.monthly_price: '29.1234567' has 7 decimals; a price has at most 6
                          tiers.starter.overage.emails_processed.unit_price: '0.0000001' has 7 decimals; a price has at most 6
                          tiers.starter.overage.ai_responses.package_price: '2.500000001' has 9 decimals; a price has at most 6
                          tiers.starter.overage.leads_created.graduated[1].unit_price: '0.2500005' has 7 decimals; a price has at most 6""");
    }

    @Test
    void sixDecimalsAndTrailingZerosBeyondThemAreExactAndAccepted() {
        String yaml = """
                currency: USD
                metrics: [calls]
                tiers:
                  t:
                    monthly_price: "9999999999999.000000000"
                    limits: {calls: 1}
                    overage:
                      calls: {unit_price: "0.000001"}
                """;

        Tier tier = CatalogParser.parse(yaml, "ok.yaml").tier("t").orElseThrow();

        assertThat(tier.monthlyPrice()).isEqualByComparingTo("9999999999999");
        assertThat(tier.overage().get("calls")).isEqualTo(new OverageRule.UnitPrice(new BigDecimal("0.000001")));
    }

    @Test
    void aPriceBeyondThirteenDigitsBeforeThePointIsRefused() {
        String yaml = """
                currency: USD
                metrics: [calls]
                tiers:
                  t:
                    monthly_price: "10000000000000"
                    limits: {calls: 1}
                """;

        assertThatThrownBy(() -> CatalogParser.parse(yaml, "big.yaml"))
                .hasMessageContaining("tiers.t.monthly_price: '10000000000000' is too large; a price has at most 13 digits before the decimal point");
    }
}
