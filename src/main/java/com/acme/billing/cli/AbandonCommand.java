package com.acme.billing.cli;

import com.acme.billing.audit.AuditOutcome;
import com.acme.billing.ops.Operations;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "abandon", header = "give up a run for good", description = "Give up a stopped or failed run for good.")
final class AbandonCommand extends BillingCommand {

    @Parameters(paramLabel = "ID", description = "the execution id (jobs/billing executions)")
    long id;

    @Override
    boolean fewBeans() {
        return true;
    }

    @Override
    int run(CommandContext context) {
        JobExecution abandoned = Audited.run(context, "abandon", "execution:" + id, () -> context.bean(Operations.class).abandon(id),
                a -> AuditOutcome.ok());
        context.console().say("execution %d abandoned; it will not be restarted", abandoned.getId());
        return context.console().done(new StopCommand.Result(abandoned.getId(), abandoned.getStatus().name()));
    }
}
