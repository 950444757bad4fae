package com.acme.billing.cli;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.JobFailedException;
import com.acme.billing.stripe.PushStripeService;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "push-stripe", header = "send finalized lines to Stripe, each once",
        description = "Send the period's finalized lines to Stripe exactly once (STRIPE_API_KEY; SPEC 6).")
final class PushStripeCommand extends BillingCommand {

    private static final int SHOWN = 20;

    @Option(names = "--period", required = true, paramLabel = "YYYY-MM", description = "the month")
    BillingPeriod period;

    @Option(names = "--dry-run", description = "print the requests, send nothing")
    boolean dryRun;

    record Result(String period, long pushed, long alreadyPushed, long failed, long pending, Long executionId) {

        static Result of(PushStripeService.Outcome outcome) {
            return new Result(outcome.period(), outcome.pushed(), outcome.alreadyPushed(), outcome.failed(), outcome.pending(),
                    outcome.executionId());
        }
    }

    record DryRunResult(String period, long pushed, long alreadyPushed, long failed, long pending, Long executionId, boolean dryRun,
            List<String> requests) {
    }

    record Failure(String error, Long executionId, String period, long pushed, long alreadyPushed, long failed, long pending) {
    }

    @Override
    int run(CommandContext context) {
        PushStripeService push = context.bean(PushStripeService.class);
        Console console = context.console();
        if (dryRun) {
            PushStripeService.Outcome outcome = push.dryRun(period);
            console.say("push-stripe %s --dry-run: would send %d requests for %d lines (%d already at Stripe); nothing sent",
                    outcome.period(), outcome.requests().size(), outcome.pending() + outcome.failed(), outcome.alreadyPushed());
            outcome.requests().stream().limit(SHOWN).forEach(request -> console.say("  %s", request));
            if (outcome.requests().size() > SHOWN && !console.json()) {
                console.say("  ... %d more (all of them with --json)", outcome.requests().size() - SHOWN);
            }
            return console.done(new DryRunResult(outcome.period(), outcome.pushed(), outcome.alreadyPushed(), outcome.failed(),
                    outcome.pending(), outcome.executionId(), true, outcome.requests()));
        }
        push.checkFinalized(period);
        long before = push.pushedNow(period);
        PushStripeService.Outcome outcome;
        try {
            outcome = push.push(period, before);
        } catch (JobFailedException e) {
            PushStripeService.Outcome partial = push.outcome(period, before, e.executionId());
            console.say("push-stripe %s: %d lines pushed, %d already at Stripe, %d refused, %d not sent", period, partial.pushed(),
                    partial.alreadyPushed(), partial.failed(), partial.pending());
            PushStatusCommand.printRefused(push.failed(period), period, console);
            return console.fail(1, e.getMessage(), new Failure(e.getMessage(), e.executionId(), partial.period(), partial.pushed(),
                    partial.alreadyPushed(), partial.failed(), partial.pending()));
        }
        console.say("push-stripe %s: %d lines pushed, %d already at Stripe, %d refused; execution %d", period, outcome.pushed(),
                outcome.alreadyPushed(), outcome.failed(), outcome.executionId());
        return console.done(Result.of(outcome));
    }

}
