package com.acme.billing.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.tools.UsageLogGenerator;
import com.acme.billing.support.Cli;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, from an empty BILLING_HOME, and the sample data behind it. */
class DemoTest {

    @TempDir
    Path tmp;

    @Test
    void theDemoRunsThePipelineOnTheSampleDataFromAnEmptyHomeAndAgain() throws Exception {
        Cli cli = new Cli(Map.of("BILLING_HOME", tmp.resolve("demo").toString(), "BILLING_SAMPLE_DATA", "sample-data"));

        Cli.Result first = cli.ok("demo", "--json");

        // sample-data/usage was generated with 99,500 + 1,200 events, 300 + 20 exact repeats, and
        // 160 + 40 + 10 bad or conflicting lines (the commands in sample-data/README.md).
        assertThat(first.json()).containsEntry("accepted", 100_700).containsEntry("duplicates", 320).containsEntry("rejected", 210);
        assertThat(first.out()).contains("import-catalog", "import-subscriptions", "ingest", "Where things are:", "rejected lines");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) cli.ok("usage", "--period", "2026-10", "--json").json().get("rows");
        assertThat(first.json()).containsEntry("usage_rows", rows.size())
                .containsEntry("breaches", (int) rows.stream().filter(r -> Boolean.TRUE.equals(r.get("breached"))).count());
        assertThat(rows).hasSize(780);
        // The push is a dry run: every finalized line with an amount, plus a customer for each user without one.
        Map<String, Object> dry = cli.ok("push-stripe", "--period", "2026-10", "--dry-run", "--json").json();
        assertThat(first.json()).containsEntry("stripe_requests_dry_run", ((List<?>) dry.get("requests")).size());
        assertThat(dry).containsEntry("already_pushed", 0).containsEntry("pending", 242);
        assertThat(first.out()).contains("push-stripe --period 2026-10 --dry-run: would send 268 requests (26 customers to create, 242 invoice items)");

        // Five sample customers, encrypted with the key set the demo made in its home; their statements show them, and
        // later commands on the demo's home find that key set without BILLING_ENCRYPTION_KEYSET.
        assertThat(first.json()).containsEntry("customers", 5);
        assertThat(tmp.resolve("demo/keys/demo-keyset.json")).exists();
        assertThat(com.acme.billing.support.PdfText.of(tmp.resolve("demo/reports/2026-10/invoices/INV-2026-10-user-000001.pdf")))
                .contains(" Bill to Nordlicht Analytics GmbH Friedrichstraße 120 10117 Berlin Germany VAT ID DE123456789 Account user-000001 ");
        assertThat(cli.ok("keys", "reencrypt", "--json").json()).containsEntry("rewritten", 0).containsEntry("already_current", 5)
                .containsEntry("file", tmp.resolve("demo/keys/demo-keyset.json").toAbsolutePath().normalize().toString());

        Cli.Result second = cli.ok("demo", "--json");
        assertThat(second.json()).containsEntry("accepted", 100_700).containsEntry("execution_id", 1);
    }

    @Test
    void theDemoNeverEmptiesAFolderItDidNotMake() throws Exception {
        Path home = tmp.resolve("precious");
        Files.createDirectories(home);
        Files.writeString(home.resolve("ledger.txt"), "keep me");

        Cli.Result refused = new Cli(Map.of("BILLING_HOME", home.toString())).run("demo");

        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("demo needs an empty BILLING_HOME");
        assertThat(home.resolve("ledger.txt")).hasContent("keep me");
    }

    @Test
    void theGeneratorWritesTheSameBytesForTheSameSeed() throws Exception {
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        for (String name : List.of("a.jsonl", "b.jsonl", "c.jsonl")) {
            String seed = name.startsWith("c") ? "8" : "7";
            assertThat(UsageLogGenerator.main(new String[] {"--events", "5000", "--users", "50", "--period", "2028-02", "--seed", seed,
                    "--format", "jsonl", "--ids", "uuid", "--duplicates", "10", "--bad-lines", "10", "--out", tmp.resolve(name).toString()},
                    quiet, quiet)).isZero();
        }
        assertThat(Files.mismatch(tmp.resolve("a.jsonl"), tmp.resolve("b.jsonl"))).isEqualTo(-1);
        assertThat(Files.mismatch(tmp.resolve("a.jsonl"), tmp.resolve("c.jsonl"))).isNotEqualTo(-1);
        List<String> lines = Files.readAllLines(tmp.resolve("a.jsonl"));
        assertThat(lines).hasSize(5020);
        assertThat(lines).filteredOn(l -> l.contains("\"timestamp\":\"2028-02-29T")).isNotEmpty();
    }
}
