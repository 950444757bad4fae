package com.acme.billing.ops;

import com.acme.billing.catalog.CatalogImport;
import com.acme.billing.config.BillingPaths;
import com.acme.billing.ingest.EventStore;
import com.acme.billing.invoice.ClosePeriodService;
import com.acme.billing.ingest.IngestJobConfig;
import com.acme.billing.ingest.IngestService;
import com.acme.billing.ingest.UsageReport;
import com.acme.billing.stripe.PushStripeService;
import com.acme.billing.subscription.SubscriptionImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Dispatches the commands of SPEC 1 to the services and jobs, and prints their results. */
@Component
public class BillingCommands {

    public static final Set<String> COMMANDS = Set.of("demo", "import-catalog", "import-subscriptions", "ingest", "close-period",
            "finalize", "push-stripe", "reports", "usage", "nightly", "executions", "restart", "stop", "abandon", "serve", "alerts",
            "push-status");

    public static final String USAGE = """
            usage: jobs/billing COMMAND [options] [--json]
              demo                                  the pipeline on sample-data/ in a fresh BILLING_HOME (default ./var/demo)
              import-catalog FILE                   load tiers, prices, limits and features (YAML)
              import-subscriptions FILE             load subscription changes (CSV)
              ingest FILE|DIR... | --inbox          ingest usage logs (.csv, .jsonl, optionally .gz)
              usage --period YYYY-MM [--user ID]    monthly usage against the tier's limits
              executions [--failed]                 job runs, newest first
              restart ID | stop ID | abandon ID     repair a job run
              close-period --period YYYY-MM [--dry-run]   rate the period: draft invoices (adjustments once finalized)
              finalize --period YYYY-MM             freeze the period's drafts
              reports --period YYYY-MM [--out DIR]  CSV files, a PDF statement per invoice, finance-report.pdf
              push-stripe --period YYYY-MM [--dry-run]    send finalized lines to Stripe (STRIPE_API_KEY); --dry-run prints the requests
              push-status --period YYYY-MM          lines at Stripe, refused (with Stripe's message) and still to send
              serve [--port N]                      HTTP: POST /webhooks/stripe (STRIPE_WEBHOOK_SECRET), default port 8080
              alerts [--since TIME]                 payment failures, cancellations, refused webhook events, job failures
              nightly                               the cron job: ingest inbox, re-rate open months, finalize, push, reports
            settings: --home DIR (BILLING_HOME), --db-url URL (BILLING_DB_URL), --db-user, --db-password, --now INSTANT (BILLING_NOW)
            exit codes: 0 ok, 1 a job failed (restart it), 2 bad invocation or unusable input (nothing written)""";

    /** Commands of SPEC 1 that later issues build; they refuse clearly instead of pretending. */
    private final CatalogImport catalogImport;
    private final SubscriptionImport subscriptionImport;
    private final IngestService ingest;
    private final UsageReport usageReport;
    private final Operations operations;
    private final BillingPaths paths;
    private final String sampleData;
    private final EventStore eventStore;
    private final ClosePeriodService close;
    private final PushStripeService push;
    private final com.acme.billing.nightly.NightlyService nightly;
    private final com.acme.billing.report.ReportsService reportsService;
    private final com.acme.billing.stripe.StripeWebhooks webhooks;
    private final AlertRepository alertRepository;
    private final org.springframework.context.ConfigurableApplicationContext context;

    public BillingCommands(CatalogImport catalogImport, SubscriptionImport subscriptionImport, IngestService ingest,
            UsageReport usageReport, Operations operations, BillingPaths paths,
            @Value("${billing.sample-data:sample-data}") String sampleData, EventStore eventStore, ClosePeriodService close,
            PushStripeService push, com.acme.billing.stripe.StripeWebhooks webhooks, AlertRepository alertRepository,
            org.springframework.context.ConfigurableApplicationContext context, com.acme.billing.report.ReportsService reportsService, com.acme.billing.nightly.NightlyService nightly) {
        this.nightly = nightly;
        this.reportsService = reportsService;
        this.push = push;
        this.webhooks = webhooks;
        this.alertRepository = alertRepository;
        this.context = context;
        this.eventStore = eventStore;
        this.close = close;
        this.catalogImport = catalogImport;
        this.subscriptionImport = subscriptionImport;
        this.ingest = ingest;
        this.usageReport = usageReport;
        this.operations = operations;
        this.paths = paths;
        this.sampleData = sampleData;
    }

    public int run(CliArgs cli, Console console) {
        Long executionId = null;
        try {
            return switch (cli.command()) {
                case "import-catalog" -> importCatalog(single(cli), console, new LinkedHashMap<>());
                case "import-subscriptions" -> importSubscriptions(single(cli), console, new LinkedHashMap<>());
                case "ingest" -> ingest(cli, console, new LinkedHashMap<>());
                case "usage" -> usage(cli, console);
                case "executions" -> executions(cli, console);
                case "restart" -> restart(id(cli), console);
                case "stop" -> {
                    long id = id(cli);
                    operations.stop(id);
                    console.say("stop requested for execution %d; it stops at its next commit", id);
                    yield console.done(Map.of("execution_id", id, "status", "STOPPING"));
                }
                case "abandon" -> {
                    JobExecution abandoned = operations.abandon(id(cli));
                    console.say("execution %d abandoned; it will not be restarted", abandoned.getId());
                    yield console.done(Map.of("execution_id", abandoned.getId(), "status", abandoned.getStatus().name()));
                }
                case "demo" -> demo(console);
                case "close-period" -> closePeriod(cli, console);
                case "finalize" -> finalizePeriod(cli, console);
                case "reports" -> reports(cli, console);
                case "push-stripe" -> pushStripe(cli, console);
                case "push-status" -> pushStatus(cli, console);
                case "serve" -> serve(console);
                case "nightly" -> nightly(console);
                case "alerts" -> alerts(cli, console);
                default -> console.fail(2, "unknown command " + cli.command(), null);
            };
        } catch (JobFailedException e) {
            return console.fail(1, e.getMessage(), e.executionId());
        } catch (InputRefusedException | BadInvocationException e) {
            return console.fail(2, e.getMessage(), executionId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (RuntimeException e) {
            return console.fail(1, "failed: " + e.getMessage() + " (details in " + paths.logs().resolve("billing.log") + ")", executionId);
        }
    }

    private static Path single(CliArgs cli) {
        if (cli.positional().size() != 1) {
            throw new BadInvocationException(cli.command() + " takes exactly one FILE");
        }
        return Path.of(cli.positional().get(0));
    }

    private static long id(CliArgs cli) {
        if (cli.positional().size() != 1) {
            throw new BadInvocationException(cli.command() + " takes one execution ID (see jobs/billing executions)");
        }
        try {
            return Long.parseLong(cli.positional().get(0));
        } catch (NumberFormatException e) {
            throw new BadInvocationException("'" + cli.positional().get(0) + "' is not an execution id");
        }
    }

    private int importCatalog(Path file, Console console, Map<String, Object> json) {
        CatalogImport.Result result = catalogImport.importFile(file);
        if (result.unchanged()) {
            console.say("catalog %s unchanged: still version %d", file, result.version());
        } else {
            console.say("catalog %s imported as version %d: %d tiers (%s), metrics %s, currency %s", file, result.version(),
                    result.catalog().tiers().size(), String.join(", ", result.catalog().tiers().keySet()),
                    String.join(", ", result.catalog().metrics()), result.catalog().currency());
        }
        json.put("version", result.version());
        json.put("unchanged", result.unchanged());
        json.put("tiers", new ArrayList<>(result.catalog().tiers().keySet()));
        json.put("currency", result.catalog().currency());
        return console.done(json);
    }

    private int importSubscriptions(Path file, Console console, Map<String, Object> json) {
        SubscriptionImport.Result result = subscriptionImport.importFile(file);
        console.say("subscriptions %s: %d changes read, %d recorded, %d already known; %d users updated", file, result.lines(),
                result.recorded(), result.alreadyKnown(), result.users());
        json.put("lines", result.lines());
        json.put("recorded", result.recorded());
        json.put("already_known", result.alreadyKnown());
        json.put("users", result.users());
        return console.done(json);
    }

    private int ingest(CliArgs cli, Console console, Map<String, Object> json) {
        long start = System.nanoTime();
        IngestService.Outcome outcome = ingest.ingest(cli.positional(), cli.has("inbox"));
        double seconds = (System.nanoTime() - start) / 1e9;
        printIngest(outcome.files(), console);
        long lines = outcome.accepted() + outcome.duplicates() + outcome.rejected();
        console.say("ingested %d file(s): %,d accepted, %,d duplicates, %,d rejected in %.1f s (%,.0f lines/s)%s",
                outcome.files().size(), outcome.accepted(), outcome.duplicates(), outcome.rejected(), seconds,
                lines / Math.max(seconds, 1e-3), outcome.executionId() == null ? "" : "; execution " + outcome.executionId());
        for (String quarantined : outcome.quarantined()) {
            console.warn("refused " + quarantined);
        }
        json.put("files", filesJson(outcome.files()));
        json.put("accepted", outcome.accepted());
        json.put("duplicates", outcome.duplicates());
        json.put("rejected", outcome.rejected());
        json.put("execution_id", outcome.executionId());
        json.put("seconds", Math.round(seconds * 1000) / 1000.0);
        if (!outcome.quarantined().isEmpty()) {
            json.put("refused", outcome.quarantined());
            console.done(json);
            return 2;
        }
        return console.done(json);
    }

    private static void printIngest(List<IngestService.FileOutcome> files, Console console) {
        for (IngestService.FileOutcome file : files) {
            if (file.alreadyIngested()) {
                console.say("  %s: already ingested (sha256 %s), nothing changed", file.file(), file.sha256().substring(0, 12));
            } else {
                console.say("  %s: %,d accepted, %,d duplicates, %,d rejected%s", file.file(), file.accepted(), file.duplicates(),
                        file.rejected(), file.rejectsFile() == null ? "" : " (reasons in " + file.rejectsFile() + ")");
            }
        }
    }

    private static List<Object> filesJson(List<IngestService.FileOutcome> files) {
        List<Object> list = new ArrayList<>();
        for (IngestService.FileOutcome file : files) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", file.file());
            f.put("sha256", file.sha256());
            f.put("accepted", file.accepted());
            f.put("duplicates", file.duplicates());
            f.put("rejected", file.rejected());
            f.put("already_ingested", file.alreadyIngested());
            f.put("rejects_file", file.rejectsFile());
            list.add(f);
        }
        return list;
    }

    private int usage(CliArgs cli, Console console) {
        UsageReport.Month month = usageReport.month(cli.required("period"), cli.option("user"));
        int shown = 0;
        console.say("usage %s%s: %d rows, %d over their limit", month.period(), cli.option("user") == null ? "" : " for " + cli.option("user"),
                month.rows().size(), month.rows().stream().filter(UsageReport.Row::breached).count());
        console.say("  %-24s %-18s %-10s %14s %14s", "user_id", "metric", "tier", "quantity", "included");
        for (UsageReport.Row row : month.rows()) {
            if (shown++ == 50 && !cli.has("json")) {
                console.say("  ... %d more rows (narrow with --user, or read them all with --json)", month.rows().size() - 50);
                break;
            }
            if (shown <= 50) {
                console.say("  %-24s %-18s %-10s %,14d %,14d%s", row.userId(), row.metric(), row.tier() == null ? "-" : row.tier(),
                        row.quantity(), row.included(), row.breached() ? "  OVER LIMIT" : "");
            }
        }
        List<Object> rows = new ArrayList<>();
        for (UsageReport.Row row : month.rows()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("user_id", row.userId());
            r.put("metric", row.metric());
            r.put("tier", row.tier());
            r.put("quantity", row.quantity());
            r.put("included", row.included());
            r.put("breached", row.breached());
            rows.add(r);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("period", month.period());
        json.put("rows", rows);
        return console.done(json);
    }

    private int closePeriod(CliArgs cli, Console console) {
        ClosePeriodService.Outcome outcome = close.close(cli.required("period"), cli.has("dry-run"));
        if (cli.has("dry-run")) {
            console.say("close-period %s --dry-run: would bill %d invoices, %d lines, %s %s (nothing written)", outcome.period(),
                    outcome.invoices(), outcome.lines(), outcome.total().toPlainString(), outcome.currency());
            outcome.preview().stream().limit(cli.has("json") ? 0 : 20).forEach(plan -> console.say("  %-40s %3d lines %12s",
                    plan.invoiceId(), plan.lines().size(), plan.total().toPlainString()));
        } else {
            console.say("close-period %s: %d invoices, %d lines, total %s %s; execution %d", outcome.period(), outcome.invoices(),
                    outcome.lines(), outcome.total().toPlainString(), outcome.currency(), outcome.executionId());
        }
        return console.done(periodJson(outcome));
    }

    private int finalizePeriod(CliArgs cli, Console console) {
        ClosePeriodService.Outcome outcome = close.finalizePeriod(cli.required("period"));
        console.say("finalize %s: %d invoices, %d lines, total %s %s are final; execution %d", outcome.period(), outcome.invoices(),
                outcome.lines(), outcome.total().toPlainString(), outcome.currency(), outcome.executionId());
        return console.done(periodJson(outcome));
    }

    private static Map<String, Object> periodJson(ClosePeriodService.Outcome outcome) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("period", outcome.period());
        json.put("invoices", outcome.invoices());
        json.put("lines", outcome.lines());
        json.put("total", outcome.total().setScale(java.util.Currency.getInstance(outcome.currency()).getDefaultFractionDigits(),
                java.math.RoundingMode.UNNECESSARY).toPlainString());
        json.put("currency", outcome.currency());
        json.put("execution_id", outcome.executionId());
        return json;
    }

    private int reports(CliArgs cli, Console console) {
        String period = com.acme.billing.period.BillingPeriod.parse(cli.required("period")).toString();
        Path dir = cli.option("out") == null ? paths.reports().resolve(period) : Path.of(cli.option("out")).toAbsolutePath();
        com.acme.billing.report.ReportsService.Outcome outcome = reportsService.render(period, dir);
        console.say("reports %s in %s (execution %d):", period, dir, outcome.executionId());
        outcome.files().forEach(f -> console.say("  %s%s", f, f.equals("invoices/") ? " (" + outcome.statements() + " statements, one PDF per invoice)" : ""));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("period", period);
        json.put("dir", dir.toString());
        json.put("files", new ArrayList<Object>(outcome.files()));
        json.put("statements", outcome.statements());
        json.put("execution_id", outcome.executionId());
        return console.done(json);
    }

    private int pushStripe(CliArgs cli, Console console) {
        if (cli.has("dry-run")) {
            PushStripeService.Outcome outcome = push.dryRun(cli.required("period"));
            console.say("push-stripe %s --dry-run: would send %d requests for %d lines (%d already at Stripe); nothing sent",
                    outcome.period(), outcome.requests().size(), outcome.pending() + outcome.failed(), outcome.alreadyPushed());
            int shown = 0;
            for (String request : outcome.requests()) {
                if (shown++ == 20 && !cli.has("json")) {
                    console.say("  ... %d more (all of them with --json)", outcome.requests().size() - 20);
                    break;
                }
                console.say("  %s", request);
            }
            Map<String, Object> json = pushJson(outcome);
            json.put("dry_run", true);
            json.put("requests", new ArrayList<Object>(outcome.requests()));
            return console.done(json);
        }
        String period = push.checkedPeriod(cli.required("period"));
        long before = push.pushedNow(period);
        PushStripeService.Outcome outcome;
        try {
            outcome = push.push(period, before);
        } catch (JobFailedException e) {
            PushStripeService.Outcome partial = push.outcome(period, before, e.executionId());
            console.say("push-stripe %s: %d lines pushed, %d already at Stripe, %d refused, %d not sent", period, partial.pushed(),
                    partial.alreadyPushed(), partial.failed(), partial.pending());
            printFailed(period, console);
            return console.fail(1, e.getMessage(), e.executionId(), pushJson(partial));
        }
        console.say("push-stripe %s: %d lines pushed, %d already at Stripe, %d refused; execution %d", period, outcome.pushed(),
                outcome.alreadyPushed(), outcome.failed(), outcome.executionId());
        return console.done(pushJson(outcome));
    }

    private static Map<String, Object> pushJson(PushStripeService.Outcome outcome) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("period", outcome.period());
        json.put("pushed", outcome.pushed());
        json.put("already_pushed", outcome.alreadyPushed());
        json.put("failed", outcome.failed());
        json.put("pending", outcome.pending());
        json.put("execution_id", outcome.executionId());
        return json;
    }

    private void printFailed(String period, Console console) {
        var failed = push.failed(period);
        failed.stream().limit(20).forEach(f -> console.say("  refused %s (%s): %s", f.lineId(), f.userId(), f.error()));
        if (failed.size() > 20) {
            console.say("  ... %d more refused lines: jobs/billing push-status --period %s --json", failed.size() - 20, period);
        }
    }

    private int pushStatus(CliArgs cli, Console console) {
        String period = push.checkedPeriod(cli.required("period"));
        var status = push.status(period);
        console.say("push-status %s: %d lines for Stripe: %d pushed, %d refused, %d not sent yet", period, status.lines(), status.pushed(),
                status.failed(), status.pending());
        printFailed(period, console);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("period", period);
        json.put("lines", status.lines());
        json.put("pushed", status.pushed());
        json.put("failed", status.failed());
        json.put("pending", status.pending());
        json.put("refused", push.failed(period).stream().map(f -> (Object) Map.of("line_id", f.lineId(), "user_id", f.userId(),
                "error", f.error(), "at", f.at().toString())).toList());
        return console.done(json);
    }

    /** Runs until the process is stopped (SIGTERM, Ctrl-C): Spring closes the context, and this returns. */
    private int serve(Console console) throws InterruptedException {
        if (!webhooks.configured()) {
            throw new BadInvocationException("STRIPE_WEBHOOK_SECRET is not set: serve cannot verify Stripe's events");
        }
        int port = ((org.springframework.boot.web.server.context.WebServerApplicationContext) context).getWebServer().getPort();
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        context.addApplicationListener((org.springframework.context.ApplicationListener<org.springframework.context.event.ContextClosedEvent>)
                event -> closed.countDown());
        console.say("serving on port %d: POST /webhooks/stripe (Stripe events, signatures checked); stop with Ctrl-C or SIGTERM", port);
        console.done(Map.of("port", port));
        closed.await();
        return 0;
    }

    private int nightly(Console console) {
        JobExecution execution = nightly.run();
        console.say("nightly: completed, execution %d; steps:", execution.getId());
        execution.getStepExecutions().forEach(s -> console.say("  %-20s %s", s.getStepName(), s.getStatus()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("execution_id", execution.getId());
        json.put("status", execution.getStatus().name());
        json.put("steps", execution.getStepExecutions().stream().map(s -> (Object) s.getStepName()).toList());
        return console.done(json);
    }

    private int alerts(CliArgs cli, Console console) {
        java.time.Instant since = null;
        if (cli.option("since") != null) {
            try {
                since = java.time.Instant.parse(cli.option("since"));
            } catch (java.time.format.DateTimeParseException e) {
                throw new BadInvocationException("--since '" + cli.option("since") + "' is not an ISO-8601 instant such as 2026-11-01T00:00:00Z");
            }
        }
        List<AlertRepository.Alert> list = alertRepository.since(since);
        console.say("%d alert(s)%s", list.size(), since == null ? "" : " since " + since);
        for (AlertRepository.Alert alert : list) {
            console.say("  %6d  %-20s %-16s %-20s %s", alert.id(), alert.at(), alert.type(), alert.userId() == null ? "-" : alert.userId(),
                    alert.message());
        }
        List<Object> json = new ArrayList<>();
        for (AlertRepository.Alert alert : list) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", alert.id());
            a.put("type", alert.type());
            a.put("user_id", alert.userId());
            a.put("invoice_id", alert.invoiceId());
            a.put("at", alert.at().toString());
            a.put("message", alert.message());
            json.add(a);
        }
        return console.done(Map.of("alerts", json));
    }

    private int executions(CliArgs cli, Console console) {
        List<Operations.ExecutionRow> rows = operations.executions(cli.has("failed"));
        console.say("%6s  %-16s %-10s %-20s %-20s %s", "id", "job", "status", "start", "end", "failed step / message");
        for (Operations.ExecutionRow row : rows) {
            console.say("%6d  %-16s %-10s %-20s %-20s %s", row.id(), row.job(), row.status(), row.start(), row.end() == null ? "-" : row.end(),
                    row.failedStep() == null ? "" : row.failedStep() + ": " + (row.message() == null ? "" : row.message()));
        }
        return console.done(Map.of("executions", rows.stream().map(operations::asJson).map(m -> (Object) m).toList()));
    }

    private int restart(long id, Console console) {
        JobExecution execution = operations.execution(id);
        String job = execution.getJobInstance().getJobName();
        console.say("restarting execution %d of %s", id, job);
        JobExecution restarted = operations.restart(id);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("restarted", id);
        json.put("execution_id", restarted.getId());
        json.put("job", job);
        json.put("status", restarted.getStatus().name());
        if (job.equals(IngestJobConfig.JOB_NAME)) {
            Long runId = restarted.getJobParameters().getLong(IngestJobConfig.RUN_ID);
            List<IngestService.FileOutcome> files = ingest.outcomesOf(runId);
            printIngest(files, console);
            json.put("files", filesJson(files));
            json.put("accepted", files.stream().mapToLong(IngestService.FileOutcome::accepted).sum());
            json.put("duplicates", files.stream().mapToLong(IngestService.FileOutcome::duplicates).sum());
            json.put("rejected", files.stream().mapToLong(IngestService.FileOutcome::rejected).sum());
        }
        console.say("execution %d completed (restart of %d)", restarted.getId(), id);
        return console.done(json);
    }

    private int demo(Console console) {
        Path samples = Path.of(sampleData).toAbsolutePath().normalize();
        if (!Files.isDirectory(samples)) {
            throw new BadInvocationException("sample data not found at " + samples + " (run demo from the project folder, or set BILLING_SAMPLE_DATA)");
        }
        console.say("demo in %s with %s", paths.home(), samples);
        Map<String, Object> json = new LinkedHashMap<>();
        console.say("1. import-catalog");
        importCatalog(samples.resolve("catalog.yaml"), quiet(console), new LinkedHashMap<>());
        console.say("   %s", samples.resolve("catalog.yaml"));
        console.say("2. import-subscriptions");
        Map<String, Object> subs = new LinkedHashMap<>();
        importSubscriptions(samples.resolve("subscriptions.csv"), quiet(console), subs);
        console.say("   %s changes for %s users", subs.get("recorded"), subs.get("users"));
        console.say("3. ingest %s", samples.resolve("usage"));
        IngestService.Outcome outcome = ingest.ingest(List.of(samples.resolve("usage").toString()), false);
        printIngest(outcome.files(), console);
        String period = "2026-10";
        UsageReport.Month month = usageReport.month(period, null);
        long breaches = month.rows().stream().filter(UsageReport.Row::breached).count();
        console.say("4. usage --period %s: %d rows (user x metric), %d over their tier's limit", period, month.rows().size(), breaches);
        ClosePeriodService.Outcome closed = close.close(period, false);
        console.say("5. close-period --period %s: %d draft invoices, %d lines, %s %s", period, closed.invoices(), closed.lines(),
                closed.total().toPlainString(), closed.currency());
        ClosePeriodService.Outcome finalized = close.finalizePeriod(period);
        console.say("6. finalize --period %s: %d invoices final, total %s %s", period, finalized.invoices(),
                finalized.total().toPlainString(), finalized.currency());
        PushStripeService.Outcome dryPush = push.dryRun(period);
        long items = dryPush.requests().stream().filter(r -> r.startsWith("POST /v1/invoiceitems")).count();
        console.say("7. push-stripe --period %s --dry-run: would send %d requests (%d customers to create, %d invoice items); nothing sent:",
                period, dryPush.requests().size(), dryPush.requests().size() - items, items);
        dryPush.requests().stream().limit(3).forEach(r -> console.say("   %s", r));
        console.say("   ... (all of them: jobs/billing push-stripe --period %s --dry-run --json --home %s)", period, paths.home());
        Path reportDir = paths.reports().resolve(period);
        com.acme.billing.report.ReportsService.Outcome rendered = reportsService.render(period, reportDir);
        console.say("8. reports --period %s: %s", period, rendered.files());
        console.say("");
        console.say("Where things are:");
        console.say("  database        %s", paths.home().resolve("db"));
        console.say("  events          %s", eventStore.describe());
        console.say("  rejected lines  %s", paths.rejects());
        console.say("  reports         %s", reportDir);
        console.say("    finance       %s", reportDir.resolve("finance-report.pdf"));
        console.say("    statements    %s (%d PDFs)", reportDir.resolve("invoices"), rendered.statements());
        console.say("    CSV           invoice-lines.csv, usage-summary.csv, revenue-summary.csv");
        console.say("Try: jobs/billing usage --period %s --home %s", period, paths.home());
        json.put("home", paths.home().toString());
        json.put("accepted", outcome.accepted());
        json.put("duplicates", outcome.duplicates());
        json.put("rejected", outcome.rejected());
        json.put("usage_rows", month.rows().size());
        json.put("breaches", breaches);
        json.put("execution_id", outcome.executionId());
        json.put("invoices", finalized.invoices());
        json.put("total", finalized.total().toPlainString());
        json.put("reports", reportDir.toString());
        json.put("stripe_requests_dry_run", dryPush.requests().size());
        return console.done(json);
    }

    private static Console quiet(Console console) {
        return new Console(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), console.err(), false);
    }
}
