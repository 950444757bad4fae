package com.acme.billing.audit;

import java.time.Instant;

/**
 * One row of the audit log as stored: {@code seq} counts rows from 1 without gaps; {@code at} is the machine's clock
 * when the row was written (to the microsecond), {@code billingNow} the fixed business clock (BILLING_NOW) where the
 * process ran with one; {@code details} a JSON object of strings ({@link AuditText#details}) or null; {@code prevHash}
 * the hash of row {@code seq - 1} ({@link AuditChain#GENESIS} for row 1) and {@code hash} this row's link of the chain
 * ({@link AuditChain#hash}). Values are kept exactly as read, unchecked, so that a tampered row can still be read and
 * named by {@link AuditVerifier}.
 */
public record AuditEntry(long seq, Instant at, Instant billingNow, String actorKind, String actor, String action, String subject,
        String outcome, String reason, Long executionId, String details, String prevHash, String hash) {

    /** {@code cli:ann@build-1}. */
    public String who() {
        return actorKind + ":" + actor;
    }

    /** {@code ok}, {@code refused: why}, {@code failed (execution 7): why}. */
    public String outcomeText() {
        return outcome + (executionId == null ? "" : " (execution " + executionId + ")") + (reason == null ? "" : ": " + reason);
    }
}
