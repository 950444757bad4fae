package com.acme.billing.platform;

/** A job ended other than COMPLETED (exit 1): which job, step and why, and the id to restart. */
public class JobFailedException extends RuntimeException {

    private final long executionId;

    public JobFailedException(String job, long executionId, String status, String failedStep, String reason) {
        super("job " + job + " " + status.toLowerCase() + (failedStep == null ? "" : " in step " + failedStep) + ": " + reason
                + "\n  execution " + executionId + "; after fixing the cause: jobs/billing restart " + executionId);
        this.executionId = executionId;
    }

    public long executionId() {
        return executionId;
    }

}
