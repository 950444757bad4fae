package com.acme.billing.cli;

import com.acme.billing.analytics.Cohorts;
import com.acme.billing.analytics.MonthKpis;
import com.acme.billing.analytics.job.AnalyticsService;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.BillingPaths;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "analytics", header = "KPIs of a month: MRR, churn, ARPU, LTV, cohorts",
        description = "The job analytics (SPEC 9): analytics.csv (every KPI, for all tiers and per tier) and cohorts.csv.")
final class AnalyticsCommand extends BillingCommand {

    /** The figures shown on the terminal (the book's); every row is in the files and in --json. */
    private static final List<String> SHOWN = List.of("mrr", "arr", "net_new_mrr", "paying_customers", "arpu", "logo_churn_rate",
            "revenue_churn_rate", "ltv", "cac", "trial_conversion_rate", "payment_success_rate", "billed_total");

    @Option(names = "--period", required = true, paramLabel = "YYYY-MM", description = "the month")
    BillingPeriod period;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write (default BILLING_HOME/reports/YYYY-MM)")
    Path out;

    record Result(String period, String dir, List<String> files, List<MonthKpis.Row> rows, List<Cohorts.Row> cohorts, Long executionId) {
    }

    @Override
    int run(CommandContext context) {
        Path dir = out == null ? context.bean(BillingPaths.class).reports().resolve(period.toString()) : out.toAbsolutePath();
        MoveTracked.before(context);
        AnalyticsService.Outcome outcome = context.bean(AnalyticsService.class).run(period, dir);
        Console console = context.console();
        console.say("analytics %s in %s (execution %d): %d figures, %d cohort cells", period, dir, outcome.executionId(),
                outcome.figures().size(), outcome.cohorts().size());
        for (MonthKpis.Row row : outcome.figures()) {
            if (row.tier().equals(MonthKpis.ALL) && SHOWN.contains(row.metric())) {
                console.say("  %-24s %s", row.metric(), row.value().isEmpty() ? "-" : row.value());
            }
        }
        console.say("  files: analytics.csv, cohorts.csv");
        return console.done(new Result(period.toString(), dir.toString(), List.of("analytics.csv", "cohorts.csv"), outcome.figures(),
                outcome.cohorts(), outcome.executionId()));
    }
}
