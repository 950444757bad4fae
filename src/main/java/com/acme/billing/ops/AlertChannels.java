package com.acme.billing.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Where alerts go (SPEC 10): {@code billing.alerts.webhook-url} (signed with
 * {@code billing.alerts.webhook-secret}) and e-mail to {@code billing.alerts.mail-to} through the
 * SMTP server of {@code spring.mail.*}. A channel counts as configured when its address is set (and,
 * for e-mail, Spring has a mail sender, which it makes once {@code spring.mail.host} is set).
 */
@Component
public class AlertChannels {

    public static final String WEBHOOK = "webhook";
    public static final String EMAIL = "email";

    private final String webhookUrl;
    private final String webhookSecret;
    private final List<String> mailTo;
    private final String mailFrom;
    private final ObjectProvider<JavaMailSender> mail;
    private final Duration retryInitial;
    private final Duration retryMax;
    private final int maxAttempts;

    public AlertChannels(@Value("${billing.alerts.webhook-url:}") String webhookUrl,
            @Value("${billing.alerts.webhook-secret:}") String webhookSecret,
            @Value("${billing.alerts.mail-to:}") String mailTo,
            @Value("${billing.alerts.mail-from:billing@localhost}") String mailFrom,
            @Value("${billing.alerts.retry-initial:PT30S}") Duration retryInitial,
            @Value("${billing.alerts.retry-max:PT1H}") Duration retryMax,
            @Value("${billing.alerts.max-attempts:20}") int maxAttempts,
            ObjectProvider<JavaMailSender> mail) {
        this.webhookUrl = webhookUrl.isBlank() ? null : webhookUrl.trim();
        this.webhookSecret = webhookSecret.isEmpty() ? null : webhookSecret;
        this.mailTo = Arrays.stream(mailTo.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.mailFrom = mailFrom;
        this.mail = mail;
        this.retryInitial = retryInitial;
        this.retryMax = retryMax;
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    /** The channels an alert raised now is delivered to. */
    public List<String> configured() {
        List<String> channels = new ArrayList<>();
        if (webhookUrl != null) {
            channels.add(WEBHOOK);
        }
        if (!mailTo.isEmpty() && mail.getIfAvailable() != null) {
            channels.add(EMAIL);
        }
        return channels;
    }

    String webhookUrl() {
        return webhookUrl;
    }

    String webhookSecret() {
        return webhookSecret;
    }

    List<String> mailTo() {
        return mailTo;
    }

    String mailFrom() {
        return mailFrom;
    }

    JavaMailSender mailSender() {
        return mail.getIfAvailable();
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /** The wait after the {@code attempts}-th failed attempt: doubling from retry-initial, at most retry-max. */
    Duration backoff(int attempts) {
        Duration wait = retryInitial;
        for (int i = 1; i < attempts && wait.compareTo(retryMax) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(retryMax) > 0 ? retryMax : wait;
    }
}
