package com.acme.billing.tools;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * Writes subscription changes for users {@code user-000001..user-N} (the ids the usage generator
 * uses), reproducibly from a seed: most subscribed before the period, some with a trial, an
 * upgrade, a downgrade or a cancellation inside it (behind {@code jobs/billing generate-subscriptions}).
 */
public final class SubscriptionGenerator {

    private static final String[] TIERS = {"free", "starter", "pro", "business"};

    private SubscriptionGenerator() {
    }

    public static int main(String[] args, PrintStream out, PrintStream err) {
        int users = -1;
        YearMonth period = null;
        long seed = 42;
        Path file = null;
        try {
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--users" -> users = Integer.parseInt(args[i + 1].replace("_", ""));
                    case "--period" -> period = YearMonth.parse(args[i + 1]);
                    case "--seed" -> seed = Long.parseLong(args[i + 1]);
                    case "--out" -> file = Path.of(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (users <= 0 || period == null || file == null || args.length % 2 != 0) {
                throw new IllegalArgumentException("--users, --period and --out are required");
            }
        } catch (RuntimeException e) {
            err.println("generate-subscriptions: " + e.getMessage());
            err.println("usage: jobs/billing generate-subscriptions --users N --period YYYY-MM --out FILE [--seed S]");
            return 2;
        }
        SplittableRandom random = new SplittableRandom(seed);
        Instant start = period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        long seconds = period.lengthOfMonth() * 86_400L;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("user_id,effective_at,action,tier,stripe_customer_id\n");
            for (int u = 1; u <= users; u++) {
                String user = String.format("user-%06d", u);
                int kind = random.nextInt(100);
                String tier = TIERS[random.nextInt(TIERS.length)];
                Instant inMonth = start.plusSeconds(random.nextLong(seconds));
                if (kind < 70) {
                    w.write(user + "," + start.minusSeconds(86_400L * (1 + random.nextInt(300))) + ",subscribe," + tier + ",cus_" + u + "\n");
                } else if (kind < 80) {
                    w.write(user + "," + start.minusSeconds(86_400L * 3) + ",trial," + (random.nextBoolean() ? "starter" : "pro") + ",cus_" + u + "\n");
                } else if (kind < 88) {
                    w.write(user + "," + start.minusSeconds(86_400L * 40) + ",subscribe,starter,cus_" + u + "\n");
                    w.write(user + "," + inMonth + ",change," + (random.nextBoolean() ? "pro" : "business") + ",\n");
                } else if (kind < 94) {
                    w.write(user + "," + start.minusSeconds(86_400L * 40) + ",subscribe,business,cus_" + u + "\n");
                    w.write(user + "," + inMonth + ",change,starter,\n");
                } else {
                    w.write(user + "," + start.minusSeconds(86_400L * 90) + ",subscribe," + tier + ",\n");
                    w.write(user + "," + inMonth + ",cancel,,\n");
                }
            }
        } catch (IOException e) {
            err.println("generate-subscriptions: cannot write " + file + ": " + e.getMessage());
            return 1;
        }
        out.printf("wrote %s: subscriptions of %,d users around %s%n", file, users, period);
        return 0;
    }
}
