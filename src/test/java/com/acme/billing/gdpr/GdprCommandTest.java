package com.acme.billing.gdpr;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.October;
import com.acme.billing.support.PdfText;
import com.acme.billing.support.Stores;
import com.acme.billing.support.TestDatabase;
import com.acme.billing.user.UserId;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code gdpr export} and {@code gdpr erase} (SPEC 11) on the October of the CLI tests, closed, finalized and
 * reported, with alice also in every other table that can name a user: an API key, a console account, a
 * rejected line, an event tracked online, a Stripe push, a payment, a webhook event, an alert.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class GdprCommandTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** alice as a whole id: not inside INV-2026-10-alice (a legal number, kept), nor inside alice2. */
    static final Pattern ALICE = Pattern.compile("(?<![A-Za-z0-9._@-])alice(?![A-Za-z0-9_@-])");
    static final Pattern BOB = Pattern.compile("(?<![A-Za-z0-9._@-])bob(?![A-Za-z0-9_@-])");

    @TempDir
    Path tmp;

    @Parameter
    TestDatabase.Kind kind;

    TestDatabase db;

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void exportHoldsEverythingAndEraseLeavesNoTraceWhileEveryTotalStays() throws Exception {
        db = TestDatabase.create(kind, tmp.resolve("home"));
        // alice's profile (import-customers, encrypted with a key set of the test's own)
        Path keyset = tmp.resolve("keyset.json");
        db.cli().ok("keys", "create", keyset.toString());
        Cli cli = db.cli().with("BILLING_NOW", "2026-11-04T00:00:00Z").with("BILLING_ENCRYPTION_KEYSET", keyset.toString());
        Files.writeString(tmp.resolve("customers.csv"), "user_id,name,email,address,country,vat_id\n"
                + "alice,Alice Liddell,alice@example.com,1 Rabbit Hole Lane; Oxford,GB,GB123456789\n");
        cli.ok("import-customers", tmp.resolve("customers.csv").toString());
        October.withUsage(cli, tmp, """
                a1,2026-10-05T00:00:00Z,alice,emails_processed,6000
                a2,2026-10-06T00:00:00Z,alice,leads_created,350
                a3,2026-10-20T00:00:00Z,alice,ai_responses,10
                a9,2026-10-07T00:00:00Z,alice,unknown_metric,1
                b1,2026-10-15T00:00:00Z,bob,emails_processed,100
                b9,2026-10-16T00:00:00Z,bob,emails_processed,-1
                c1,2026-10-03T00:00:00Z,carol,ai_responses,9000
                """);
        cli.ok("api-key", "create", "--role", "customer", "--user", "alice", "--name", "alice's app");
        cli.withInput("correct horse battery\n").ok("console-user", "create", "--email", "alice@example.com", "--role", "customer", "--user", "alice");
        cli.ok("close-period", "--period", "2026-10");
        cli.ok("finalize", "--period", "2026-10");
        cli.ok("reports", "--period", "2026-10");
        JdbcTemplate jdbc = db.jdbc();
        String line = jdbc.queryForObject("SELECT line_id FROM invoice_lines WHERE invoice_id = 'INV-2026-10-alice' AND line_type = 'base_fee'", String.class);
        jdbc.update("INSERT INTO stripe_pushes (line_id, period, invoice_id, user_id, status, stripe_item_id, attempts, updated_at) "
                + "VALUES (?, '2026-10', 'INV-2026-10-alice', 'alice', 'pushed', 'ii_1', 1, TIMESTAMP WITH TIME ZONE '2026-11-04 00:00:00+00')", line);
        jdbc.update("INSERT INTO invoice_payments (invoice_id, status, stripe_invoice_id, event_id, event_created, updated_at) VALUES "
                + "('INV-2026-10-alice', 'paid', 'in_1', 'evt_paid', TIMESTAMP WITH TIME ZONE '2026-11-05 00:00:00+00', TIMESTAMP WITH TIME ZONE '2026-11-05 00:00:00+00')");
        jdbc.update("INSERT INTO webhook_events (event_id, type, created, received_at, outcome, payload) VALUES ('evt_paid', 'invoice.paid', "
                + "TIMESTAMP WITH TIME ZONE '2026-11-05 00:00:00+00', TIMESTAMP WITH TIME ZONE '2026-11-05 00:00:01+00', 'paid: INV-2026-10-alice', ?)",
                """
                {"id":"evt_paid","type":"invoice.paid","data":{"object":{"id":"in_1","customer":"cus_A","customer_email":"alice@example.com",\
                "customer_name":"Alice Liddell","metadata":{"invoice_id":"INV-2026-10-alice","user_id":"alice"},"lines":{"data":[]}}}}""");
        jdbc.update("INSERT INTO webhook_events (event_id, type, created, received_at, outcome, payload) VALUES ('evt_other', 'invoice.paid', "
                + "TIMESTAMP WITH TIME ZONE '2026-11-05 00:00:00+00', TIMESTAMP WITH TIME ZONE '2026-11-05 00:00:02+00', 'ignored', "
                + "'{\"id\":\"evt_other\",\"data\":{\"object\":{\"customer\":\"cus_Z\"}}}')");
        jdbc.update("INSERT INTO alerts (type, user_id, invoice_id, at, message, source, dedupe_key) VALUES ('cancellation', 'alice', NULL, "
                + "TIMESTAMP WITH TIME ZONE '2026-10-25 00:00:00+00', 'alice cancelled at 2026-10-25T00:00:00Z (Stripe)', 'stripe webhook evt_c', "
                + "'cancellation:alice:2026-10-25T00:00:00Z')");
        jdbc.update("INSERT INTO tracked_events (event_id, ts_us, yyyymm, user_id, metric, quantity, tracked_at) VALUES "
                + "('t1', 1793577600000000, 202611, 'alice', 'ai_responses', 5, TIMESTAMP WITH TIME ZONE '2026-11-03 00:00:00+00')");
        // and its unmoved sum, as serve's track commits it with the event
        jdbc.update("INSERT INTO tracked_usage (yyyymm, user_id, metric, quantity) VALUES (202611, 'alice', 'ai_responses', 5)");

        List<String> invoiceIds = jdbc.queryForList("SELECT invoice_id FROM invoices ORDER BY invoice_id", String.class);
        assertThat(invoiceIds).containsExactly("INV-2026-10-alice", "INV-2026-10-bob", "INV-2026-10-carol");
        assertThat(periodTotal(jdbc)).isEqualByComparingTo("265.89");

        // Export: one JSON document, exact counts, the invoice and its lines with amounts as strings. Alerts: the cancellation above
        // and ingest's limit alerts (emails 6,000 of 5,000 and leads 350 of 200 on starter: a warning and a reached each).
        // Usage: 16 rows, among them the tracked event and its month's unmoved sum in tracked_usage (0 once the export moved it).
        Path out = tmp.resolve("alice.json");
        Map<String, Object> exported = cli.ok("gdpr", "export", "--user", "alice", "--out", out.toString(), "--json").json();
        assertThat(exported.get("counts")).isEqualTo(Map.ofEntries(Map.entry("profile", 1), Map.entry("subscription", 2), Map.entry("usage", 16),
                Map.entry("usage_events", 4), Map.entry("invoices", 4), Map.entry("stripe", 1), Map.entry("webhook_events", 1), Map.entry("alerts", 5),
                Map.entry("access", 2), Map.entry("experiments", 0), Map.entry("job_bookmarks", 0)));
        JsonNode doc = JSON.readTree(Files.readString(out));
        assertThat(doc.propertyNames()).containsExactly("user_id", "exported_at", "profile", "subscription", "usage", "usage_events", "invoices",
                "stripe", "webhook_events", "alerts", "access", "experiments");
        assertThat(doc.path("usage").path("by_month").toString()).isEqualTo("[{\"month\":\"2026-10\",\"metric\":\"ai_responses\",\"quantity\":10},"
                + "{\"month\":\"2026-10\",\"metric\":\"emails_processed\",\"quantity\":6000},{\"month\":\"2026-10\",\"metric\":\"leads_created\",\"quantity\":350},"
                + "{\"month\":\"2026-11\",\"metric\":\"ai_responses\",\"quantity\":5}]");
        assertThat(doc.path("usage_events").path("stored").asLong()).isEqualTo(4);
        assertThat(doc.path("profile").toString()).isEqualTo("{\"name\":\"Alice Liddell\",\"email\":\"alice@example.com\","
                + "\"address\":\"1 Rabbit Hole Lane; Oxford\",\"country\":\"GB\",\"vat_id\":\"GB123456789\"}");
        JsonNode invoice = doc.path("invoices").get(0);
        assertThat(invoice.path("invoice_id").asString()).isEqualTo("INV-2026-10-alice");
        assertThat(invoice.path("total").asString()).isEqualTo("95.50");
        assertThat(invoice.path("status").asString()).isEqualTo("finalized");
        assertThat(invoice.path("payment").path("status").asString()).isEqualTo("paid");
        List<String> amounts = new ArrayList<>();
        invoice.path("lines").forEach(l -> amounts.add(l.path("line_type").asString() + " " + l.path("amount").asString()));
        assertThat(amounts).containsExactly("base_fee 29.00", "overage 4.00", "overage 62.50");
        assertThat(doc.path("access").path("console_users").get(0).path("email").asString()).isEqualTo("alice@example.com");
        assertThat(doc.path("webhook_events").get(0).path("payload").path("data").path("object").path("customer_name").asString())
                .isEqualTo("Alice Liddell");
        assertThat(doc.toString()).doesNotContain("password_hash").doesNotContain("key_hash");

        // Export moved the event tracked online into the event store, as every command that reads usage does.
        TreeMap<String, Long> eventsBefore = Stores.storedTotals(db);
        assertThat(eventsBefore).containsEntry("alice|ai_responses|202611", 5L);

        // What the checks below look for is there before the erase.
        assertThat(rowsNaming(jdbc, ALICE)).anyMatch(r -> r.equalsIgnoreCase("invoices.user_id=alice"))
                .anyMatch(r -> r.equalsIgnoreCase("console_users.user_id=alice")).anyMatch(r -> r.toLowerCase().startsWith("webhook_events.payload="));
        assertThat(filesNaming(db.home().resolve("reports/2026-10"), ALICE)).isNotEmpty();
        assertThat(filesNaming(db.home().resolve("rejects"), ALICE)).hasSize(1);

        // Erase.
        Map<String, Object> erased = cli.ok("gdpr", "erase", "--user", "alice", "--json").json();
        String pseudonym = (String) erased.get("pseudonym");
        assertThat(pseudonym).matches("erased-[0-9a-f]{8}");
        assertThat(UserId.isValid(pseudonym)).isTrue();
        assertThat(erased).containsEntry("resumed", false).containsEntry("file_lines_removed", 1).containsEntry("reports_rendered", List.of("2026-10"));
        // deleted usage: the tracked event, its tracked_usage row and the reports' per-day copy
        assertThat(erased.get("deleted")).isEqualTo(Map.ofEntries(Map.entry("profile", 1), Map.entry("subscription", 0), Map.entry("usage", 5),
                Map.entry("usage_events", 4), Map.entry("invoices", 0), Map.entry("stripe", 0), Map.entry("webhook_events", 0), Map.entry("alerts", 0),
                Map.entry("access", 1), Map.entry("experiments", 0), Map.entry("job_bookmarks", 0)));
        assertThat(erased.get("pseudonymized")).isEqualTo(Map.ofEntries(Map.entry("profile", 0), Map.entry("subscription", 2), Map.entry("usage", 11),
                Map.entry("usage_events", 4), Map.entry("invoices", 4), Map.entry("stripe", 1), Map.entry("webhook_events", 1), Map.entry("alerts", 5),
                Map.entry("access", 1), Map.entry("experiments", 0), Map.entry("job_bookmarks", 0)));

        // No row anywhere names alice (invoice and line ids keep her id inside the legal number, SPEC 11).
        assertThat(rowsNaming(jdbc, ALICE)).isEmpty();
        for (GdprTables.UserColumn c : GdprTables.USER_COLUMNS) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + c.table() + " WHERE " + c.column() + " = 'alice'", Long.class))
                    .as(c.table()).isZero();
        }
        assertThat(jdbc.queryForList("SELECT invoice_id FROM invoices ORDER BY invoice_id", String.class)).isEqualTo(invoiceIds);
        assertThat(jdbc.queryForObject("SELECT user_id FROM invoices WHERE invoice_id = 'INV-2026-10-alice'", String.class)).isEqualTo(pseudonym);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM console_users", Long.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL", Long.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT pending_user_id FROM gdpr_erasures WHERE pseudonym = ?", String.class, pseudonym)).isNull();
        String payload = jdbc.queryForObject("SELECT payload FROM webhook_events WHERE event_id = 'evt_paid'", String.class);
        assertThat(payload).doesNotContain("Alice Liddell").doesNotContain("alice@example.com").contains("\"user_id\":\"" + pseudonym + "\"")
                .contains("\"invoice_id\":\"INV-2026-10-alice\"");
        assertThat(jdbc.queryForList("SELECT dedupe_key FROM alerts WHERE user_id = ? ORDER BY id", String.class, pseudonym)).containsExactly(
                "limit_warning:" + pseudonym + ":emails_processed:2026-10", "limit_reached:" + pseudonym + ":emails_processed:2026-10",
                "limit_warning:" + pseudonym + ":leads_created:2026-10", "limit_reached:" + pseudonym + ":leads_created:2026-10",
                "cancellation:" + pseudonym + ":2026-10-25T00:00:00Z");

        // The event store: alice's raw events gone, their sums per segment under the pseudonym (one segment each month here).
        TreeMap<String, Long> eventsAfter = Stores.storedTotals(db);
        TreeMap<String, Long> expected = new TreeMap<>();
        eventsBefore.forEach((k, v) -> expected.put(k.startsWith("alice|") ? pseudonym + k.substring(5) : k, v));
        assertThat(eventsAfter).isEqualTo(expected);
        assertThat(Stores.storedEvents(db)).isEqualTo(4 + 2);
        if (kind == TestDatabase.Kind.POSTGRES) {
            // Every file and month of the events, the pseudonym's sums included, has its row for the ingest's roll-up (V25).
            assertThat(jdbc.queryForList("SELECT DISTINCT file_id || ':' || month FROM usage_events EXCEPT "
                    + "SELECT file_id || ':' || month FROM usage_event_file_months", String.class)).isEmpty();
            assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT file_id || ':' || month) FROM usage_events", Long.class)).isPositive();
        }

        // Reports rendered again: no file names alice outside her invoice's number, in CSV or PDF.
        Path reports = db.home().resolve("reports/2026-10");
        assertThat(filesNaming(reports, ALICE)).isEmpty();
        assertThat(PdfText.of(reports.resolve("invoices/INV-2026-10-alice.pdf"))).contains(pseudonym).contains("Total USD 95.50")
                .doesNotContain("Liddell").doesNotContain("Rabbit Hole").doesNotContain("GB123456789");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customers", Long.class)).isZero();
        assertThat(filesNaming(db.home().resolve("rejects"), ALICE)).isEmpty();
        assertThat(filesNaming(db.home().resolve("rejects"), BOB)).hasSize(1);

        // A second erase of alice finds nothing and changes nothing; so does an export.
        Cli.Result again = cli.run("gdpr", "erase", "--user", "alice", "--json");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.json()).containsEntry("error", "no data is held about this user id (never seen, or erased already); nothing written");
        assertThat(cli.run("gdpr", "export", "--user", "alice", "--out", tmp.resolve("again.json").toString()).exit()).isEqualTo(2);
        assertThat(tmp.resolve("again.json")).doesNotExist();
        assertThat(Stores.storedTotals(db)).isEqualTo(eventsAfter);

        // An erase that stopped half way (here: recorded, nothing else done) is finished by the same command, with its pseudonym.
        jdbc.update("INSERT INTO gdpr_erasures (pseudonym, pending_user_id, started_at) VALUES ('erased-0000beef', 'bob', "
                + "TIMESTAMP WITH TIME ZONE '2026-11-04 00:00:00+00')");
        Map<String, Object> bob = cli.ok("gdpr", "erase", "--user", "bob", "--json").json();
        assertThat(bob).containsEntry("pseudonym", "erased-0000beef").containsEntry("resumed", true);
        assertThat(rowsNaming(jdbc, BOB)).isEmpty();

        // Every total stays, and rating the finalized period again finds nothing to adjust.
        Map<String, Object> close = cli.ok("close-period", "--period", "2026-10", "--json").json();
        assertThat(close).containsEntry("invoices", 3).containsEntry("total", "265.89");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM invoices WHERE kind = 'adjustment'", Long.class)).isZero();
        assertThat(jdbc.queryForList("SELECT invoice_id FROM invoices ORDER BY invoice_id", String.class)).isEqualTo(invoiceIds);
        assertThat(periodTotal(jdbc)).isEqualByComparingTo("265.89");
        assertThat(jdbc.queryForObject("SELECT total FROM invoices WHERE invoice_id = 'INV-2026-10-alice'", BigDecimal.class)).isEqualByComparingTo("95.50");
        assertThat(rowsNaming(jdbc, ALICE)).isEmpty();
    }

    static BigDecimal periodTotal(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT SUM(total) FROM invoices WHERE period = '2026-10'", BigDecimal.class);
    }

    /** Every text cell of every table of the billing database that names the user as a whole id: "table.column=value". */
    static List<String> rowsNaming(JdbcTemplate jdbc, Pattern user) {
        List<String> found = new ArrayList<>();
        jdbc.execute((Connection c) -> {
            DatabaseMetaData meta = c.getMetaData();
            List<String[]> columns = new ArrayList<>();
            String schema = c.getSchema();
            try (ResultSet rs = meta.getColumns(null, schema, "%", "%")) {
                while (rs.next()) {
                    int type = rs.getInt("DATA_TYPE");
                    if (type == Types.VARCHAR || type == Types.CHAR || type == Types.LONGVARCHAR || type == Types.CLOB || type == Types.NVARCHAR) {
                        columns.add(new String[] {rs.getString("TABLE_NAME"), rs.getString("COLUMN_NAME")});
                    }
                }
            }
            for (String[] col : columns) {
                try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT \"" + col[1] + "\" FROM \"" + col[0] + "\"")) {
                    while (rs.next()) {
                        String value = rs.getString(1);
                        if (value != null && user.matcher(value).find()) {
                            found.add(col[0] + "." + col[1] + "=" + value);
                        }
                    }
                }
            }
            return null;
        });
        return found;
    }

    /** Files under dir (CSV as text, PDF as its text) whose name or content names the user as a whole id. */
    static List<String> filesNaming(Path dir, Pattern user) throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = f.toString().endsWith(".pdf") ? PdfText.of(f) : Files.readString(f);
                if (user.matcher(f.getFileName().toString()).find() || user.matcher(text).find()) {
                    found.add(f.toString());
                }
            }
        }
        return found;
    }
}
