package com.acme.billing.cli;

import com.acme.billing.audit.AuditOutcome;
import com.acme.billing.ops.Operations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stop", header = "ask a running job to stop at its next commit", description = "Ask a running job to stop at its next commit.")
final class StopCommand extends BillingCommand {

    @Parameters(paramLabel = "ID", description = "the execution id (jobs/billing executions)")
    long id;

    record Result(long executionId, String status) {
    }

    @Override
    boolean fewBeans() {
        return true;
    }

    @Override
    int run(CommandContext context) {
        Audited.run(context, "stop", "execution:" + id, () -> {
            context.bean(Operations.class).stop(id);
            return id;
        }, stopped -> AuditOutcome.ok());
        context.console().say("stop requested for execution %d; it stops at its next commit", id);
        return context.console().done(new Result(id, "STOPPING"));
    }
}
