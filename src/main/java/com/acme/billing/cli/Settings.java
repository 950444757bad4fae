package com.acme.billing.cli;

import com.acme.billing.BillingApplication;
import com.acme.billing.platform.DatabaseUrl;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;

/** Flag, then environment variable, then application.yml (SPEC 1), resolved before Spring starts. */
final class Settings {

    /** Environment variables that map one to one onto a property. */
    private static final Map<String, String> FROM_ENVIRONMENT = Map.ofEntries(
            Map.entry("STRIPE_API_KEY", "billing.stripe.api-key"),
            Map.entry("STRIPE_API_BASE", "billing.stripe.api-base"),
            Map.entry("STRIPE_WEBHOOK_SECRET", "billing.stripe.webhook-secret"),
            Map.entry("STRIPE_MAX_REQUESTS_PER_SECOND", "billing.stripe.max-requests-per-second"),
            Map.entry("STRIPE_WORKERS", "billing.stripe.workers"),
            Map.entry("STRIPE_MAX_ATTEMPTS", "billing.stripe.max-attempts"),
            Map.entry("STRIPE_BACKOFF_BASE_MS", "billing.stripe.backoff-base-ms"),
            Map.entry("STRIPE_READ_TIMEOUT_MS", "billing.stripe.read-timeout-ms"),
            Map.entry("BILLING_EVENT_STORE", "billing.event-store"),
            Map.entry("BILLING_SAMPLE_DATA", "billing.sample-data"),
            // alerts (SPEC 10): where they go, and the SMTP server of the e-mails
            Map.entry("BILLING_ALERTS_WEBHOOK_URL", "billing.alerts.webhook-url"),
            Map.entry("BILLING_ALERTS_WEBHOOK_SECRET", "billing.alerts.webhook-secret"),
            Map.entry("BILLING_ALERTS_MAIL_TO", "billing.alerts.mail-to"),
            Map.entry("BILLING_ALERTS_MAIL_FROM", "billing.alerts.mail-from"),
            Map.entry("BILLING_ALERTS_CHURN_THRESHOLD", "billing.alerts.churn-threshold"),
            Map.entry("BILLING_ALERTS_RETRY_INITIAL", "billing.alerts.retry-initial"),
            Map.entry("BILLING_ALERTS_MAX_ATTEMPTS", "billing.alerts.max-attempts"),
            Map.entry("BILLING_ALERTS_DELIVERY_INTERVAL", "billing.alerts.delivery-interval"),
            Map.entry("BILLING_ALERTS_TRACK_RECHECK", "billing.alerts.track-recheck"),
            Map.entry("SPRING_MAIL_HOST", "spring.mail.host"),
            Map.entry("SPRING_MAIL_PORT", "spring.mail.port"),
            Map.entry("SPRING_MAIL_USERNAME", "spring.mail.username"),
            Map.entry("SPRING_MAIL_PASSWORD", "spring.mail.password"),
            // remote partitioning (SPEC 13) and the RabbitMQ it speaks through
            Map.entry("BILLING_PARTITIONING", "billing.partitioning"),
            Map.entry("BILLING_PARTITIONING_PARTITIONS", "billing.partitioning.partitions"),
            Map.entry("BILLING_PARTITIONING_QUEUE", "billing.partitioning.queue"),
            Map.entry("BILLING_PARTITIONING_PARTITION_TIMEOUT", "billing.partitioning.partition-timeout"),
            Map.entry("BILLING_PARTITIONING_POLL_INTERVAL", "billing.partitioning.poll-interval"),
            Map.entry("SPRING_RABBITMQ_HOST", "spring.rabbitmq.host"),
            Map.entry("SPRING_RABBITMQ_PORT", "spring.rabbitmq.port"),
            Map.entry("SPRING_RABBITMQ_USERNAME", "spring.rabbitmq.username"),
            Map.entry("SPRING_RABBITMQ_PASSWORD", "spring.rabbitmq.password"),
            Map.entry("SPRING_RABBITMQ_VIRTUAL_HOST", "spring.rabbitmq.virtual-host"),
            // who asked for a restart from the console: the audit row of the restarted run names them
            Map.entry("BILLING_AUDIT_REQUESTED_BY", "billing.audit.requested-by"));

    /** The key-set file of a home that demo made, used when BILLING_ENCRYPTION_KEYSET is not set (never for other homes). */
    static final String DEMO_KEYSET = "keys/demo-keyset.json";

    private Settings() {
    }

    /**
     * BILLING_HOME is made absolute here so that the H2 URL derived from it does not depend on where a
     * later process starts.
     */
    static Map<String, Object> resolve(BillingCommand command, Map<String, String> env) {
        CommonOptions flags = command.common;
        Map<String, Object> settings = new LinkedHashMap<>();
        String home = first(flags.home == null ? null : flags.home.toString(), env.get("BILLING_HOME"), command.defaultHome());
        Path homePath = Path.of(home).toAbsolutePath().normalize();
        settings.put("billing.home", homePath.toString());
        String url = first(flags.dbUrl, env.get("BILLING_DB_URL"), BillingApplication.defaultH2Url(homePath));
        settings.put("billing.db.url", url);
        putIfPresent(settings, "billing.db.user", first(flags.dbUser, env.get("BILLING_DB_USER"), null));
        putIfPresent(settings, "billing.db.password", first(flags.dbPassword, env.get("BILLING_DB_PASSWORD"), null));
        putIfPresent(settings, "billing.now", first(flags.now == null ? null : flags.now.toString(), env.get("BILLING_NOW"),
                command.defaultNow()));
        FROM_ENVIRONMENT.forEach((variable, property) -> putIfPresent(settings, property, env.get(variable)));
        // Made absolute like the home, so that serve's child processes and every later reader agree on the file.
        String keyset = env.get("BILLING_ENCRYPTION_KEYSET");
        if (keyset != null && !keyset.isBlank()) {
            settings.put("billing.encryption.keyset", Path.of(keyset).toAbsolutePath().normalize().toString());
        } else if (java.nio.file.Files.exists(homePath.resolve(DemoCommand.MARKER)) && java.nio.file.Files.exists(homePath.resolve(DEMO_KEYSET))) {
            // The demo's home carries its own key set (demo made it there); only a home with the demo's marker is trusted so.
            settings.put("billing.encryption.keyset", homePath.resolve(DEMO_KEYSET).toString());
        }
        if (DatabaseUrl.isPostgres(url)) {
            settings.putIfAbsent("billing.db.user", "postgres");
            // Batched inserts become multi-row statements: one round trip per batch instead of per row.
            settings.put("spring.datasource.hikari.data-source-properties.reWriteBatchedInserts", "true");
        }
        command.addSettings(settings);
        return settings;
    }

    /** A JDBC URL fit to print: any password parameter in it is masked (secrets never reach output or logs). */
    static String redacted(Object url) {
        return url == null ? null : url.toString().replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static void putIfPresent(Map<String, Object> settings, String key, String value) {
        if (value != null && !value.isEmpty()) {
            settings.put(key, value);
        }
    }

    private static String first(String flag, String env, String fallback) {
        if (flag != null && !flag.isEmpty()) {
            return flag;
        }
        if (env != null && !env.isEmpty()) {
            return env;
        }
        return fallback;
    }

    /**
     * Puts the resolved flags and environment in front of every other property source, before
     * anything reads the environment, logging included: the log file lives under BILLING_HOME.
     */
    record First(Map<String, Object> settings) implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            event.getEnvironment().getPropertySources().addFirst(new MapPropertySource("billing-cli-and-env", settings));
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }
}
