package com.acme.billing.cli;

import com.acme.billing.ingest.UsageReport;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.user.UserId;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "usage", header = "a month's usage against each tier's limits",
        description = "The month's usage per user and metric against the tier's limit; over-limit rows flagged.")
final class UsageCommand extends BillingCommand {

    private static final int SHOWN = 50;

    @Option(names = "--period", required = true, paramLabel = "YYYY-MM", description = "the month")
    BillingPeriod period;

    @Option(names = "--user", paramLabel = "ID", description = "one user only")
    UserId user;

    record Row(String userId, String metric, String tier, long quantity, long included, boolean breached) {
    }

    record Result(String period, List<Row> rows) {
    }

    @Override
    int run(CommandContext context) {
        Console console = context.console();
        MoveTracked.before(context);
        UsageReport.Month month = context.bean(UsageReport.class).month(period, user == null ? null : user.value());
        console.say("usage %s%s: %d rows, %d over their limit", month.period(), user == null ? "" : " for " + user,
                month.rows().size(), month.rows().stream().filter(UsageReport.Row::breached).count());
        console.say("  %-24s %-18s %-10s %14s %14s", "user_id", "metric", "tier", "quantity", "included");
        month.rows().stream().limit(SHOWN).forEach(row -> console.say("  %-24s %-18s %-10s %,14d %,14d%s", row.userId(),
                row.metric(), row.tier() == null ? "-" : row.tier(), row.quantity(), row.included(), row.breached() ? "  OVER LIMIT" : ""));
        if (month.rows().size() > SHOWN && !console.json()) {
            console.say("  ... %d more rows (narrow with --user, or read them all with --json)", month.rows().size() - SHOWN);
        }
        return console.done(new Result(month.period(), month.rows().stream()
                .map(r -> new Row(r.userId(), r.metric(), r.tier(), r.quantity(), r.included(), r.breached())).toList()));
    }
}
