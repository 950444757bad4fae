package com.acme.billing.cli;

import com.acme.billing.audit.AuditActor;
import com.acme.billing.audit.AuditOutcome;
import com.acme.billing.audit.store.AuditLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The audit row of an operator's command (SPEC 11): the actor is the operating-system user and host running
 * {@code jobs/billing}; a command the console started on someone's behalf (its restart button) also names them, as
 * {@code requested_by} (BILLING_AUDIT_REQUESTED_BY, set by the console for the process it starts).
 */
final class Audited {

    static final String REQUESTED_BY = "billing.audit.requested-by";

    private Audited() {
    }

    static AuditActor actor() {
        return AuditActor.currentProcess();
    }

    /** The details of this command's row: the pairs given ({@code key, value, key, value}; null values left out) and {@code requested_by}. */
    static Map<String, String> details(CommandContext context, String... pairs) {
        Map<String, String> details = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                details.put(pairs[i], pairs[i + 1]);
            }
        }
        String requestedBy = context.spring().getEnvironment().getProperty(REQUESTED_BY);
        if (requestedBy != null && !requestedBy.isBlank()) {
            details.put("requested_by", requestedBy);
        }
        return details;
    }

    /** Runs a command's action and appends its row: ok (as {@code okOutcome} says), refused or failed. */
    static <T> T run(CommandContext context, String action, String subject, Supplier<T> work, Function<? super T, AuditOutcome> okOutcome,
            String... details) {
        return context.bean(AuditLog.class).record(actor(), action, subject, details(context, details), work, okOutcome);
    }
}
