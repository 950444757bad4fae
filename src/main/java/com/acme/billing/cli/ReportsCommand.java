package com.acme.billing.cli;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.BillingPaths;
import com.acme.billing.report.ReportsService;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reports", header = "CSV files, PDF statements, finance report",
        description = "Render the period's CSV files, a PDF statement per invoice and finance-report.pdf (SPEC 7).")
final class ReportsCommand extends BillingCommand {

    /** {@code billing.partitioning=remote} hands this command's heavy step to workers (SPEC 13). */
    @Override
    boolean partitioned() {
        return true;
    }


    @Option(names = "--period", required = true, paramLabel = "YYYY-MM", description = "the month")
    BillingPeriod period;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write (default BILLING_HOME/reports/YYYY-MM)")
    Path out;

    record Result(String period, String dir, List<String> files, long statements, Long executionId) {
    }

    @Override
    int run(CommandContext context) {
        Path dir = out == null ? context.bean(BillingPaths.class).reports().resolve(period.toString()) : out.toAbsolutePath();
        MoveTracked.before(context);
        ReportsService.Outcome outcome = context.bean(ReportsService.class).render(period, dir);
        Console console = context.console();
        console.say("reports %s in %s (execution %d):", period, dir, outcome.executionId());
        outcome.files().forEach(f -> console.say("  %s%s", f,
                f.equals("invoices/") ? " (" + outcome.statements() + " statements, one PDF per invoice)" : ""));
        return console.done(new Result(period.toString(), dir.toString(), outcome.files(), outcome.statements(), outcome.executionId()));
    }
}
