package com.acme.billing.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.BillingApplication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

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
        // C1 only, as the test JVMs (pom.xml): a started process spends most of its life starting.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-XX:TieredStopAtLevel=1"));
        command.addAll(properties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BillingApplication.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(db.env());
        return builder;
    }

    /**
     * Reads the process's stderr and kills it (SIGKILL: no shutdown hook runs) at the first line that matches; waits for it to
     * end and asserts that the kill, not the end of the command, ended it. Returns the stderr lines read, the matching one last.
     */
    public static List<String> killWhen(Process process, Predicate<String> when) throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Boolean> killed = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    seen.add(line);
                    if (when.test(line)) {
                        process.destroyForcibly();
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(killed.get(10, TimeUnit.SECONDS)).as("killed; stderr was: " + seen).isTrue();
        assertThat(process.exitValue()).isEqualTo(137);
        return List.copyOf(seen);
    }
}
