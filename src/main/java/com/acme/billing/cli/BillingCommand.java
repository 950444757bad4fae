package com.acme.billing.cli;

import com.acme.billing.BillingApplication;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Mixin;

/**
 * One command of {@code jobs/billing}: its options are fields (picocli), it runs once the Spring
 * context is up, with the services it asks the {@link CommandContext} for, and returns the exit code.
 */
public abstract class BillingCommand {

    @Mixin
    CommonOptions common = new CommonOptions();

    /** Only {@code serve} listens on a port; every other command is a plain batch process. */
    boolean web() {
        return false;
    }

    /**
     * Whether this command runs a step that {@code billing.partitioning=remote} splits among workers (SPEC 13): only these
     * (and {@code worker}) start with RabbitMQ and Spring Integration configured.
     */
    boolean partitioned() {
        return false;
    }

    /**
     * Commands that read a little and end (an operator's look at the runs, a stop): Spring creates only the beans they
     * ask for (lazy initialization) instead of every job, step and service of the application, which is most of their
     * start-up (docs/benchmarks.md, "Start-up"). Flyway still migrates first: the data source's users depend on it.
     * The same commands, and {@code executions} (whose context is its own, {@link #springBeans}), get the quick compiler
     * alone from {@code jobs/billing} (its QUICK list, decided before Java starts): keep the two lists alike.
     */
    boolean fewBeans() {
        return false;
    }

    /**
     * The configuration Spring starts from: the whole application, or, for a command that only reads a table or two, a
     * context of its own with the database and the beans it uses ({@link OperatorQueryBeans}).
     */
    Class<?> springBeans() {
        return BillingApplication.class;
    }

    /** Only {@code worker} takes partition requests. */
    boolean partitionWorker() {
        return false;
    }

    String defaultHome() {
        return "./var";
    }

    /** The clock when neither --now nor BILLING_NOW is given; null is the system clock. */
    String defaultNow() {
        return null;
    }

    /**
     * Checks what picocli's types cannot express (a combination of options, a setting the command needs),
     * before anything is opened: a refusal here leaves BILLING_HOME untouched.
     */
    void validate(Map<String, String> env) {
    }

    /** Settings of this command's own (a port), added to those of {@link CommonOptions}. */
    void addSettings(Map<String, Object> settings) {
    }

    /** Runs before Spring starts (and so before the database or the log file is opened). */
    void prepareHome(Path home) {
    }

    abstract int run(CommandContext context) throws Exception;
}
