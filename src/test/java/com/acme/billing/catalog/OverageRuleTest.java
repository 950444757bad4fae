package com.acme.billing.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule prices an overage quantity exactly (not rounded: rating rounds the line once). */
class OverageRuleTest {

    static final OverageRule UNIT = new OverageRule.UnitPrice(new BigDecimal("0.004"));
    static final OverageRule PACKAGES = new OverageRule.PackagePrice(100, new BigDecimal("2.50"));
    /** The sample catalog's pro leads: units 1-500 at 0.40, 501-2,000 at 0.20, the rest at 0.10. */
    static final OverageRule GRADUATED = new OverageRule.Graduated(List.of(new OverageRule.Band(500L, new BigDecimal("0.40")),
            new OverageRule.Band(2000L, new BigDecimal("0.20")), new OverageRule.Band(null, new BigDecimal("0.10"))));

    @Test
    void aUnitPriceTimesTheQuantity() {
        assertThat(UNIT.price(1000)).isEqualTo(new BigDecimal("4.000"));
        assertThat(UNIT.price(1)).isEqualTo(new BigDecimal("0.004"));
        assertThat(UNIT.price(387)).isEqualTo(new BigDecimal("1.548"));
        assertThat(UNIT.price(0)).isEqualTo(new BigDecimal("0.000"));
    }

    @Test
    void aPartialPackageIsChargedWhole() {
        assertThat(PACKAGES.price(1)).isEqualTo(new BigDecimal("2.50"));
        assertThat(PACKAGES.price(100)).isEqualTo(new BigDecimal("2.50"));
        assertThat(PACKAGES.price(101)).isEqualTo(new BigDecimal("5.00"));
        assertThat(PACKAGES.price(150)).isEqualTo(new BigDecimal("5.00"));
        assertThat(PACKAGES.price(0)).isEqualTo(new BigDecimal("0.00"));
        assertThat(new OverageRule.PackagePrice(3, new BigDecimal("1")).price(Long.MAX_VALUE))
                .isEqualTo(new BigDecimal("3074457345618258603"));
    }

    @Test
    void graduatedBandsApplyToTheOverageQuantity() {
        assertThat(GRADUATED.price(1)).isEqualTo(new BigDecimal("0.40"));
        assertThat(GRADUATED.price(500)).isEqualTo(new BigDecimal("200.00"));
        // 501 = 500 x 0.40 + 1 x 0.20
        assertThat(GRADUATED.price(501)).isEqualTo(new BigDecimal("200.20"));
        // 2,000 = 200.00 + 1,500 x 0.20: ends exactly at a band's top
        assertThat(GRADUATED.price(2000)).isEqualTo(new BigDecimal("500.00"));
        // 2,500 = 200.00 + 300.00 + 500 x 0.10
        assertThat(GRADUATED.price(2500)).isEqualTo(new BigDecimal("550.00"));
        assertThat(GRADUATED.price(0)).isEqualByComparingTo("0");
    }

    @Test
    void eachRuleDescribesItsUnitPrice() {
        assertThat(UNIT.flatUnitPrice()).contains(new BigDecimal("0.004"));
        assertThat(PACKAGES.flatUnitPrice()).isEmpty();
        assertThat(GRADUATED.flatUnitPrice()).isEmpty();
        assertThat(UNIT.inWords()).isEqualTo("at 0.004 each");
        assertThat(PACKAGES.inWords()).isEqualTo("packages of 100 at 2.50");
        assertThat(GRADUATED.inWords()).isEqualTo("graduated");
    }

    @Test
    void eachRuleNamesTheRowItIsStoredAsAndComesBackFromIt() {
        assertThat(UNIT.stored()).isEqualTo(new OverageRule.Stored("unit", new BigDecimal("0.004"), null, null, List.of()));
        assertThat(PACKAGES.stored()).isEqualTo(new OverageRule.Stored("package", null, 100L, new BigDecimal("2.50"), List.of()));
        assertThat(GRADUATED.stored().kind()).isEqualTo("graduated");
        assertThat(GRADUATED.stored().bands()).hasSize(3);
        for (OverageRule rule : List.of(UNIT, PACKAGES, GRADUATED)) {
            assertThat(rule.stored().rule()).isEqualTo(rule);
        }
    }
}
