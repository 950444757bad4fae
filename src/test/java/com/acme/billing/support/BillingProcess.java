package com.acme.billing.support;

import com.acme.billing.BillingApplication;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code jobs/billing} in a JVM of its own (stdout discarded, stderr to read), for the tests that kill it. */
public final class BillingProcess {

    private BillingProcess() {
    }

    /** @param properties {@code -Dname=value} settings, for example a short progress interval or a small chunk size */
    public static Process start(TestDatabase db, String now, List<String> properties, String... args) throws IOException {
        return start(db, now, java.util.Map.of(), properties, args);
    }

    /** @param env more environment (STRIPE_API_BASE, ...) */
    public static Process start(TestDatabase db, String now, java.util.Map<String, String> env, List<String> properties, String... args)
            throws IOException {
        ProcessBuilder builder = builder(db, properties, args);
        builder.environment().put("BILLING_NOW", now);
        builder.environment().putAll(env);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    /** The command line and environment of a billing JVM on this database; output handling is the caller's. */
    public static ProcessBuilder builder(TestDatabase db, List<String> properties, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(properties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BillingApplication.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(db.env());
        return builder;
    }
}
