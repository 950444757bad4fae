package com.acme.billing.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code console-user create|list} (SPEC 12): the password from standard input, kept only as a bcrypt hash. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class ConsoleUserCommandTest {

    static final String PASSWORD = "correct horse battery";

    @TempDir
    Path tmp;

    @Parameter
    TestDatabase.Kind kind;

    TestDatabase db;
    Cli cli;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(kind, tmp.resolve("home"));
        cli = db.cli();
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void createsAccountsFromStandardInputAndRefusesWhatCannotSignIn() throws Exception {
        Map<String, Object> created = cli.withInput(PASSWORD + "\n")
                .ok("console-user", "create", "--email", " Ann@Example.COM ", "--role", "finance", "--json").json();
        assertThat(created).containsEntry("email", "ann@example.com").containsEntry("role", "finance").containsEntry("user_id", null);
        cli.withInput(PASSWORD + "\r\n").ok("console-user", "create", "--email", "alice@example.com", "--role", "customer", "--user", "alice");

        record Refusal(List<String> args, String input, String message) {
        }
        for (Refusal r : List.of(
                new Refusal(List.of("--email", "bob@example.com", "--role", "operator"), "short\n",
                        "the password (read from standard input) must have at least 12 characters"),
                new Refusal(List.of("--email", "bob@example.com", "--role", "operator"), "",
                        "the password (read from standard input) must have at least 12 characters"),
                new Refusal(List.of("--email", "ANN@example.com", "--role", "operator"), PASSWORD + "\n",
                        "--email: ann@example.com has a console account already"),
                new Refusal(List.of("--email", "not-an-address", "--role", "operator"), PASSWORD + "\n",
                        "--email: 'not-an-address' is not an e-mail address"),
                new Refusal(List.of("--email", "svc@example.com", "--role", "service"), PASSWORD + "\n",
                        "--role: service is for API keys (programs), not for people signing in"),
                new Refusal(List.of("--email", "carol@example.com", "--role", "customer"), PASSWORD + "\n",
                        "a customer signs in to one user's billing: give --user ID"))) {
            List<String> args = Stream.concat(Stream.of("console-user", "create"), r.args().stream()).toList();
            Cli.Result result = cli.withInput(r.input()).run(args.toArray(String[]::new));
            assertThat(result.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.err()).as(String.join(" ", args)).isEqualTo("billing: " + r.message() + "\n");
        }

        Cli.Result list = cli.ok("console-user", "list");
        assertThat(list.out()).isEqualTo("""
                2 console account(s)
                     1  ann@example.com                  finance   -
                     2  alice@example.com                customer  alice
                """);
        // Only bcrypt hashes (cost 11) are stored; the password is in no column, no log line.
        List<String> hashes = db.jdbc().queryForList("SELECT password_hash FROM console_users ORDER BY console_user_id", String.class);
        assertThat(hashes).allSatisfy(h -> assertThat(h).startsWith("$2a$11$").hasSize(60));
        assertThat(hashes.get(0)).isNotEqualTo(hashes.get(1));
        try (Stream<Path> files = Files.walk(db.home().resolve("logs"))) {
            for (Path log : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(log)).doesNotContain(PASSWORD);
            }
        }
    }
}
