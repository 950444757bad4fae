package com.acme.billing;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Set;

/** Temporary: dev tools still in the jar until they move to their own source set. */
final class DevTools {
    private static final Set<String> NAMES = Set.of("generate-subscriptions", "fake-stripe", "webhook-load", "generate-usage");

    static boolean handles(String name) {
        return NAMES.contains(name);
    }

    static int run(PrintStream out, PrintStream err, String... args) {
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "generate-subscriptions" -> com.acme.billing.ingest.tools.SubscriptionGenerator.main(rest, out, err);
            case "fake-stripe" -> com.acme.billing.stripe.fake.FakeStripe.main(rest, out, err);
            case "webhook-load" -> com.acme.billing.stripe.tools.WebhookLoad.main(rest, out, err);
            default -> com.acme.billing.ingest.tools.UsageLogGenerator.main(rest, out, err);
        };
    }
}
