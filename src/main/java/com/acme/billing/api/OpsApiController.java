package com.acme.billing.api;

import com.acme.billing.ops.AlertRepository;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/ops/alerts?since=}: the alerts of SPEC 10 as {@code alerts --json} lists them (operators and admins). */
@RestController
class OpsApiController {

    private final AlertRepository alerts;

    OpsApiController(AlertRepository alerts) {
        this.alerts = alerts;
    }

    record Delivery(String channel, String status, int attempts, String lastError, String deliveredAt) {
    }

    record Alert(long id, String type, String userId, String invoiceId, String metric, String period, String at, String message,
            List<Delivery> deliveries) {
    }

    record Alerts(List<Alert> alerts) {
    }

    @GetMapping("/api/ops/alerts")
    Alerts alerts(@RequestParam(name = "since", required = false) String since) {
        Instant from;
        try {
            from = since == null || since.isBlank() ? null : Instant.parse(since.trim());
        } catch (DateTimeParseException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "since: '" + since + "' is not an ISO-8601 instant (2026-10-01T00:00:00Z)");
        }
        return new Alerts(alerts.since(from).stream().map(a -> new Alert(a.id(), a.type(), a.userId(), a.invoiceId(), a.metric(), a.period(),
                a.at().toString(), a.message(), a.deliveries().stream().map(d -> new Delivery(d.channel(), d.status(), d.attempts(), d.lastError(),
                        d.deliveredAt() == null ? null : d.deliveredAt().toString())).toList())).toList());
    }
}
