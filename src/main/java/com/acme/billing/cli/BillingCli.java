package com.acme.billing.cli;

import com.acme.billing.platform.DatabaseUrl;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.platform.JobFailedException;
import com.acme.billing.scaleout.Partitioning;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import com.acme.billing.ops.AlertDelivery;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code jobs/billing}: picocli parses and checks the command line before anything starts (an
 * option a command does not take, or a value of the wrong type, is exit 2 naming it); then Spring
 * starts with the resolved settings and the command runs.
 */
@Command(name = "billing", mixinStandardHelpOptions = true, version = "billing 0.1.0",
        synopsisSubcommandLabel = "COMMAND",
        description = "The nightly usage billing pipeline: ingest, rate, invoice, push to Stripe, report.",
        footer = {"", "Every command takes --json (its result as one JSON object on the last line),",
                "--home DIR, --db-url URL, --db-user USER, --db-password PASSWORD, --now INSTANT.",
                "Flags win over BILLING_* / STRIPE_* variables, which win over application.yml.",
                "Exit codes: 0 ok, 1 a job failed (jobs/billing restart ID),",
                "2 bad invocation or unusable input (nothing written).",
                "jobs/billing COMMAND --help shows a command's options."})
public final class BillingCli {

    /** Every command, in the order {@code --help} lists them. */
    private static final List<Class<?>> COMMANDS = List.of(DemoCommand.class, ImportCatalogCommand.class,
            ImportSubscriptionsCommand.class, IngestCommand.class, UsageCommand.class, ClosePeriodCommand.class, FinalizeCommand.class,
            PushStripeCommand.class, PushStatusCommand.class, ReportsCommand.class, NightlyCommand.class, ExecutionsCommand.class,
            RestartCommand.class, StopCommand.class, AbandonCommand.class, ServeCommand.class, AlertsCommand.class, ApiKeyCommand.class,
            AnalyticsCommand.class, ImportCostsCommand.class, ImportExperimentsCommand.class, ExperimentResultsCommand.class,
            ConsoleUserCommand.class, GdprCommand.class, AuditCommand.class, ImportCustomersCommand.class, KeysCommand.class,
            WorkerCommand.class);

    private BillingCli() {
    }

    /** The command line with every command and the typed converters, as {@code --help} shows it. */
    public static CommandLine commandLine() {
        return commandLine(COMMANDS);
    }

    /**
     * The command line for these arguments: with the one command they name first, when they do, since picocli reads the
     * annotations of every command it is given (its classes cannot go into the CDS archive either: they are Java 5 class
     * files), about a fifth of {@code executions}' start on a slow machine (docs/benchmarks.md, "Start-up"). Anything else
     * (no command, an option first, a name that is not a command, help) gets every command, and so the same messages.
     */
    static CommandLine commandLineFor(String... args) {
        if (args.length > 0) {
            for (Class<?> command : COMMANDS) {
                if (command.getAnnotation(Command.class).name().equals(args[0])) {
                    return commandLine(List.of(command));
                }
            }
        }
        return commandLine();
    }

    private static CommandLine commandLine(List<Class<?>> commands) {
        CommandLine commandLine = new CommandLine(BillingCli.class);
        // Before the converters and settings below: picocli gives them to the subcommands it has at that moment.
        commands.forEach(commandLine::addSubcommand);
        TypeConverters.register(commandLine);
        // "@file" would read a file into the arguments (and echo it in an error): an argument is what was typed.
        // It also keeps a user id such as "@x" (valid by SPEC 2) from naming a file.
        commandLine.setExpandAtFiles(false);
        return commandLine;
    }

    /** Runs one command; returns the exit code (0 ok, 1 a job failed, 2 bad invocation or input). */
    public static int run(Map<String, String> env, PrintStream out, PrintStream err, String... args) {
        return run(env, System.in, out, err, args);
    }

    /** As {@link #run(Map, PrintStream, PrintStream, String...)} with this standard input (a password, for console-user). */
    public static int run(Map<String, String> env, java.io.InputStream in, PrintStream out, PrintStream err, String... args) {
        // Spring Batch stamps executions with local date-times: keep them in UTC, like everything else.
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        // stripe-java speaks through HttpURLConnection, which by default sends a POST a second time on its
        // own when a connection drops: a request our rate limiter never saw. Our retries (counted, with
        // backoff and the idempotency key) are the only ones. More kept-alive connections for the workers.
        System.setProperty("sun.net.http.retryPost", "false");
        System.setProperty("http.maxConnections", "32");

        CommandLine commandLine = commandLineFor(args);
        if (args.length > 0 && args[0].equals("help")) {
            // "jobs/billing help [COMMAND]", as --help.
            CommandLine target = args.length > 1 ? commandLine.getSubcommands().getOrDefault(args[1], commandLine) : commandLine;
            target.usage(out, CommandLine.Help.Ansi.OFF);
            return 0;
        }
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (ParameterException e) {
            Console console = new Console(out, err, Arrays.asList(args).contains("--json"));
            String name = e.getCommandLine().getCommandName();
            int exit = console.fail(2, ParseErrors.message(e), (Long) null);
            err.println("billing: " + (name.equals("billing") ? "jobs/billing --help lists the commands"
                    : "jobs/billing " + name + " --help lists its options"));
            return exit;
        }
        ParseResult leaf = parsed;
        while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
        }
        if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested()) {
            CommandLine.printHelpIfRequested(parsed.asCommandLineList(), out, err, CommandLine.Help.Ansi.OFF);
            return 0;
        }
        if (!(leaf.commandSpec().userObject() instanceof BillingCommand command)) {
            err.print(commandLine().getUsageMessage());
            err.println("billing: name a command");
            return 2;
        }
        Console console = new Console(out, err, command.common.json, in);
        Map<String, Object> settings;
        try {
            command.validate(env);
            settings = Settings.resolve(command, env);
            partitioning(command, settings);
            command.prepareHome(Path.of((String) settings.get("billing.home")));
        } catch (InputRefusedException | BadInvocationException e) {
            return console.fail(2, e.getMessage(), (Long) null);
        }
        java.util.List<String> autoConfigurations = autoConfigurations();
        java.util.List<String> excluded = new java.util.ArrayList<>();
        if (!command.web()) {
            excluded.addAll(monitoringAutoConfigurations(autoConfigurations));
        }
        if (!"true".equals(settings.get(Partitioning.ACTIVE))) {
            // serve keeps RabbitMQ (for its health indicator) when the installation partitions remotely
            boolean keepRabbit = command.web() && Partitioning.REMOTE.equals(settings.get(Partitioning.MODE));
            excluded.addAll(messagingAutoConfigurations(autoConfigurations, keepRabbit));
        }
        if (!excluded.isEmpty()) {
            settings.put("spring.autoconfigure.exclude", String.join(",", excluded));
        }
        if (command.fewBeans()) {
            settings.put("spring.main.lazy-initialization", "true");
        }
        SpringApplication application = new SpringApplication(command.springBeans());
        application.setWebApplicationType(command.web() ? WebApplicationType.SERVLET : WebApplicationType.NONE);
        application.setAddCommandLineProperties(false);
        if (!command.web()) {
            application.setApplicationContextFactory(type -> new SharedScanContext());
        }
        application.addListeners(new Settings.First(settings));
        ConfigurableApplicationContext context;
        try {
            context = application.run();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return console.fail(2, "cannot start: " + root.getMessage() + " (database "
                    + Settings.redacted(settings.get("billing.db.url")) + ")", (Long) null);
        }
        try (context) {
            try {
                return command.run(new CommandContext(context, console));
            } finally {
                deliverAlerts(context);
            }
        } catch (JobFailedException e) {
            return console.fail(1, e.getMessage(), e.executionId());
        } catch (InputRefusedException | BadInvocationException e) {
            return console.fail(2, e.getMessage(), (Long) null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            Path log = Path.of((String) settings.get("billing.home")).resolve("logs").resolve("billing.log");
            return console.fail(1, "failed: " + e.getMessage() + " (details in " + log + ")", (Long) null);
        }
    }

    /**
     * Alerts raised by this command (or waiting for a retry) go out as it ends, for at most 10 s; what is
     * left waits for serve or the next command (the outbox holds it). Never changes the exit code. A command started with a
     * context of its own ({@code executions}) raises none and leaves the outbox to the others.
     */
    private static void deliverAlerts(ConfigurableApplicationContext context) {
        try {
            // A command started with a context of its own (BillingCommand#springBeans) has no delivery: its alerts wait.
            AlertDelivery delivery = context.isActive() ? context.getBeanProvider(AlertDelivery.class).getIfAvailable() : null;
            if (delivery != null && delivery.pending() > 0) {
                delivery.deliverDue(java.time.Duration.ofSeconds(10));
            }
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(BillingCli.class).warn("alerts not delivered now: {}", e.toString());
        }
    }

    /**
     * {@code billing.partitioning} (SPEC 13): {@code local} (the default) or {@code remote}, from BILLING_PARTITIONING or a
     * {@code -Dbilling.partitioning} of the JVM. Remote partitioning keeps its state in the job repository that manager and
     * workers share, so it needs PostgreSQL: refused on H2 before anything opens. Marks the process as one that uses
     * RabbitMQ when the command runs a partitioned step with {@code remote}, or is the worker.
     */
    static void partitioning(BillingCommand command, Map<String, Object> settings) {
        Object mode = settings.getOrDefault(Partitioning.MODE, System.getProperty(Partitioning.MODE, Partitioning.LOCAL));
        if (!Partitioning.LOCAL.equals(mode) && !Partitioning.REMOTE.equals(mode)) {
            throw new BadInvocationException("billing.partitioning is " + mode + "; it is local (the default) or remote");
        }
        settings.put(Partitioning.MODE, mode);
        boolean active = command.partitionWorker() || (command.partitioned() && Partitioning.REMOTE.equals(mode));
        String url = String.valueOf(settings.get("billing.db.url"));
        if (active && !DatabaseUrl.isPostgres(url)) {
            throw new BadInvocationException("remote partitioning needs PostgreSQL: manager and workers share its job repository "
                    + "(BILLING_DB_URL=jdbc:postgresql://...); the database here is " + Settings.redacted(url));
        }
        // Decided here for every command, whatever a -D of the JVM says: only the worker takes requests.
        settings.put(Partitioning.ACTIVE, Boolean.toString(active));
        settings.put(Partitioning.WORKER, Boolean.toString(command.partitionWorker()));
    }

    /**
     * RabbitMQ (Spring AMQP) and Spring Integration carry remote partitioning's requests only; every other process leaves
     * their auto-configurations out, for the same reason as {@link #monitoringAutoConfigurations(java.util.List)}.
     */
    private static java.util.List<String> messagingAutoConfigurations(java.util.List<String> all, boolean keepRabbit) {
        return all.stream().filter(name -> name.startsWith("org.springframework.boot.integration.")
                || (!keepRabbit && name.startsWith("org.springframework.boot.amqp."))).toList();
    }

    /** Every auto-configuration on the class path, by name (read once per command). */
    private static java.util.List<String> autoConfigurations() {
        java.util.List<String> names = new java.util.ArrayList<>();
        org.springframework.boot.context.annotation.ImportCandidates.load(org.springframework.boot.autoconfigure.AutoConfiguration.class,
                BillingCli.class.getClassLoader()).forEach(names::add);
        return names;
    }

    /**
     * Actuator and Micrometer serve only {@code serve}'s /actuator (SPEC 10); in every other command's process their
     * auto-configurations only cost start-up time (measured: ClosePeriodTest, whose commands start in-process, 116 s
     * with them, see docs/benchmarks.md), so they are left out there.
     */
    private static java.util.List<String> monitoringAutoConfigurations(java.util.List<String> all) {
        return all.stream().filter(name -> name.startsWith("org.springframework.boot.actuate.")
                || name.startsWith("org.springframework.boot.micrometer.")).toList();
    }
}
