package com.acme.billing;

import com.acme.billing.cli.BillingCli;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot application behind {@code jobs/billing}; the command line itself is
 * {@link BillingCli} (picocli), which starts this application once a command has been parsed.
 */
@SpringBootApplication
public class BillingApplication {

    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out, System.err, args));
    }

    /** Runs one command; returns the exit code (0 ok, 1 a job failed, 2 bad invocation or input). */
    public static int run(Map<String, String> env, PrintStream out, PrintStream err, String... args) {
        return BillingCli.run(env, out, err, args);
    }

    /** As {@link #run(Map, PrintStream, PrintStream, String...)}, reading standard input from {@code in}. */
    public static int run(Map<String, String> env, java.io.InputStream in, PrintStream out, PrintStream err, String... args) {
        return BillingCli.run(env, in, out, err, args);
    }

    /**
     * The embedded database. AUTO_SERVER lets {@code serve} and a cron job share it; WRITE_DELAY=0
     * writes every commit out at once: H2's default (a second later, from a background thread) lost
     * the last commits of a process killed with -9, measured by the kill-and-restart tests.
     */
    public static String defaultH2Url(Path home) {
        return "jdbc:h2:file:" + home.resolve("db").resolve("billing") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }
}
