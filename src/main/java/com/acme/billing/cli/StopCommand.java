package com.acme.billing.cli;

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
    int run(CommandContext context) {
        context.bean(Operations.class).stop(id);
        context.console().say("stop requested for execution %d; it stops at its next commit", id);
        return context.console().done(new Result(id, "STOPPING"));
    }
}
