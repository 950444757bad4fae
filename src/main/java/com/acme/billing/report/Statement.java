package com.acme.billing.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Everything one billing statement shows: an invoice, its lines, the user's usage against limits and by day, and
 * whom it is billed to ({@code billTo}: the decrypted customer profile, null for a user without one).
 */
public record Statement(String invoiceId, String userId, String period, String kind, String status, String currency, BigDecimal total,
        Instant createdAt, String stripeCustomerId, List<Line> lines, List<Usage> usage, List<Daily> daily, BillTo billTo) {

    /** The profile's lines under "Bill to" (decrypted, in memory only): {@code address} may hold line breaks, {@code vatId} may be empty. */
    public record BillTo(String name, String address, String country, String vatId) {

        @Override
        public String toString() {
            return "BillTo[country=" + country + ", name, address and vatId hidden]";
        }
    }

    public record Line(String lineType, String tier, String metric, String description, BigDecimal quantity, BigDecimal unitPrice,
            BigDecimal amount, Instant start, Instant end) {
    }

    public record Usage(String metric, String tier, long quantity, long included, long overage, boolean breached) {
    }

    public record Daily(String metric, int day, long quantity) {
    }
}
