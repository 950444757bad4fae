package com.acme.billing.audit;

/**
 * How an audited action ended: {@code ok}, {@code refused} (its rules said no; nothing changed) or {@code failed}
 * (it ran and failed), with the reason where it did not succeed and the job execution it ran, where one ran.
 */
public record AuditOutcome(Status status, String reason, Long executionId) {

    public static final int MAX_REASON = 1000;

    public enum Status {
        OK, REFUSED, FAILED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status of(String id) {
            return valueOf(id.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public AuditOutcome {
        if (status == null) {
            throw new IllegalArgumentException("an audit outcome has a status");
        }
        reason = AuditText.redacted(AuditText.field("reason", reason, MAX_REASON, false));
    }

    public static AuditOutcome ok() {
        return new AuditOutcome(Status.OK, null, null);
    }

    public static AuditOutcome ok(Long executionId) {
        return new AuditOutcome(Status.OK, null, executionId);
    }

    public static AuditOutcome refused(String reason) {
        return new AuditOutcome(Status.REFUSED, reason, null);
    }

    public static AuditOutcome failed(String reason, Long executionId) {
        return new AuditOutcome(Status.FAILED, reason, executionId);
    }

    /** {@code ok}, {@code ok (execution 7)}, {@code refused: why}, {@code failed (execution 7): why}. */
    @Override
    public String toString() {
        return status.id() + (executionId == null ? "" : " (execution " + executionId + ")") + (reason == null ? "" : ": " + reason);
    }
}
