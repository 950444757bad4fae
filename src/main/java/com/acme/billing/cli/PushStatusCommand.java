package com.acme.billing.cli;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.stripe.PushRepository;
import com.acme.billing.stripe.PushStripeService;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "push-status", header = "lines at Stripe, refused, still to send",
        description = "The period's lines for Stripe: pushed, refused (with Stripe's message), not sent yet.")
final class PushStatusCommand extends BillingCommand {

    private static final int SHOWN = 20;

    @Option(names = "--period", required = true, paramLabel = "YYYY-MM", description = "the month")
    BillingPeriod period;

    record Refused(String lineId, String userId, String error, String at) {
    }

    record Result(String period, long lines, long pushed, long failed, long pending, List<Refused> refused) {
    }

    @Override
    boolean fewBeans() {
        return true;
    }

    @Override
    int run(CommandContext context) {
        PushStripeService push = context.bean(PushStripeService.class);
        Console console = context.console();
        PushRepository.Status status = push.status(period);
        console.say("push-status %s: %d lines for Stripe: %d pushed, %d refused, %d not sent yet", period, status.lines(),
                status.pushed(), status.failed(), status.pending());
        List<PushRepository.FailedLine> failed = push.failed(period);
        printRefused(failed, period, console);
        return console.done(new Result(period.toString(), status.lines(), status.pushed(), status.failed(), status.pending(),
                failed.stream().map(f -> new Refused(f.lineId(), f.userId(), f.error(), f.at().toString())).toList()));
    }

    static void printRefused(List<PushRepository.FailedLine> failed, BillingPeriod period, Console console) {
        failed.stream().limit(SHOWN).forEach(f -> console.say("  refused %s (%s): %s", f.lineId(), f.userId(), f.error()));
        if (failed.size() > SHOWN) {
            console.say("  ... %d more refused lines: jobs/billing push-status --period %s --json", failed.size() - SHOWN, period);
        }
    }
}
