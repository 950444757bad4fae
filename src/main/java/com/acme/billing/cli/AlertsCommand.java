package com.acme.billing.cli;

import com.acme.billing.ops.AlertRepository;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "alerts", header = "payment failures, cancellations, job failures",
        description = "Payment failures, cancellations, refused webhook events, failed jobs.")
final class AlertsCommand extends BillingCommand {

    @Option(names = "--since", paramLabel = "INSTANT", description = "only alerts raised at or after this ISO-8601 instant")
    Instant since;

    record Alert(long id, String type, String userId, String invoiceId, String at, String message) {
    }

    record Result(List<Alert> alerts) {
    }

    @Override
    int run(CommandContext context) {
        Console console = context.console();
        List<AlertRepository.Alert> alerts = context.bean(AlertRepository.class).since(since);
        console.say("%d alert(s)%s", alerts.size(), since == null ? "" : " since " + since);
        alerts.forEach(alert -> console.say("  %6d  %-20s %-16s %-20s %s", alert.id(), alert.at(), alert.type(),
                alert.userId() == null ? "-" : alert.userId(), alert.message()));
        return console.done(new Result(alerts.stream().map(a -> new Alert(a.id(), a.type(), a.userId(), a.invoiceId(),
                a.at().toString(), a.message())).toList()));
    }
}
