package com.acme.billing.cli;

import com.acme.billing.ops.AlertDelivery;
import com.acme.billing.ops.AlertRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "alerts", header = "limits, failed payments, cancels, churn, failed jobs",
        description = "The alerts of SPEC 10 (limit_warning, limit_reached, payment_failed, subscription_cancelled, churn_high, job_failed, "
                + "webhook_refused), each with how its delivery by webhook and e-mail went.")
final class AlertsCommand extends BillingCommand {

    @Option(names = "--since", paramLabel = "INSTANT", description = "only alerts raised at or after this ISO-8601 instant")
    Instant since;

    @Option(names = "--deliver", description = "first send what is due (webhook, e-mail), for at most 60 s, then list")
    boolean deliver;

    record Delivery(String channel, String status, int attempts, String nextAttemptAt, String lastError, String deliveredAt) {
    }

    record Alert(long id, String type, String userId, String invoiceId, String metric, String period, String at, String message,
            List<Delivery> deliveries) {
    }

    record Result(List<Alert> alerts) {
    }

    @Override
    boolean fewBeans() {
        return true;
    }

    @Override
    int run(CommandContext context) {
        Console console = context.console();
        if (deliver) {
            AlertDelivery.Pass pass = context.bean(AlertDelivery.class).deliverDue(Duration.ofSeconds(60));
            console.say("delivered %d, to retry %d, given up %d", pass.delivered(), pass.retrying(), pass.failed());
        }
        List<AlertRepository.Alert> alerts = context.bean(AlertRepository.class).since(since);
        console.say("%d alert(s)%s", alerts.size(), since == null ? "" : " since " + since);
        alerts.forEach(alert -> {
            console.say("  %6d  %-20s %-22s %-20s %s", alert.id(), alert.at(), alert.type(),
                    alert.userId() == null ? "-" : alert.userId(), alert.message());
            alert.deliveries().stream().filter(d -> !d.status().equals("delivered")).forEach(d -> console.say("          %s %s after %d attempt(s)%s",
                    d.channel(), d.status(), d.attempts(), d.lastError() == null ? "" : ": " + d.lastError()));
        });
        return console.done(new Result(alerts.stream().map(a -> new Alert(a.id(), a.type(), a.userId(), a.invoiceId(), a.metric(), a.period(),
                a.at().toString(), a.message(), a.deliveries().stream().map(d -> new Delivery(d.channel(), d.status(), d.attempts(),
                        d.status().equals("pending") ? d.nextAttemptAt().toString() : null, d.lastError(),
                        d.deliveredAt() == null ? null : d.deliveredAt().toString())).toList())).toList()));
    }
}
