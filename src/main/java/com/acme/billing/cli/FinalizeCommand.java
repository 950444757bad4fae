package com.acme.billing.cli;

import com.acme.billing.audit.AuditOutcome;
import com.acme.billing.invoice.ClosePeriodService;
import com.acme.billing.period.BillingPeriod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "finalize", header = "freeze a month's draft invoices",
        description = "Freeze the period's drafts (refused while the month runs, before a close, or when the catalog changed since).")
final class FinalizeCommand extends BillingCommand {

    @Option(names = "--period", required = true, paramLabel = "YYYY-MM", description = "the month")
    BillingPeriod period;

    @Override
    int run(CommandContext context) {
        ClosePeriodService.Outcome outcome = Audited.run(context, "finalize", "period:" + period,
                () -> context.bean(ClosePeriodService.class).finalizePeriod(period), o -> AuditOutcome.ok(o.executionId()));
        context.console().say("finalize %s: %d invoices, %d lines, total %s %s are final; execution %d", outcome.period(),
                outcome.invoices(), outcome.lines(), outcome.total().toPlainString(), outcome.currency(), outcome.executionId());
        return context.console().done(PeriodTotals.of(outcome));
    }
}
