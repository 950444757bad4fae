package com.acme.billing.cli;

import com.acme.billing.customer.Customers;
import com.acme.billing.customer.EncryptionKeyset;
import com.acme.billing.eventstore.EventStore;
import com.acme.billing.ingest.IngestService;
import com.acme.billing.ingest.UsageReport;
import com.acme.billing.invoice.ClosePeriodService;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.BillingPaths;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.report.ReportsService;
import com.acme.billing.stripe.PushStripeService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.core.env.Environment;
import picocli.CommandLine.Command;

@Command(name = "demo", header = "the whole pipeline on sample-data/ (./var/demo)",
        description = "The whole pipeline on sample-data/ in a fresh BILLING_HOME (default ./var/demo); prints where everything is.")
final class DemoCommand extends BillingCommand {

    static final String MARKER = ".billing-demo";
    private static final BillingPeriod PERIOD = BillingPeriod.parse("2026-10");

    record Result(String home, long accepted, long duplicates, long rejected, int usageRows, long breaches, Long executionId,
            long invoices, String total, String reports, int stripeRequestsDryRun, int customers) {
    }

    /** The key set the demo makes in its home when BILLING_ENCRYPTION_KEYSET is not set (null when it is). */
    private Path ownKeyset;

    @Override
    void addSettings(java.util.Map<String, Object> settings) {
        Path demoKeyset = Path.of((String) settings.get("billing.home")).resolve(Settings.DEMO_KEYSET);
        Object configured = settings.get("billing.encryption.keyset");
        if (configured == null || demoKeyset.toString().equals(configured)) {
            settings.put("billing.encryption.keyset", demoKeyset.toString());
            ownKeyset = demoKeyset;
        }
    }

    @Override
    String defaultHome() {
        return "./var/demo";
    }

    /** The demo replays October 2026 as seen early in November, so its output never changes. */
    @Override
    String defaultNow() {
        return "2026-11-04T02:00:00Z";
    }

    /**
     * The demo starts from an empty BILLING_HOME. A home that an earlier demo made (it holds the
     * marker file) is emptied; any other non-empty folder is refused, never deleted.
     */
    @Override
    void prepareHome(Path home) {
        try {
            if (Files.isDirectory(home)) {
                boolean empty;
                try (Stream<Path> entries = Files.list(home)) {
                    empty = entries.findAny().isEmpty();
                }
                if (!empty) {
                    if (!Files.exists(home.resolve(MARKER))) {
                        throw new InputRefusedException("demo needs an empty BILLING_HOME, and " + home
                                + " holds other data; choose another with --home or BILLING_HOME");
                    }
                    try (Stream<Path> walk = Files.walk(home)) {
                        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                            if (!p.equals(home)) {
                                Files.delete(p);
                            }
                        }
                    }
                }
            }
            Files.createDirectories(home);
            Files.writeString(home.resolve(MARKER), "made by jobs/billing demo; the next demo empties this folder\n");
        } catch (IOException e) {
            throw new InputRefusedException("cannot prepare the demo home " + home + ": " + e.getMessage());
        }
    }

    @Override
    int run(CommandContext context) {
        Console console = context.console();
        BillingPaths paths = context.bean(BillingPaths.class);
        Path samples = Path.of(context.bean(Environment.class).getProperty("billing.sample-data", "sample-data"))
                .toAbsolutePath().normalize();
        if (!Files.isDirectory(samples)) {
            throw new InputRefusedException("sample data not found at " + samples
                    + " (run demo from the project folder, or set BILLING_SAMPLE_DATA)");
        }
        console.say("demo in %s with %s", paths.home(), samples);
        console.say("1. import-catalog");
        ImportCatalogCommand.importCatalog(context, samples.resolve("catalog.yaml"), console.quiet());
        console.say("   %s", samples.resolve("catalog.yaml"));
        console.say("2. import-subscriptions");
        ImportSubscriptionsCommand.Result subscriptions = ImportSubscriptionsCommand.importSubscriptions(context,
                samples.resolve("subscriptions.csv"));
        console.say("   %s changes for %s users", subscriptions.recorded(), subscriptions.users());
        Path customersFile = samples.resolve("customers.csv");
        if (ownKeyset != null && !Files.exists(ownKeyset)) {
            EncryptionKeyset.create(ownKeyset);
        }
        Customers.ImportResult profiles = context.bean(Customers.class).importFile(customersFile);
        console.say("   import-customers: %d profiles, encrypted with %s", profiles.customers(),
                ownKeyset != null ? "the demo's own key set " + ownKeyset + " (BILLING_ENCRYPTION_KEYSET not set)" : "the key set of BILLING_ENCRYPTION_KEYSET");
        console.say("3. ingest %s", samples.resolve("usage"));
        IngestService.Outcome ingested = context.bean(IngestService.class).ingest(List.of(samples.resolve("usage").toString()), false);
        IngestCommand.printFiles(ingested.files(), console);
        UsageReport.Month month = context.bean(UsageReport.class).month(PERIOD, null);
        long breaches = month.rows().stream().filter(UsageReport.Row::breached).count();
        console.say("4. usage --period %s: %d rows (user x metric), %d over their tier's limit", PERIOD, month.rows().size(), breaches);
        ClosePeriodService close = context.bean(ClosePeriodService.class);
        ClosePeriodService.Outcome closed = close.close(PERIOD, false);
        console.say("5. close-period --period %s: %d draft invoices, %d lines, %s %s", PERIOD, closed.invoices(), closed.lines(),
                closed.total().toPlainString(), closed.currency());
        ClosePeriodService.Outcome finalized = close.finalizePeriod(PERIOD);
        console.say("6. finalize --period %s: %d invoices final, total %s %s", PERIOD, finalized.invoices(),
                finalized.total().toPlainString(), finalized.currency());
        PushStripeService.Outcome dryPush = context.bean(PushStripeService.class).dryRun(PERIOD);
        long items = dryPush.requests().stream().filter(r -> r.startsWith("POST /v1/invoiceitems")).count();
        long customers = dryPush.requests().stream().filter(r -> r.startsWith("POST /v1/customers")).count();
        console.say("7. push-stripe --period %s --dry-run: would send %d requests (%d customers to create, %d invoice items); nothing sent:",
                PERIOD, dryPush.requests().size(), customers, items);
        dryPush.requests().stream().limit(3).forEach(r -> console.say("   %s", r));
        console.say("   ... (all of them: jobs/billing push-stripe --period %s --dry-run --json --home %s)", PERIOD, paths.home());
        Path reportDir = paths.reports().resolve(PERIOD.toString());
        var analytics = context.bean(com.acme.billing.analytics.job.AnalyticsService.class).run(PERIOD, reportDir);
        console.say("8. analytics --period %s: MRR %s, %s paying customers, logo churn %s (analytics.csv, cohorts.csv)", PERIOD,
                figure(analytics.figures(), "mrr"), figure(analytics.figures(), "paying_customers"), figure(analytics.figures(), "logo_churn_rate"));
        ReportsService.Outcome rendered = context.bean(ReportsService.class).render(PERIOD, reportDir);
        console.say("9. reports --period %s: %s", PERIOD, rendered.files());
        console.say("");
        console.say("Where things are:");
        console.say("  database        %s", paths.home().resolve("db"));
        console.say("  events          %s", context.bean(EventStore.class).describe());
        console.say("  rejected lines  %s", paths.rejects());
        console.say("  reports         %s", reportDir);
        console.say("    finance       %s", reportDir.resolve("finance-report.pdf"));
        console.say("    statements    %s (%d PDFs)", reportDir.resolve("invoices"), rendered.statements());
        console.say("    CSV           invoice-lines.csv, usage-summary.csv, revenue-summary.csv, analytics.csv, cohorts.csv");
        console.say("Try: jobs/billing usage --period %s --home %s", PERIOD, paths.home());
        return console.done(new Result(paths.home().toString(), ingested.accepted(), ingested.duplicates(), ingested.rejected(),
                month.rows().size(), breaches, ingested.executionId(), finalized.invoices(), finalized.total().toPlainString(),
                reportDir.toString(), dryPush.requests().size(), profiles.customers()));
    }

    private static String figure(List<com.acme.billing.analytics.MonthKpis.Row> rows, String metric) {
        return rows.stream().filter(r -> r.metric().equals(metric) && r.tier().equals(com.acme.billing.analytics.MonthKpis.ALL))
                .map(r -> r.value().isEmpty() ? "-" : r.value()).findFirst().orElse("-");
    }
}
