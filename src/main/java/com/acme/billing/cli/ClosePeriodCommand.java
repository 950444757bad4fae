package com.acme.billing.cli;

import com.acme.billing.invoice.ClosePeriodService;
import com.acme.billing.period.BillingPeriod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "close-period", header = "rate a month into draft (or adjustment) invoices",
        description = "Rate the period: draft invoices, recomputed until finalize; adjustment invoices after it (SPEC 5).")
final class ClosePeriodCommand extends BillingCommand {

    /** {@code billing.partitioning=remote} hands this command's heavy step to workers (SPEC 13). */
    @Override
    boolean partitioned() {
        return true;
    }


    @Option(names = "--period", required = true, paramLabel = "YYYY-MM", description = "the month")
    BillingPeriod period;

    @Option(names = "--dry-run", description = "rate in memory, print what would be billed, write nothing")
    boolean dryRun;

    @Override
    int run(CommandContext context) {
        Console console = context.console();
        if (!dryRun) {
            MoveTracked.before(context);
        }
        ClosePeriodService.Outcome outcome = context.bean(ClosePeriodService.class).close(period, dryRun);
        if (dryRun) {
            console.say("close-period %s --dry-run: would bill %d invoices, %d lines, %s %s (nothing written)", outcome.period(),
                    outcome.invoices(), outcome.lines(), outcome.total().toPlainString(), outcome.currency());
            outcome.preview().stream().limit(console.json() ? 0 : 20).forEach(plan -> console.say("  %-40s %3d lines %12s",
                    plan.invoiceId(), plan.lines().size(), plan.total().toPlainString()));
        } else {
            console.say("close-period %s: %d invoices, %d lines, total %s %s; execution %d", outcome.period(), outcome.invoices(),
                    outcome.lines(), outcome.total().toPlainString(), outcome.currency(), outcome.executionId());
        }
        return console.done(PeriodTotals.of(outcome));
    }
}
