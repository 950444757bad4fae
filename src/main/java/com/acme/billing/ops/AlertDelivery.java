package com.acme.billing.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Works off the alert outbox ({@code alert_deliveries}): each due delivery is claimed by one process
 * for two minutes, sent, and its outcome stored. Webhooks: {@code POST} of the alert's JSON with
 * {@code Billing-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}; anything but a 2xx is
 * a failed attempt, retried after a doubling wait until {@code billing.alerts.max-attempts}. E-mail:
 * one message per alert. Times here are the machine's clock, not BILLING_NOW: the signature's
 * {@code t} and the backoff are about real time. A process that dies after sending and before
 * recording sends again later: receivers dedupe by the alert's {@code id} (as with Stripe's events).
 */
@Service
public class AlertDelivery {

    /** What one pass did. */
    public record Pass(int delivered, int retrying, int failed) {
        public int attempted() {
            return delivered + retrying + failed;
        }
    }

    private record Due(long id, String channel, int attempts, AlertRepository.Alert alert) {
    }

    private static final Logger log = LoggerFactory.getLogger(AlertDelivery.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration CLAIM = Duration.ofMinutes(2);

    private final JdbcClient jdbc;
    private final AlertChannels channels;
    private final Clock wallClock = Clock.systemUTC();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public AlertDelivery(JdbcClient jdbc, AlertChannels channels) {
        this.jdbc = jdbc;
        this.channels = channels;
    }

    /**
     * Sends what is due now, for at most {@code budget}. A channel that fails once is not tried again in
     * this pass (its other deliveries wait for the next), so a receiver that is down costs one timeout.
     */
    public Pass deliverDue(Duration budget) {
        Instant deadline = wallClock.instant().plus(budget);
        int delivered = 0;
        int retrying = 0;
        int failed = 0;
        Set<String> down = new HashSet<>();
        while (wallClock.instant().isBefore(deadline)) {
            List<Due> due = due(200);
            if (due.isEmpty()) {
                break;
            }
            int tried = 0;
            for (Due d : due) {
                if (down.contains(d.channel()) || !wallClock.instant().isBefore(deadline) || !claim(d.id())) {
                    continue;
                }
                tried++;
                String error = send(d);
                if (error == null) {
                    jdbc.sql("UPDATE alert_deliveries SET status = 'delivered', attempts = ?, delivered_at = ?, claimed_until = NULL, last_error = NULL "
                            + "WHERE id = ?").params(d.attempts() + 1, utc(wallClock.instant()), d.id()).update();
                    delivered++;
                } else {
                    down.add(d.channel());
                    int attempts = d.attempts() + 1;
                    boolean last = attempts >= channels.maxAttempts();
                    Instant next = wallClock.instant().plus(channels.backoff(attempts));
                    jdbc.sql("UPDATE alert_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, claimed_until = NULL, last_error = ? WHERE id = ?")
                            .params(last ? "failed" : "pending", attempts, utc(next), error.length() > 1000 ? error.substring(0, 999) + "…" : error, d.id())
                            .update();
                    log.warn("alert {} by {}: attempt {} failed: {}{}", d.alert().id(), d.channel(), attempts, error, last ? " (given up)" : "");
                    if (last) {
                        failed++;
                    } else {
                        retrying++;
                    }
                }
            }
            if (tried == 0) {
                break;
            }
        }
        return new Pass(delivered, retrying, failed);
    }

    /** Deliveries waiting (pending, whether due or not). */
    public long pending() {
        return jdbc.sql("SELECT COUNT(*) FROM alert_deliveries WHERE status = 'pending'").query(Long.class).single();
    }

    private List<Due> due(int limit) {
        OffsetDateTime now = utc(wallClock.instant());
        return jdbc.sql("SELECT d.id, d.channel, d.attempts, a.id, a.type, a.user_id, a.invoice_id, a.metric, a.period, a.at, a.message, a.source "
                + "FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id "
                + "WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.claimed_until IS NULL OR d.claimed_until < ?) ORDER BY d.id LIMIT " + limit)
                .params(now, now)
                .query((rs, n) -> new Due(rs.getLong(1), rs.getString(2), rs.getInt(3), new AlertRepository.Alert(rs.getLong(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getObject(10, OffsetDateTime.class).toInstant(),
                        rs.getString(11), rs.getString(12), List.of())))
                .list();
    }

    /** One process wins a delivery; another that read it as due too finds it claimed. */
    private boolean claim(long id) {
        Instant now = wallClock.instant();
        return jdbc.sql("UPDATE alert_deliveries SET claimed_until = ? WHERE id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)")
                .params(utc(now.plus(CLAIM)), id, utc(now)).update() == 1;
    }

    /** Null when accepted; else why not. */
    private String send(Due due) {
        try {
            return switch (due.channel()) {
                case AlertChannels.WEBHOOK -> post(due.alert());
                case AlertChannels.EMAIL -> mail(due.alert());
                default -> "unknown channel " + due.channel();
            };
        } catch (Exception e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    private String post(AlertRepository.Alert alert) throws Exception {
        if (channels.webhookUrl() == null) {
            return "billing.alerts.webhook-url is no longer set";
        }
        if (channels.webhookSecret() == null) {
            return "billing.alerts.webhook-secret is not set: alerts are only sent signed";
        }
        String body = body(alert);
        long t = wallClock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(channels.webhookUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Billing-Signature", signature(channels.webhookSecret(), t, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
            return null;
        }
        String answer = response.body() == null ? "" : response.body().strip();
        return "HTTP " + response.statusCode() + (answer.isEmpty() ? "" : ": " + (answer.length() > 200 ? answer.substring(0, 200) + "…" : answer));
    }

    private String mail(AlertRepository.Alert alert) {
        if (channels.mailSender() == null || channels.mailTo().isEmpty()) {
            return "e-mail is no longer configured (spring.mail.host, billing.alerts.mail-to)";
        }
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(channels.mailFrom());
        message.setTo(channels.mailTo().toArray(String[]::new));
        message.setSubject("[billing] " + alert.type() + (alert.userId() == null ? "" : " " + alert.userId())
                + (alert.metric() == null ? "" : " " + alert.metric()) + (alert.period() == null ? "" : " " + alert.period()));
        StringBuilder text = new StringBuilder(alert.message()).append("\n\n");
        fields(alert).forEach((k, v) -> {
            if (v != null) {
                text.append(k).append(": ").append(v).append('\n');
            }
        });
        message.setText(text.toString());
        channels.mailSender().send(message);
        return null;
    }

    /** The webhook's body: the alert as {@code alerts --json} lists it. */
    public static String body(AlertRepository.Alert alert) {
        return JSON.writeValueAsString(fields(alert));
    }

    private static Map<String, Object> fields(AlertRepository.Alert alert) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", alert.id());
        fields.put("type", alert.type());
        fields.put("user_id", alert.userId());
        fields.put("at", alert.at().toString());
        fields.put("message", alert.message());
        fields.put("invoice_id", alert.invoiceId());
        fields.put("metric", alert.metric());
        fields.put("period", alert.period());
        return fields;
    }

    /** {@code t=<t>,v1=<hex HMAC-SHA256 of "<t>.<body>">} (SPEC 10). */
    public static String signature(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
