package com.acme.billing;

import com.acme.billing.ingest.tools.UsageLogGenerator;
import com.acme.billing.ops.BadInvocationException;
import com.acme.billing.ops.BillingCommands;
import com.acme.billing.ops.CliArgs;
import com.acme.billing.ops.Console;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The entry point behind {@code jobs/billing}. Settings come from flags, then the environment,
 * then {@code application.yml} (SPEC 1): the flags and the BILLING_* variables are resolved here
 * and put in front of every other property source.
 */
@SpringBootApplication
public class BillingApplication {

    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out, System.err, args));
    }

    /** Runs one command; returns the exit code (0 ok, 1 a job failed, 2 bad invocation or input). */
    public static int run(Map<String, String> env, PrintStream out, PrintStream err, String... args) {
        // Spring Batch stamps executions with local date-times: keep them in UTC, like everything else.
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        // stripe-java speaks through HttpURLConnection, which by default sends a POST a second time on its
        // own when a connection drops: a request our rate limiter never saw. Our retries (counted, with
        // backoff and the idempotency key) are the only ones. More kept-alive connections for the workers.
        System.setProperty("sun.net.http.retryPost", "false");
        System.setProperty("http.maxConnections", "32");
        if (args.length > 0 && args[0].equals("generate-subscriptions")) {
            return com.acme.billing.ingest.tools.SubscriptionGenerator.main(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("fake-stripe")) {
            return com.acme.billing.stripe.fake.FakeStripe.main(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("webhook-load")) {
            return com.acme.billing.stripe.tools.WebhookLoad.main(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("generate-usage")) {
            return UsageLogGenerator.main(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        CliArgs cli;
        try {
            cli = CliArgs.parse(args);
        } catch (BadInvocationException e) {
            err.println("billing: " + e.getMessage());
            err.println(BillingCommands.USAGE);
            return 2;
        }
        Console console = new Console(out, err, cli.has("json"));
        if (cli.command() == null || cli.has("help") || cli.command().equals("help")) {
            out.println(BillingCommands.USAGE);
            return cli.command() == null && !cli.has("help") ? 2 : 0;
        }
        if (!BillingCommands.COMMANDS.contains(cli.command())) {
            return console.fail(2, "unknown command '" + cli.command() + "'\n" + BillingCommands.USAGE, null);
        }
        Map<String, Object> settings;
        try {
            settings = settings(cli, env);
        } catch (BadInvocationException e) {
            return console.fail(2, e.getMessage(), null);
        }
        if (cli.command().equals("demo")) {
            try {
                prepareDemoHome(Path.of((String) settings.get("billing.home")));
            } catch (BadInvocationException e) {
                return console.fail(2, e.getMessage(), null);
            }
        }
        SpringApplication application = new SpringApplication(BillingApplication.class);
        // Only serve listens on a port; every other command is a plain batch process.
        application.setWebApplicationType(cli.command().equals("serve") ? org.springframework.boot.WebApplicationType.SERVLET
                : org.springframework.boot.WebApplicationType.NONE);
        application.setAddCommandLineProperties(false);
        // Before anything reads the environment, logging included: the log file lives under BILLING_HOME
        // (logging.file.name), which a flag or the demo's default may set.
        application.addListeners(new SettingsFirst(settings));
        ConfigurableApplicationContext context;
        try {
            context = application.run();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return console.fail(2, "cannot start: " + root.getMessage() + " (database " + redacted((String) settings.get("billing.db.url")) + ")", null);
        }
        try (context) {
            return context.getBean(BillingCommands.class).run(cli, console);
        }
    }

    /**
     * Flag, then environment variable, then default. BILLING_HOME is made absolute here so that the
     * H2 URL derived from it does not depend on where a later process starts.
     */
    static Map<String, Object> settings(CliArgs cli, Map<String, String> env) {
        Map<String, Object> settings = new LinkedHashMap<>();
        String home = first(cli.option("home"), env.get("BILLING_HOME"),
                cli.command().equals("demo") ? "./var/demo" : "./var");
        Path homePath = Path.of(home).toAbsolutePath().normalize();
        settings.put("billing.home", homePath.toString());
        String url = first(cli.option("db-url"), env.get("BILLING_DB_URL"), defaultH2Url(homePath));
        settings.put("billing.db.url", url);
        putIfPresent(settings, "billing.db.user", first(cli.option("db-user"), env.get("BILLING_DB_USER"), null));
        putIfPresent(settings, "billing.db.password", first(cli.option("db-password"), env.get("BILLING_DB_PASSWORD"), null));
        putIfPresent(settings, "billing.now", first(cli.option("now"), env.get("BILLING_NOW"),
                // The demo replays October 2026 as seen early in November, so its output never changes.
                cli.command().equals("demo") ? "2026-11-04T02:00:00Z" : null));
        putIfPresent(settings, "billing.sample-data", env.get("BILLING_SAMPLE_DATA"));
        if (cli.command().equals("serve")) {
            String port = first(cli.option("port"), null, "8080");
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
                throw new BadInvocationException("--port '" + port + "' is not a port number (0 picks a free one)");
            }
            settings.put("server.port", port);
        }
        Map<String, String> fromEnv = new HashMap<>();
        fromEnv.put("STRIPE_API_KEY", "billing.stripe.api-key");
        fromEnv.put("STRIPE_API_BASE", "billing.stripe.api-base");
        fromEnv.put("STRIPE_WEBHOOK_SECRET", "billing.stripe.webhook-secret");
        fromEnv.put("STRIPE_MAX_REQUESTS_PER_SECOND", "billing.stripe.max-requests-per-second");
        fromEnv.put("STRIPE_WORKERS", "billing.stripe.workers");
        fromEnv.put("STRIPE_MAX_ATTEMPTS", "billing.stripe.max-attempts");
        fromEnv.put("STRIPE_BACKOFF_BASE_MS", "billing.stripe.backoff-base-ms");
        fromEnv.put("STRIPE_READ_TIMEOUT_MS", "billing.stripe.read-timeout-ms");
        fromEnv.put("BILLING_EVENT_STORE", "billing.event-store");
        fromEnv.forEach((variable, property) -> putIfPresent(settings, property, env.get(variable)));
        if (url.startsWith("jdbc:postgresql:")) {
            if (!settings.containsKey("billing.db.user")) {
                settings.put("billing.db.user", "postgres");
            }
            // Batched inserts become multi-row statements: one round trip per batch instead of per row.
            settings.put("spring.datasource.hikari.data-source-properties.reWriteBatchedInserts", "true");
        }
        return settings;
    }

    /**
     * The embedded database. AUTO_SERVER lets {@code serve} and a cron job share it; WRITE_DELAY=0
     * writes every commit out at once: H2's default (a second later, from a background thread) lost
     * the last commits of a process killed with -9, measured by the kill-and-restart tests.
     */
    public static String defaultH2Url(Path home) {
        return "jdbc:h2:file:" + home.resolve("db").resolve("billing") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    /** A JDBC URL fit to print: any password parameter in it is masked (secrets never reach output or logs). */
    static String redacted(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** Puts the resolved flags and environment in front of every other property source, first of all listeners. */
    private record SettingsFirst(Map<String, Object> settings)
            implements org.springframework.context.ApplicationListener<org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent>,
            org.springframework.core.Ordered {

        @Override
        public void onApplicationEvent(org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent event) {
            event.getEnvironment().getPropertySources().addFirst(new MapPropertySource("billing-cli-and-env", settings));
        }

        @Override
        public int getOrder() {
            return org.springframework.core.Ordered.HIGHEST_PRECEDENCE;
        }
    }

    static final String DEMO_MARKER = ".billing-demo";

    /**
     * The demo starts from an empty BILLING_HOME. A home that an earlier demo made (it holds the
     * marker file) is emptied; any other non-empty folder is refused, never deleted.
     */
    static void prepareDemoHome(Path home) {
        try {
            if (Files.isDirectory(home)) {
                boolean empty;
                try (var entries = Files.list(home)) {
                    empty = entries.findAny().isEmpty();
                }
                if (!empty) {
                    if (!Files.exists(home.resolve(DEMO_MARKER))) {
                        throw new BadInvocationException("demo needs an empty BILLING_HOME, and " + home
                                + " holds other data; choose another with --home or BILLING_HOME");
                    }
                    try (var walk = Files.walk(home)) {
                        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            if (!p.equals(home)) {
                                Files.delete(p);
                            }
                        }
                    }
                }
            }
            Files.createDirectories(home);
            Files.writeString(home.resolve(DEMO_MARKER), "made by jobs/billing demo; the next demo empties this folder\n");
        } catch (java.io.IOException e) {
            throw new BadInvocationException("cannot prepare the demo home " + home + ": " + e.getMessage());
        }
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

}
