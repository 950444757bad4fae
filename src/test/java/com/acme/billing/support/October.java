package com.acme.billing.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hand-computed October 2026 of the CLI tests (sample catalog, 31 days): alice on starter all month
 * with Stripe customer cus_A, bob on business then starter from the 11th, carol on a pro trial from the
 * 1st that converts on the 15th.
 */
public final class October {

    public static final String SUBSCRIPTIONS = """
            user_id,effective_at,action,tier,stripe_customer_id
            alice,2026-09-01T00:00:00Z,subscribe,starter,cus_A
            bob,2026-09-01T00:00:00Z,subscribe,business,
            bob,2026-10-11T00:00:00Z,change,starter,
            carol,2026-10-01T00:00:00Z,trial,pro,
            """;

    private October() {
    }

    /** Imports the sample catalog and the subscriptions above. */
    public static void subscriptions(Cli cli, Path dir) throws IOException {
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        Files.writeString(dir.resolve("subs.csv"), SUBSCRIPTIONS);
        cli.ok("import-subscriptions", dir.resolve("subs.csv").toString());
    }

    /** Also ingests this usage log ({@code event_id,timestamp,user_id,metric,quantity} lines after the header). */
    public static void withUsage(Cli cli, Path dir, String usageLines) throws IOException {
        subscriptions(cli, dir);
        Files.writeString(dir.resolve("usage.csv"), "event_id,timestamp,user_id,metric,quantity\n" + usageLines);
        cli.ok("ingest", dir.resolve("usage.csv").toString());
    }
}
