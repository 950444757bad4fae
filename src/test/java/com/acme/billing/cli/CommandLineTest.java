package com.acme.billing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The command line as a user meets it: an option a command does not take, a value of the wrong type
 * or a missing one is exit 2 naming it, before anything starts or is written.
 */
class CommandLineTest {

    @TempDir
    Path home;

    static List<Arguments> badInvocations() {
        return List.of(
                // Each of these used to run: finalize finalized for real, ingest ignored the port, import-catalog imported.
                Arguments.of(List.of("finalize", "--period", "2026-10", "--dry-run"), "Unknown option: '--dry-run'"),
                Arguments.of(List.of("ingest", "--port", "9", "x.csv"), "Unknown option: '--port'"),
                Arguments.of(List.of("import-catalog", "sample-data/catalog.yaml", "--dry-run"), "Unknown option: '--dry-run'"),
                // This one exited 1 after starting a job.
                Arguments.of(List.of("reports", "--period", "2026-13"),
                        "Invalid value for option '--period': '2026-13' is not a month YYYY-MM such as 2026-10"),
                Arguments.of(List.of("close-period", "--period", "October"), "'October' is not a month YYYY-MM"),
                Arguments.of(List.of("usage"), "Missing required option: '--period=YYYY-MM'"),
                Arguments.of(List.of("ingest", "--bogus"), "Unknown option: '--bogus'"),
                Arguments.of(List.of("restart", "abc"), "Invalid value for positional parameter at index 0 (ID): 'abc' is not a long"),
                Arguments.of(List.of("restart"), "Missing required parameter: 'ID'"),
                Arguments.of(List.of("import-catalog", "a.yaml", "b.yaml"), "Unmatched argument: 'b.yaml'"),
                Arguments.of(List.of("serve", "--port", "99999"), "--port 99999 is not a port number"),
                Arguments.of(List.of("serve", "--port", "http"), "'http' is not an int"),
                Arguments.of(List.of("alerts", "--since", "yesterday"), "'yesterday' is not an ISO-8601 instant"),
                Arguments.of(List.of("executions", "--now", "noon"), "'noon' is not an ISO-8601 instant"),
                Arguments.of(List.of("usage", "--period", "2026-10", "--user", "../../x"), "Invalid value for option '--user': bad user id"),
                Arguments.of(List.of("frobnicate"), "Unmatched argument: 'frobnicate'"),
                // Checks picocli's types cannot express run before anything is opened, too.
                Arguments.of(List.of("ingest"), "ingest takes FILE or DIR arguments, or --inbox (not both)"),
                Arguments.of(List.of("ingest", "--inbox", "x.csv"), "ingest takes FILE or DIR arguments, or --inbox (not both)"),
                Arguments.of(List.of("api-key", "create", "--role", "customer"), "a customer key is bound to one user: give --user ID"));
    }

    @ParameterizedTest
    @MethodSource("badInvocations")
    void aBadInvocationExitsWith2NamingTheProblemAndWritesNothing(List<String> args, String message) throws IOException {
        Cli.Result result = cli().run(args.toArray(String[]::new));
        assertThat(result.exit()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains(message);
        try (var files = Files.list(home)) {
            assertThat(files.toList()).as("nothing created in BILLING_HOME").isEmpty();
        }
    }

    @Test
    void aBadInvocationWithJsonEndsWithTheErrorObject() {
        Cli.Result result = cli().run("reports", "--period", "2026-13", "--json");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.json()).isEqualTo(Map.of("error",
                "Invalid value for option '--period': '2026-13' is not a month YYYY-MM such as 2026-10"));
    }

    /** A mistyped or misplaced secret is refused without being repeated, on stderr, stdout or in --json. */
    @ParameterizedTest
    @MethodSource("secretsInBadInvocations")
    void aRefusedCommandLineNeverRepeatsAValue(List<String> args) {
        Cli.Result result = cli().run(args.toArray(String[]::new));
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err() + result.out()).contains("--db-pas").doesNotContain("s3cret");
    }

    static List<List<String>> secretsInBadInvocations() {
        return List.of(List.of("nightly", "--db-pasword=s3cret"), List.of("--db-password", "s3cret", "nightly"),
                List.of("executions", "--db-pasword", "s3cret", "--json"), List.of("--db-password=s3cret", "executions", "--json"));
    }

    @Test
    void anAtSignIsAnArgumentNotAFileToRead() throws IOException {
        Path secrets = home.resolve("billing.env");
        Files.writeString(secrets, "STRIPE_API_KEY=sk_live_s3cret\n");
        Cli.Result result = cli().run("executions", "@" + secrets);
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("Unmatched argument: '@" + secrets + "'").doesNotContain("s3cret");
    }

    @Test
    void helpAsACommandShowsTheSameHelp() {
        assertThat(cli().ok("help").out()).isEqualTo(cli().ok("--help").out());
        assertThat(cli().ok("help", "close-period").out()).isEqualTo(cli().ok("close-period", "--help").out());
    }

    /**
     * A command named first is parsed by a command line that holds it alone (BillingCli.commandLineFor); its help, options and
     * converters are those of the full command line, for every command and sub-command.
     */
    @Test
    void eachCommandParsedAloneHasTheHelpOfTheFullCommandLine() {
        Map<String, CommandLine> all = BillingCli.commandLine().getSubcommands();
        assertThat(all).hasSize(28);
        for (Map.Entry<String, CommandLine> command : all.entrySet()) {
            CommandLine alone = BillingCli.commandLineFor(command.getKey(), "--help");
            assertThat(alone.getSubcommands().keySet()).containsExactly(command.getKey());
            assertThat(cli().ok(command.getKey(), "--help").out()).isEqualTo(cli().ok("help", command.getKey()).out());
            for (String sub : command.getValue().getSubcommands().keySet()) {
                assertThat(alone.getSubcommands().get(command.getKey()).getSubcommands().get(sub).getUsageMessage(CommandLine.Help.Ansi.OFF))
                        .isEqualTo(command.getValue().getSubcommands().get(sub).getUsageMessage(CommandLine.Help.Ansi.OFF));
            }
        }
        assertThat(BillingCli.commandLineFor("--help").getSubcommands()).hasSize(28);
        assertThat(BillingCli.commandLineFor("no-such-command").getSubcommands()).hasSize(28);
    }

    /** picocli formats descriptions with String.format: a bare '%' garbles the help and warns on stderr. */
    @Test
    void everyCommandsHelpFormatsWithoutWarnings() {
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            List<CommandLine> commands = new java.util.ArrayList<>(List.of(BillingCli.commandLine()));
            for (int i = 0; i < commands.size(); i++) {
                commands.get(i).getUsageMessage(CommandLine.Help.Ansi.OFF);
                commands.addAll(commands.get(i).getSubcommands().values());
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void helpListsEveryCommandOnOneLineEach() {
        Cli.Result help = cli().ok("--help");
        Set<String> commands = BillingCli.commandLine().getSubcommands().keySet();
        assertThat(commands).hasSize(28);
        for (String command : commands) {
            assertThat(help.out()).containsPattern("(?m)^  " + Pattern.quote(command) + " +\\S.*$");
            // Every line of the command list is either a command or its one-line header: nothing wraps.
        }
        List<String> listed = help.out().lines().dropWhile(l -> !l.equals("Commands:")).skip(1)
                .takeWhile(l -> !l.isEmpty()).toList();
        assertThat(listed).hasSize(commands.size()).allMatch(l -> l.length() <= 80);
    }

    @Test
    void eachCommandsHelpShowsItsOwnOptionsOnly() {
        Cli.Result help = cli().ok("finalize", "--help");
        assertThat(help.out()).contains("--period=YYYY-MM").contains("--json").contains("--home=DIR").doesNotContain("--dry-run");
        assertThat(cli().ok("close-period", "--help").out()).contains("--dry-run");
    }

    /** The README's command table is the --help list: every command documented, none that does not exist. */
    @Test
    void theReadmeDocumentsExactlyTheCommandsThatExist() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("| command | what it does |"));
        table = table.substring(0, table.indexOf("\n\n"));
        Matcher row = Pattern.compile("(?m)^\\| `([a-z-]+)").matcher(table);
        Set<String> documented = new java.util.TreeSet<>();
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).isEqualTo(BillingCli.commandLine().getSubcommands().keySet().stream()
                .collect(Collectors.toCollection(java.util.TreeSet::new)));
    }

    private Cli cli() {
        return new Cli(Map.of("BILLING_HOME", home.toString()));
    }
}
