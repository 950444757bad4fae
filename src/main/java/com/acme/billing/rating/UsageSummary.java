package com.acme.billing.rating;

/**
 * A user's usage of one metric in one period under one tier (or none): the rows of
 * {@code usage-summary.csv}. {@code included} is the sum of the prorated included quantities of the
 * segments on that tier; {@code overageQuantity} the usage beyond them (billed where the tier has
 * an overage rule); {@code limitBreached} is true where usage passed the included quantity of a
 * metric without an overage rule (a hard limit).
 */
public record UsageSummary(String metric, String tier, long quantity, long included, long overageQuantity, boolean limitBreached) {
}
