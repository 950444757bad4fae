package com.acme.billing.ingest;

import com.acme.billing.period.BillingPeriod;
import java.util.List;

/** Published once {@code usage_metrics} holds the new totals of these months (limit alerts listen). */
public record UsageRolledUp(List<BillingPeriod> months) {
}
