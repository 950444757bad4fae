package com.acme.billing.user;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.Stores;
import com.acme.billing.support.TestDatabase;
import com.opencsv.CSVReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile user ids at the file doors, as an operator meets them: a usage log keeps its good lines and
 * rejects each hostile one by line number; a subscription file holding one is refused whole. The
 * period then closes and renders for the good users, every statement inside the invoices folder.
 * (The webhook door is in WebhookTest.)
 */
@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class HostileUserIdsCommandsTest {

    @Parameter
    TestDatabase.Kind kind;

    @TempDir
    Path tmp;

    TestDatabase db;
    Cli cli;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(kind, tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", "2026-11-05T00:00:00Z");
        cli.ok("import-catalog", "sample-data/catalog.yaml");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aUsageLogRejectsEachHostileIdByLineAndIngestsTheRest() throws IOException {
        Path csv = write("hostile.csv", "event_id,timestamp,user_id,metric,quantity\n"
                + "e1,2026-10-01T00:00:00Z,good-user,emails_processed,3\n"
                + "e2,2026-10-01T00:00:01Z,../../x,emails_processed,1\n"
                + "e3,2026-10-01T00:00:02Z,\"a,b\"\"c\",emails_processed,1\n"
                + "e4,2026-10-01T00:00:03Z,\"=HYPERLINK(\"\"http://e\"\")\",emails_processed,1\n"
                + "e5,2026-10-01T00:00:04Z,,emails_processed,1\n"
                + "e6,2026-10-01T00:00:05Z," + "x".repeat(5000) + ",emails_processed,1\n"
                + "e8,2026-10-02T00:00:00Z,good-user,emails_processed,4\n");
        // A NUL byte in a CSV makes the whole file binary (refused before any line); in JSON Lines it is an escape.
        Path jsonl = write("hostile.jsonl", """
                {"event_id":"j1","timestamp":"2026-10-03T00:00:00Z","user_id":"a\\nb","metric":"ai_responses","quantity":1}
                {"event_id":"j2","timestamp":"2026-10-03T00:00:00Z","user_id":"a\\u0000b","metric":"ai_responses","quantity":1}
                {"event_id":"j3","timestamp":"2026-10-03T00:00:00Z","user_id":"good-user","metric":"ai_responses","quantity":2}
                """);

        Map<String, Object> json = cli.ok("ingest", csv.toString(), jsonl.toString(), "--json").json();

        assertThat(json).containsEntry("accepted", 3).containsEntry("duplicates", 0).containsEntry("rejected", 7);
        // An empty field is missing_field (SPEC 2), whatever the column.
        assertThat(rejects("hostile.csv")).containsExactly("3 bad_user_id", "4 bad_user_id", "5 bad_user_id", "6 missing_field",
                "7 bad_user_id");
        assertThat(rejects("hostile.jsonl")).containsExactly("1 bad_user_id", "2 bad_user_id");
        assertThat(Stores.usageMetrics(db)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "good-user|emails_processed|2026-10", 7L,
                "good-user|ai_responses|2026-10", 2L)));
        assertThat(Stores.storedEvents(db)).isEqualTo(3);

        // Nothing hostile got in, so the month closes and renders for everyone.
        Path subs = write("subs.csv", "user_id,effective_at,action,tier,stripe_customer_id\ngood-user,2026-09-01T00:00:00Z,subscribe,starter,\n");
        cli.ok("import-subscriptions", subs.toString());
        cli.ok("close-period", "--period", "2026-10");
        cli.ok("reports", "--period", "2026-10");
        try (Stream<Path> files = Files.list(db.home().resolve("reports/2026-10/invoices"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("INV-2026-10-good-user.pdf");
        }
    }

    @Test
    void aSubscriptionFileHoldingAHostileIdIsRefusedWholeNamingTheLineAndNothingIsStored() throws IOException {
        Path subs = write("subs.csv", "user_id,effective_at,action,tier,stripe_customer_id\n"
                + "alice,2026-10-01T00:00:00Z,subscribe,starter,cus_A\n"
                + "\"=HYPERLINK(\"\"http://e\"\")\",2026-10-02T00:00:00Z,subscribe,starter,\n"
                + "bob,2026-10-03T00:00:00Z,subscribe,pro,\n");

        Cli.Result result = cli.run("import-subscriptions", subs.toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out() + result.err()).contains("subs.csv: 1 bad line(s), nothing imported:\n  line 3: bad user_id "
                + "'=HYPERLINK(\"http://e\")': character '=' (U+003D) at position 1 is not allowed (1-64 characters of [A-Za-z0-9._:@-])");
        assertNothingStored();
    }

    @Test
    void aSubscriptionFileWithAFractionOfASecondIsRefusedWholeNamingTheLineAndNothingIsStored() throws IOException {
        Path subs = write("subs.csv", "user_id,effective_at,action,tier,stripe_customer_id\n"
                + "alice,2026-10-01T00:00:00Z,subscribe,starter,cus_A\n"
                + "alice,2026-10-20T12:00:00.5Z,change,pro,\n");

        Cli.Result result = cli.run("import-subscriptions", subs.toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out() + result.err()).contains("subs.csv: 1 bad line(s), nothing imported:\n"
                + "  line 3: effective_at '2026-10-20T12:00:00.5Z' has a fraction of a second (whole seconds only)");
        assertNothingStored();
    }

    private void assertNothingStored() {
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM subscription_changes", Long.class)).isZero();
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM subscriptions", Long.class)).isZero();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    /** "line reason" of each row of the file's rejects (the raw column is left to the rejects format). */
    private List<String> rejects(String file) throws IOException {
        List<String> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(db.home().resolve("rejects/" + file + ".rejects.csv")); CSVReader csv = new CSVReader(reader)) {
            csv.skip(1);
            for (String[] row : csv) {
                rows.add(row[0] + " " + row[1]);
            }
        }
        return rows;
    }
}
