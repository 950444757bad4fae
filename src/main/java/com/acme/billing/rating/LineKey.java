package com.acme.billing.rating;

import java.time.Instant;
import java.util.Objects;

/**
 * What identifies "the same line" across reruns of a period: the line's type, tier, metric (null
 * for a base fee) and segment {@code [start, end)}. An adjustment line carries the key of the line
 * it adjusts, so {@code type} is never {@code ADJUSTMENT}.
 *
 * <p>Two text forms are stored and must never change, since databases hold them: {@link #stored()}
 * in {@code invoice_lines.line_key}, and {@link #idPart()} inside {@code line_id}, Stripe's
 * idempotency key. Both are written here only; {@link #parse(String)} is the one way back.
 */
public record LineKey(RatedLine.LineType type, String tier, String metric, Instant start, Instant end) {

    public LineKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (type == RatedLine.LineType.ADJUSTMENT) {
            throw new IllegalArgumentException("a line key names the adjusted line's type, not 'adjustment'");
        }
        if (metric != null && metric.isEmpty()) {
            metric = null;
        }
    }

    /** {@code invoice_lines.line_key}: {@code type|tier|metric|start|end}, metric empty for a base fee, instants ISO-8601. */
    public String stored() {
        return type.wire() + "|" + tier + "|" + (metric == null ? "" : metric) + "|" + start + "|" + end;
    }

    /** The key of a stored {@code line_key} (the inverse of {@link #stored()}). */
    public static LineKey parse(String stored) {
        String[] parts = stored.split("\\|", -1);
        if (parts.length != 5) {
            throw new IllegalArgumentException("not a line key: '" + stored + "'");
        }
        return new LineKey(RatedLine.LineType.ofWire(parts[0]), parts[1], parts[2], Instant.parse(parts[3]), Instant.parse(parts[4]));
    }

    /** The part of {@code line_id} after the invoice: {@code type/tier/metric/startEpoch-endEpoch}, metric "-" for a base fee. */
    public String idPart() {
        return type.wire() + "/" + tier + "/" + (metric == null ? "-" : metric) + "/" + start.getEpochSecond() + "-" + end.getEpochSecond();
    }

    @Override
    public String toString() {
        return stored();
    }
}
