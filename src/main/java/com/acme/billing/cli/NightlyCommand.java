package com.acme.billing.cli;

import com.acme.billing.nightly.NightlyService;
import java.util.List;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import picocli.CommandLine.Command;

@Command(name = "nightly", header = "the cron job: ingest, rate, finalize, push, report",
        description = "The cron job: ingest the inbox, re-rate open months, finalize due months, push to Stripe, render reports.")
final class NightlyCommand extends BillingCommand {

    /** {@code billing.partitioning=remote} hands this command's heavy step to workers (SPEC 13). */
    @Override
    boolean partitioned() {
        return true;
    }


    record Result(long executionId, String status, List<String> steps) {
    }

    @Override
    int run(CommandContext context) {
        JobExecution execution = context.bean(NightlyService.class).run();
        Console console = context.console();
        console.say("nightly: completed, execution %d; steps:", execution.getId());
        execution.getStepExecutions().forEach(s -> console.say("  %-20s %s", s.getStepName(), s.getStatus()));
        return console.done(new Result(execution.getId(), execution.getStatus().name(),
                execution.getStepExecutions().stream().map(StepExecution::getStepName).toList()));
    }
}
