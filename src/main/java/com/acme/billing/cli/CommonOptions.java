package com.acme.billing.cli;

import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The settings every command takes (SPEC 1): flags win over the environment, which wins over application.yml. */
public final class CommonOptions {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this command's options")
    boolean help;

    @Option(names = "--json", description = "print the result as one JSON object on the last line")
    boolean json;

    @Option(names = "--home", paramLabel = "DIR", description = "BILLING_HOME (default ./var)")
    Path home;

    @Option(names = "--db-url", paramLabel = "URL", description = "BILLING_DB_URL (default: H2 under BILLING_HOME)")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER", description = "BILLING_DB_USER")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", description = "BILLING_DB_PASSWORD")
    String dbPassword;

    @Option(names = "--now", paramLabel = "INSTANT", description = "BILLING_NOW: fixes the clock (ISO-8601 instant)")
    Instant now;
}
