package com.acme.billing.tools;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The developers' tools (log and subscription generators, the fake Stripe, the webhook load): not
 * in the production jar. They are built into {@code target/billing-tools.jar} beside it, and
 * {@code jobs/billing} runs them for the names below (the benchmark scripts and sample-data/generate use them).
 */
public final class DevTools {

    static final String USAGE = """
            usage: jobs/billing TOOL [options]   (developer tools, not in the production jar)
              generate-usage          a reproducible usage log (sample-data/generate)
              generate-subscriptions  subscription changes for user-000001...
              fake-stripe             a local fake of Stripe's API, for tests and benchmarks
              webhook-load            signed Stripe webhook events sent to serve
              api-load                track and features/check load against serve's /api
              duckdb-scan             DuckDB alone reading and grouping a usage log (the ingest benchmark's yardstick)""";

    private DevTools() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    public static int run(PrintStream out, PrintStream err, String... args) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "generate-usage" -> UsageLogGenerator.main(rest, out, err);
            case "generate-subscriptions" -> SubscriptionGenerator.main(rest, out, err);
            case "fake-stripe" -> FakeStripe.main(rest, out, err);
            case "webhook-load" -> WebhookLoad.main(rest, out, err);
            case "api-load" -> ApiLoad.main(rest, out, err);
            case "duckdb-scan" -> DuckDbScan.main(rest, out, err);
            default -> {
                err.println("unknown tool '" + args[0] + "'\n" + USAGE);
                yield 2;
            }
        };
    }
}
