package com.acme.billing.ingest;

import com.acme.billing.user.UserId;
import java.util.Set;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * SPEC 2's rules for one line: the first rule a line breaks is its reject reason. Valid lines
 * become events; the dedupe by event_id happens later, in the event store, across all files.
 */
public class UsageLineValidator implements ItemProcessor<UsageLine, StagedLine> {

    static final long MAX_QUANTITY = 1_000_000_000L;
    static final long FUTURE_TOLERANCE_MICROS = 5 * 60 * 1_000_000L;

    private final Set<String> metrics;
    private final long latestAllowedMicros;

    /** @param nowMicros the job's clock; timestamps more than 5 minutes after it are refused */
    public UsageLineValidator(Set<String> metrics, long nowMicros) {
        this.metrics = Set.copyOf(metrics);
        this.latestAllowedMicros = nowMicros + FUTURE_TOLERANCE_MICROS;
    }

    @Override
    public StagedLine process(UsageLine item) {
        if (item.malformed() != null) {
            return new StagedLine.Reject(item.line(), item.malformed(), item.raw());
        }
        UsageLine.Fields f = item.fields();
        if (f.anyMissing()) {
            return reject(item, "missing_field");
        }
        String eventId = f.eventId();
        if (!isEventId(eventId)) {
            return reject(item, "bad_event_id");
        }
        long micros = Timestamps.parseMicros(f.timestamp());
        if (micros == Timestamps.INVALID) {
            return reject(item, "bad_timestamp");
        }
        if (micros > latestAllowedMicros) {
            return reject(item, "future_timestamp");
        }
        String userId = f.userId();
        if (!UserId.isValid(userId)) {
            return reject(item, "bad_user_id");
        }
        String metric = f.metric();
        if (!metrics.contains(metric)) {
            return reject(item, "unknown_metric");
        }
        long quantity = quantity(f.quantity());
        if (quantity < 0) {
            return reject(item, "bad_quantity");
        }
        return new StagedLine.Event(item.line(), eventId, micros, Timestamps.month(micros), userId, metric, quantity);
    }

    private static StagedLine reject(UsageLine item, String reason) {
        return new StagedLine.Reject(item.line(), reason, item.raw());
    }

    /** 1-128 printable ASCII characters (space to tilde), not starting or ending with a space. */
    static boolean isEventId(String s) {
        int n = s.length();
        if (n > 128 || s.charAt(0) == ' ' || s.charAt(n - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** A whole number 0..1,000,000,000 in plain decimal digits, or -1. */
    static long quantity(String s) {
        int n = s.length();
        if (n > 10) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= MAX_QUANTITY ? value : -1;
    }
}
