package com.acme.billing.stripe;

import java.time.Instant;

/** A finalized invoice line on its way to Stripe as one invoice item, its amount in minor units. */
public record PushLine(String lineId, String invoiceId, String userId, String period, String description, long amountMinor,
        String currency, Instant periodStart, Instant periodEnd) {
}
