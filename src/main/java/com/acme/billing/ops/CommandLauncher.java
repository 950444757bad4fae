package com.acme.billing.ops;

import com.acme.billing.platform.BillingPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Runs a {@code jobs/billing} command in a process of its own, with the same JVM and class path as this one: how the console's
 * restart button resumes a job with exactly the command line's rules, without running a batch job inside the web
 * server (whose memory and database connections serve the API). The child gets this process's settings (home,
 * database, clock, Stripe) as environment variables, never as arguments (a password in arguments would show in
 * the process list), and appends its output to {@code logs/console-commands.log}. It is not waited for: its
 * execution appears in the job repository like any other.
 */
@Component
public class CommandLauncher {

    /** A started command: its process id and where its output goes. */
    public record Launched(long pid, Path log) {
    }

    private static final Map<String, String> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("billing.home", "BILLING_HOME");
        SETTINGS.put("billing.db.url", "BILLING_DB_URL");
        SETTINGS.put("billing.db.user", "BILLING_DB_USER");
        SETTINGS.put("billing.db.password", "BILLING_DB_PASSWORD");
        SETTINGS.put("billing.now", "BILLING_NOW");
        SETTINGS.put("billing.event-store", "BILLING_EVENT_STORE");
        SETTINGS.put("billing.stripe.api-key", "STRIPE_API_KEY");
        SETTINGS.put("billing.stripe.api-base", "STRIPE_API_BASE");
        // a restarted job that fails raises job_failed: it goes where serve's alerts go
        SETTINGS.put("billing.alerts.webhook-url", "BILLING_ALERTS_WEBHOOK_URL");
        SETTINGS.put("billing.alerts.webhook-secret", "BILLING_ALERTS_WEBHOOK_SECRET");
        SETTINGS.put("billing.alerts.mail-to", "BILLING_ALERTS_MAIL_TO");
        SETTINGS.put("spring.mail.host", "SPRING_MAIL_HOST");
        SETTINGS.put("spring.mail.port", "SPRING_MAIL_PORT");
        SETTINGS.put("billing.encryption.keyset", "BILLING_ENCRYPTION_KEYSET");
    }

    /** The command line's entry point, by name: nothing below the command line may depend on it (LayeringTest). */
    static final String MAIN_CLASS = "com.acme.billing.BillingApplication";

    private final Environment environment;
    private final BillingPaths paths;

    public CommandLauncher(Environment environment, BillingPaths paths) {
        this.environment = environment;
        this.paths = paths;
    }

    public Launched launch(String... args) {
        return launch(Map.of(), args);
    }

    /**
     * As {@link #launch(String...)}, with more environment variables for the child: {@code BILLING_AUDIT_REQUESTED_BY}
     * names the person on whose behalf it runs, in its audit row.
     */
    public Launched launch(Map<String, String> extraEnvironment, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String options = System.getenv().getOrDefault("BILLING_JAVA_OPTS", "");
        command.addAll(options.isBlank() ? List.of("-Xmx1g") : Arrays.asList(options.trim().split("\\s+")));
        if (!options.matches(".*-XX:\\+Use\\w*GC.*")) {
            // a batch command (restart), run with the collector jobs/billing gives the batch commands (docs/decisions.md)
            command.add("-XX:+UseParallelGC");
        }
        command.add("-Duser.timezone=UTC");
        // This JVM's class path: under "-jar billing.jar" (jobs/billing) it is that jar, whose manifest names the rest.
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        SETTINGS.forEach((property, variable) -> {
            String value = environment.getProperty(property);
            if (value != null && !value.isEmpty()) {
                builder.environment().put(variable, value);
            }
        });
        builder.environment().putAll(extraEnvironment);
        try {
            Path log = Files.createDirectories(paths.logs()).resolve("console-commands.log");
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process process = builder.start();
            return new Launched(process.pid(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start jobs/billing " + String.join(" ", args) + ": " + e.getMessage(), e);
        }
    }
}
