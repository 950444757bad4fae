package com.acme.billing.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.Stores;
import com.acme.billing.support.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code jobs/billing ingest} as a user runs it, on a real database: H2 with the DuckDB event store,
 * and PostgreSQL (subclasses). Every expected number is worked out by hand next to its file.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class IngestCommandTest {

    @TempDir
    Path tmp;

    TestDatabase db;
    Cli cli;

    /** Every test runs on H2 (with DuckDB) and on PostgreSQL. */
    @Parameter
    TestDatabase.Kind kind;

    TestDatabase.Kind kind() {
        return kind;
    }

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(kind(), tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", "2026-11-05T00:00:00Z");
        cli.ok("import-catalog", "sample-data/catalog.yaml");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    static final String FILE_A = """
            event_id,timestamp,user_id,metric,quantity
            e1,2026-10-01T00:00:00Z,u1,emails_processed,3
            e2,2026-10-01T10:00:00+02:00,u1,emails_processed,4
            e3,2026-10-31T23:59:59Z,u2,ai_responses,1
            e1,2026-10-01T00:00:00Z,u1,emails_processed,3

            e2,2026-10-01T08:00:00Z,u1,emails_processed,4
            e3,2026-10-31T23:59:59Z,u2,ai_responses,2
            e4,2026-11-01T00:00:00Z,u2,ai_responses,5
            e5 , 2026-10-15T12:00:00.250Z , u3 , leads_created , 0
            """;
    // e1, e2 (08:00Z), e3, e4 (November), e5 accepted = 5; line 5 repeats e1 and line 7 repeats e2 at the
    // same instant written in UTC: duplicates = 2; line 8 repeats e3 with quantity 2: conflicting = 1.
    // Line 6 is blank, not a data line: 5 + 2 + 1 = 8 data lines.

    static final String FILE_B = """
            {"event_id":"e1","timestamp":"2026-10-01T00:00:00Z","user_id":"u1","metric":"emails_processed","quantity":3}
            {"event_id":"e6","timestamp":"2026-10-02T00:00:00Z","user_id":"u1","metric":"emails_processed","quantity":10}
            {"event_id":"e4","timestamp":"2026-11-01T00:00:00Z","user_id":"u2","metric":"ai_responses","quantity":6}
            {"event_id": "e7", "timestamp": 
            """;
    // e1 is a duplicate of file A's; e6 is new; e4 conflicts with file A's (quantity 6, not 5); line 4 is
    // not JSON: accepted 1, duplicates 1, rejected 2.

    @Test
    void ingestsCsvAndGzippedJsonLinesWithExactCountsRejectsAndMonthlyUsage() throws IOException {
        Path a = write("a.csv", FILE_A);
        Path b = gzip("b.jsonl.gz", FILE_B);

        Cli.Result result = cli.ok("ingest", a.toString(), b.toString(), "--json");

        Map<String, Object> json = result.json();
        assertThat(json).containsEntry("accepted", 6).containsEntry("duplicates", 3).containsEntry("rejected", 3);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) json.get("files");
        assertThat(files).extracting(f -> f.get("file"), f -> f.get("accepted"), f -> f.get("duplicates"), f -> f.get("rejected"),
                f -> f.get("already_ingested"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(a.toString(), 5, 2, 1, false),
                        org.assertj.core.groups.Tuple.tuple(b.toString(), 1, 1, 2, false));
        assertThat(files.get(0).get("sha256")).isEqualTo(sha256(Files.readAllBytes(a)));

        assertThat(Files.readString(db.home().resolve("rejects/a.csv.rejects.csv"))).isEqualTo("""
                line,reason,raw
                8,conflicting_duplicate,"e3,2026-10-31T23:59:59Z,u2,ai_responses,2"
                """);
        assertThat(Files.readString(db.home().resolve("rejects/b.jsonl.gz.rejects.csv"))).isEqualTo("""
                line,reason,raw
                3,conflicting_duplicate,"{""event_id"":""e4"",""timestamp"":""2026-11-01T00:00:00Z"",""user_id"":""u2"",""metric"":""ai_responses"",""quantity"":6}"
                4,malformed_line,"{""event_id"": ""e7"", ""timestamp"":"
                """);

        // u1 emails October: 3 + 4 + 10 = 17; u2 ai: October 1, November 5; u3 leads October 0.
        assertThat(Stores.usageMetrics(db)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "u1|emails_processed|2026-10", 17L,
                "u2|ai_responses|2026-10", 1L,
                "u2|ai_responses|2026-11", 5L,
                "u3|leads_created|2026-10", 0L)));
        assertThat(Stores.storedEvents(db)).isEqualTo(6);
        assertThat(db.jdbc().queryForList("SELECT file_name || ':' || data_lines || ':' || accepted || ':' || duplicates || ':' || rejected "
                + "FROM ingested_files ORDER BY file_name", String.class))
                .containsExactly("a.csv:8:5:2:1", "b.jsonl.gz:4:1:1:2");
        assertThat(Files.list(db.home().resolve("staging")).toList()).isEmpty();
    }

    // Ids as SPEC 2 allows them (printable ASCII): with a comma, quotes, backslashes (COPY's text format escapes them), the
    // text format's NULL marker \N, and a trailing backslash. All new: PostgreSQL stores them by its bulk load.
    static final List<String> ODD_IDS = List.of("a,b", "say \"hi\"", "back\\slash", "\\N", "ends\\", "\\.", "\\\\.", "plain");

    @Test
    void oddEventIdsAreStoredAsTheyAreAndRecognisedWhenTheyComeAgain() throws IOException {
        StringBuilder first = new StringBuilder("event_id,timestamp,user_id,metric,quantity\n");
        for (String id : ODD_IDS) {
            first.append(csv(id)).append(",2026-10-02T00:00:00Z,u1,emails_processed,1\n");
        }
        cli.ok("ingest", write("first.csv", first.toString()).toString());
        assertThat(Stores.storedEvents(db)).isEqualTo(8);

        // Every id again: seven identical (duplicates), "plain" with quantity 2 (conflicting), and one new id.
        StringBuilder again = new StringBuilder("event_id,timestamp,user_id,metric,quantity\n");
        for (String id : ODD_IDS) {
            again.append(csv(id)).append(",2026-10-02T00:00:00Z,u1,emails_processed,").append(id.equals("plain") ? 2 : 1).append('\n');
        }
        again.append(csv("new\\one")).append(",2026-10-03T00:00:00Z,u1,emails_processed,5\n");
        Map<String, Object> json = cli.ok("ingest", write("again.csv", again.toString()).toString(), "--json").json();

        assertThat(json).containsEntry("accepted", 1).containsEntry("duplicates", 7).containsEntry("rejected", 1);
        assertThat(Files.readString(db.home().resolve("rejects/again.csv.rejects.csv"))).isEqualTo("""
                line,reason,raw
                9,conflicting_duplicate,"plain,2026-10-02T00:00:00Z,u1,emails_processed,2"
                """);
        // u1 emails October: 8 x 1 + 5.
        assertThat(Stores.usageMetrics(db)).containsExactlyEntriesOf(new TreeMap<>(Map.of("u1|emails_processed|2026-10", 13L)));
        if (kind == TestDatabase.Kind.POSTGRES) {
            List<String> stored = new ArrayList<>(ODD_IDS);
            stored.add("new\\one");
            Collections.sort(stored);
            assertThat(db.jdbc().queryForList("SELECT event_id FROM usage_events ORDER BY event_id COLLATE \"C\"", String.class))
                    .containsExactlyElementsOf(stored);
            assertThat(db.jdbc().queryForList("SELECT event_id FROM usage_event_ids ORDER BY event_id COLLATE \"C\"", String.class))
                    .containsExactlyElementsOf(stored);
        }
    }

    /**
     * The roll-up recomputes the months of the run's files from every stored event and writes only the rows that change:
     * read out and written back from DuckDB, computed by PostgreSQL itself where the events live.
     */
    @Test
    void theRollUpSetsTheTouchedMonthsToTheStoredTotalsAndWritesOnlyWhatChanged() throws IOException {
        cli.ok("ingest", write("first.csv", """
                event_id,timestamp,user_id,metric,quantity
                r1,2026-10-01T00:00:00Z,u1,emails_processed,3
                r2,2026-10-02T00:00:00Z,u2,ai_responses,1
                r3,2026-09-30T23:59:59Z,u1,leads_created,4
                """).toString());
        cli.ok("ingest", write("second.csv", """
                event_id,timestamp,user_id,metric,quantity
                r4,2026-10-03T00:00:00Z,u1,emails_processed,1
                r5,2026-10-04T00:00:00Z,u3,emails_processed,2
                r6,2026-10-05T00:00:00Z,u3,emails_processed,5
                """).toString());

        // October: u1 emails 3 + 1 (changed), u2 ai 1 (unchanged), u3 emails 2 + 5 (new); September not touched.
        assertThat(db.jdbc().queryForObject("SELECT write_count FROM batch_step_execution WHERE step_name = 'rollUpUsageMetrics' "
                + "ORDER BY step_execution_id DESC FETCH FIRST 1 ROW ONLY", Long.class)).isEqualTo(2L);
        assertThat(Stores.usageMetrics(db)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "u1|emails_processed|2026-10", 4L,
                "u2|ai_responses|2026-10", 1L,
                "u3|emails_processed|2026-10", 7L,
                "u1|leads_created|2026-09", 4L)));
    }

    @Test
    void theSameContentAgainChangesNothingAndSaysSo() throws IOException {
        Path a = write("a.csv", FILE_A);
        cli.ok("ingest", a.toString());
        TreeMap<String, Long> usage = Stores.usageMetrics(db);
        long executions = executions();
        Path copy = write("renamed-copy.csv", FILE_A);

        Cli.Result again = cli.ok("ingest", a.toString(), copy.toString(), "--json");

        assertThat(again.json()).containsEntry("accepted", 0).containsEntry("duplicates", 0).containsEntry("rejected", 0);
        assertThat(again.out()).contains("already ingested");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) again.json().get("files");
        assertThat(files).extracting(f -> f.get("already_ingested")).containsExactly(true, true);
        assertThat(Stores.usageMetrics(db)).isEqualTo(usage);
        assertThat(Stores.storedEvents(db)).isEqualTo(5);
        assertThat(executions()).isEqualTo(executions);
    }

    @Test
    void filesThatCannotBeUsedAreRefusedWholeWithExit2AndNothingStored() throws IOException {
        byte[] gz = gzipBytes(FILE_A.repeat(200));
        Path truncated = tmp.resolve("truncated.csv.gz");
        Files.write(truncated, Arrays.copyOf(gz, gz.length / 2));
        Path binary = tmp.resolve("binary.csv");
        byte[] noise = new byte[4096];
        new java.util.Random(7).nextBytes(noise);
        noise[10] = 0;
        Files.write(binary, noise);
        Path noHeader = write("no-header.csv", FILE_A.substring(FILE_A.indexOf('\n') + 1));
        Path notJson = write("not-json.jsonl", "event_id,timestamp\n");
        Path wrongType = write("usage.txt", FILE_A);
        Path empty = write("empty.csv", "");
        Path good = write("good.csv", FILE_A);

        for (Path bad : List.of(truncated, binary, noHeader, notJson, wrongType, empty)) {
            Cli.Result result = cli.run("ingest", good.toString(), bad.toString(), "--json");
            assertThat(result.exit()).as(result.toString()).isEqualTo(2);
            assertThat(result.err()).contains(bad.toString());
            assertThat(result.json().get("error").toString()).contains(bad.toString());
        }
        assertThat(cli.run("ingest", truncated.toString()).err()).contains("truncated or corrupt gzip");
        assertThat(cli.run("ingest", binary.toString()).err()).contains("binary");
        assertThat(cli.run("ingest", noHeader.toString()).err()).contains("line 1: no usage header");

        // The good file given beside them was not ingested either: nothing at all was written.
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM ingested_files", Long.class)).isZero();
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION", Long.class)).isZero();
        assertThat(Stores.storedEvents(db)).isZero();
        assertThat(Stores.usageMetrics(db)).isEmpty();
    }

    /** Every kind of bad line, 10,000 lines in all: each bad one rejected with its reason, each good one stored. */
    @Test
    void tenThousandLinesMixingEveryKindOfBadLineWithGoodOnes() throws IOException {
        String[] reasons = {"missing_field", "bad_event_id", "bad_timestamp", "future_timestamp", "unknown_metric", "bad_quantity",
                "bad_user_id", "malformed_line", "conflicting_duplicate", "duplicate"};
        StringBuilder file = new StringBuilder("quantity,metric,extra,user_id,event_id,timestamp\n");
        TreeMap<Long, String[]> expectedRejects = new TreeMap<>();
        TreeMap<String, Long> expectedUsage = new TreeMap<>();
        List<String[]> good = new ArrayList<>();
        long duplicates = 0;
        for (int i = 0; i < 10_000; i++) {
            long line = i + 2;
            String[] f = {"ev-" + i, "2026-10-" + String.format("%02d", 1 + i % 31) + "T" + String.format("%02d", i % 24) + ":00:00Z",
                    "user-" + (i % 37), new String[] {"emails_processed", "ai_responses", "leads_created"}[i % 3], Integer.toString(i % 7)};
            String reason = i % 4 == 0 ? reasons[(i / 4) % reasons.length] : null;
            if ((reason != null && (reason.equals("conflicting_duplicate") || reason.equals("duplicate"))) && good.isEmpty()) {
                reason = null;
            }
            if (reason == null) {
                good.add(f.clone());
                expectedUsage.merge(f[2] + "|" + f[3] + "|2026-10", Long.parseLong(f[4]), Long::sum);
            } else {
                switch (reason) {
                    case "missing_field" -> f[2] = "";
                    case "bad_event_id" -> f[0] = "id\u00e9" + i;
                    case "bad_timestamp" -> f[1] = "2026-02-30T10:00:00Z";
                    case "future_timestamp" -> f[1] = "2026-11-05T00:05:01Z";
                    case "unknown_metric" -> f[3] = "sms_sent";
                    case "bad_quantity" -> f[4] = i % 8 == 0 ? "1000000001" : "2.5";
                    case "bad_user_id" -> f[2] = "user/" + i;
                    case "conflicting_duplicate" -> {
                        String[] earlier = good.get(i % good.size());
                        f = earlier.clone();
                        f[4] = Integer.toString(Integer.parseInt(earlier[4]) + 1);
                    }
                    case "duplicate" -> f = good.get((i * 7) % good.size()).clone();
                    default -> {
                    }
                }
            }
            String raw = reason != null && reason.equals("malformed_line")
                    ? f[4] + "," + f[3] + ",\"unclosed," + f[2] + "," + f[0] + "," + f[1]
                    : f[4] + "," + f[3] + ",x," + f[2] + "," + f[0] + "," + f[1];
            file.append(raw).append('\n');
            if ("duplicate".equals(reason)) {
                duplicates++;
            } else if (reason != null) {
                expectedRejects.put(line, new String[] {reason, raw});
            }
        }
        Path input = write("mixed.csv", file.toString());

        Cli.Result result = cli.ok("ingest", input.toString(), "--json");

        assertThat(result.json()).containsEntry("accepted", good.size()).containsEntry("duplicates", (int) duplicates)
                .containsEntry("rejected", expectedRejects.size());
        assertThat(good.size() + duplicates + expectedRejects.size()).isEqualTo(10_000);
        List<String> rejectLines = Files.readAllLines(db.home().resolve("rejects/mixed.csv.rejects.csv"));
        assertThat(rejectLines.get(0)).isEqualTo("line,reason,raw");
        List<String> expectedLines = new ArrayList<>();
        expectedRejects.forEach((line, r) -> expectedLines.add(line + "," + r[0] + "," + csv(r[1])));
        assertThat(rejectLines.subList(1, rejectLines.size())).containsExactlyElementsOf(expectedLines);
        assertThat(expectedRejects.values()).extracting(r -> r[0]).containsAll(List.of(reasons).subList(0, 9));
        assertThat(Stores.usageMetrics(db)).containsExactlyEntriesOf(expectedUsage);
        assertThat(Stores.storedEvents(db)).isEqualTo(good.size());
        // Staged in chunks of 5,000 lines on H2 and 20,000 on PostgreSQL, where each chunk's commit is a WAL flush
        // (IngestJobConfig.stagingChunkLines): the step's commits and reads.
        assertThat(db.jdbc().queryForObject("SELECT COMMIT_COUNT || '/' || READ_COUNT FROM BATCH_STEP_EXECUTION "
                + "WHERE STEP_NAME = 'stageUsageFile:file-0001'", String.class))
                .isEqualTo(kind == TestDatabase.Kind.POSTGRES ? "1/10000" : "2/10000");
    }

    @Test
    void inboxFilesMoveToTheArchiveAndUnreadableOnesToQuarantine() throws IOException {
        Path inbox = db.home().resolve("inbox");
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve("2026-10-a.csv"), FILE_A);
        Files.writeString(inbox.resolve("2026-10-b.csv"), "this is not a usage log\n");
        Files.writeString(inbox.resolve("2026-10-c.csv.part"), FILE_A);

        Cli.Result result = cli.run("ingest", "--inbox", "--json");

        assertThat(result.exit()).as(result.toString()).isEqualTo(2);
        assertThat(result.json()).containsEntry("accepted", 5);
        assertThat(result.err()).contains("2026-10-b.csv");
        try (var listing = Files.list(inbox)) {
            assertThat(listing.map(p -> p.getFileName().toString()).toList()).containsExactly("2026-10-c.csv.part");
        }
        assertThat(db.home().resolve("archive/2026-10-a.csv")).hasContent(FILE_A);
        assertThat(db.home().resolve("quarantine/2026-10-b.csv")).exists();
        assertThat(cli.ok("ingest", "--inbox", "--json").json()).containsEntry("accepted", 0);
    }

    /** A rejected line is the sender's text: in the rejects file it is one quoted cell that no spreadsheet evaluates. */
    @Test
    void rejectedFormulaTextIsNeutralizedAndQuotedInTheRejectsFile() throws IOException {
        Path file = write("evil.csv", """
                event_id,timestamp,user_id,metric,quantity
                =HYPERLINK("http://x")
                =e1,2026-10-01T00:00:00Z,u1,emails_processed,3
                =e1,2026-10-01T00:00:00Z,u1,emails_processed,4
                -e2,2026-10-01T00:00:00Z,u1,emails_processed,-12.50
                """);
        // Line 2 is no usage line (a quote inside an unquoted field); line 4 repeats event =e1 with another quantity (conflicting, its raw text
        // read back from the file); line 5 has a quantity that is no integer. Event ids may start with = or -.

        assertThat(cli.ok("ingest", file.toString(), "--json").json()).containsEntry("accepted", 1).containsEntry("rejected", 3);

        assertThat(Files.readString(db.home().resolve("rejects/evil.csv.rejects.csv"))).isEqualTo("""
                line,reason,raw
                2,malformed_line,"'=HYPERLINK(""http://x"")"
                4,conflicting_duplicate,"'=e1,2026-10-01T00:00:00Z,u1,emails_processed,4"
                5,bad_quantity,"'-e2,2026-10-01T00:00:00Z,u1,emails_processed,-12.50"
                """);
    }

    /** A link in the inbox (to /etc/passwd, to a log outside) is never read: it goes to quarantine as the link it is. */
    @Test
    void symbolicLinksInTheInboxAreQuarantinedUnread() throws IOException {
        Path inbox = db.home().resolve("inbox");
        Files.createDirectories(inbox);
        Path outside = write("someone-elses.csv", FILE_A);
        Files.createSymbolicLink(inbox.resolve("2026-10-a.csv"), outside);
        Files.createSymbolicLink(inbox.resolve("passwd.csv"), Path.of("/etc/passwd"));

        Cli.Result result = cli.run("ingest", "--inbox", "--json");

        assertThat(result.exit()).as(result.toString()).isEqualTo(2);
        assertThat(result.json()).containsEntry("accepted", 0).containsEntry("rejected", 0);
        assertThat(result.json().get("refused")).asString()
                .contains(inbox.resolve("2026-10-a.csv") + ": a symbolic link; links in the inbox are not followed, nothing read")
                .contains(inbox.resolve("passwd.csv") + ": a symbolic link");
        assertThat(Stores.storedEvents(db)).isZero();
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM ingested_files", Long.class)).isZero();
        assertThat(outside).hasContent(FILE_A);
        assertThat(Files.readSymbolicLink(db.home().resolve("quarantine/2026-10-a.csv"))).isEqualTo(outside);
        assertThat(Files.readSymbolicLink(db.home().resolve("quarantine/passwd.csv"))).isEqualTo(Path.of("/etc/passwd"));
        assertThat(db.home().resolve("rejects")).isEmptyDirectory();
        try (var listing = Files.list(inbox)) {
            assertThat(listing).isEmpty();
        }
    }

    static final String USAGE_MONDAY = """
            event_id,timestamp,user_id,metric,quantity
            m1,2026-10-05T00:00:00Z,u1,emails_processed,1
            m2,2026-10-05T00:00:00Z,u1,sms_sent,1
            """;
    static final String USAGE_TUESDAY = """
            event_id,timestamp,user_id,metric,quantity
            t1,2026-10-06T00:00:00Z,u2,emails_processed,2
            t2,2026-10-06T00:00:00Z,u2,emails_processed,2.5
            """;

    /** Two files named usage.csv from two folders in one run: each keeps its own rejects file. */
    @Test
    void twoFilesOfTheSameNameKeepTheirOwnRejectsFiles() throws IOException {
        Files.createDirectories(tmp.resolve("east"));
        Files.createDirectories(tmp.resolve("west"));
        Path east = write("east/usage.csv", USAGE_MONDAY);
        Path west = write("west/usage.csv", USAGE_TUESDAY);

        Map<String, Object> json = cli.ok("ingest", east.toString(), west.toString(), "--json").json();

        Path first = db.home().resolve("rejects/usage.csv.rejects.csv");
        Path second = db.home().resolve("rejects/usage.csv." + sha256(USAGE_TUESDAY.getBytes(StandardCharsets.UTF_8)).substring(0, 12)
                + ".rejects.csv");
        assertThat(json.get("files")).asString().contains("rejects_file=" + first).contains("rejects_file=" + second);
        assertThat(first).hasContent("""
                line,reason,raw
                3,unknown_metric,"m2,2026-10-05T00:00:00Z,u1,sms_sent,1"
                """);
        assertThat(second).hasContent("""
                line,reason,raw
                3,bad_quantity,"t2,2026-10-06T00:00:00Z,u2,emails_processed,2.5"
                """);
        assertThat(db.jdbc().queryForList("SELECT rejects_file FROM ingested_files", String.class))
                .containsExactlyInAnyOrder(first.toString(), second.toString());
    }

    /** The same names in the inbox on two days: neither day's rejects, archived file or quarantined file is overwritten. */
    @Test
    void theSameNamesInTheInboxOnTwoDaysOverwriteNothing() throws IOException {
        Path inbox = db.home().resolve("inbox");
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve("usage.csv"), USAGE_MONDAY);
        Files.writeString(inbox.resolve("broken.csv"), "monday's junk\n");
        assertThat(cli.run("ingest", "--inbox").exit()).isEqualTo(2);
        Files.writeString(inbox.resolve("usage.csv"), USAGE_TUESDAY);
        Files.writeString(inbox.resolve("broken.csv"), "tuesday's junk\n");
        assertThat(cli.run("ingest", "--inbox").exit()).isEqualTo(2);

        String tuesdaySha = sha256(USAGE_TUESDAY.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        assertThat(db.home().resolve("rejects/usage.csv.rejects.csv")).hasContent("""
                line,reason,raw
                3,unknown_metric,"m2,2026-10-05T00:00:00Z,u1,sms_sent,1"
                """);
        assertThat(db.home().resolve("rejects/usage.csv." + tuesdaySha + ".rejects.csv")).hasContent("""
                line,reason,raw
                3,bad_quantity,"t2,2026-10-06T00:00:00Z,u2,emails_processed,2.5"
                """);
        assertThat(db.home().resolve("archive/usage.csv")).hasContent(USAGE_MONDAY);
        assertThat(db.home().resolve("archive/" + tuesdaySha + "-usage.csv")).hasContent(USAGE_TUESDAY);
        assertThat(db.home().resolve("quarantine/broken.csv")).hasContent("monday's junk");
        assertThat(db.home().resolve("quarantine/2-broken.csv")).hasContent("tuesday's junk");
        assertThat(Stores.storedEvents(db)).isEqualTo(2);
    }

    /** A clean start (the migrations included) and run log no warning (Spring Batch's listener check, Flyway's H2 version check). */
    @Test
    void aCommandLogsNoWarning() throws IOException {
        db.close();
        db = TestDatabase.empty(kind(), tmp.resolve("empty-home"));
        cli = db.cli().with("BILLING_NOW", "2026-11-05T00:00:00Z");
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        cli.ok("ingest", write("a.csv", FILE_A).toString());
        cli.ok("executions");

        List<String> log = Files.readAllLines(db.home().resolve("logs/billing.log"));
        assertThat(log).isNotEmpty();
        assertThat(log).filteredOn(line -> line.contains(" WARN ")).isEmpty();
    }

    @Test
    void usageShowsEachUserAgainstTheLimitOfTheirTier() throws IOException {
        Files.writeString(tmp.resolve("subs.csv"), """
                user_id,effective_at,action,tier,stripe_customer_id
                u1,2026-09-01T00:00:00Z,subscribe,free,cus_1
                u2,2026-10-10T00:00:00Z,trial,starter,
                """);
        cli.ok("import-subscriptions", tmp.resolve("subs.csv").toString());
        StringBuilder log = new StringBuilder("event_id,timestamp,user_id,metric,quantity\n");
        log.append("x1,2026-10-05T00:00:00Z,u1,emails_processed,500\n");  // free allows 500: not over
        log.append("x2,2026-10-06T00:00:00Z,u1,ai_responses,51\n");      // free allows 50: over
        log.append("x3,2026-10-20T00:00:00Z,u2,leads_created,201\n");    // starter allows 200: over
        log.append("x4,2026-10-20T00:00:00Z,u9,leads_created,9\n");      // no subscription: never flagged
        cli.ok("ingest", write("usage.csv", log.toString()).toString());

        Map<String, Object> json = cli.ok("usage", "--period", "2026-10", "--json").json();

        assertThat(json.get("period")).isEqualTo("2026-10");
        assertThat(json.get("rows")).isEqualTo(List.of(
                Map.of("user_id", "u1", "metric", "ai_responses", "tier", "free", "quantity", 51, "included", 50, "breached", true),
                Map.of("user_id", "u1", "metric", "emails_processed", "tier", "free", "quantity", 500, "included", 500, "breached", false),
                Map.of("user_id", "u2", "metric", "leads_created", "tier", "starter", "quantity", 201, "included", 200, "breached", true),
                rowWithoutTier()));
        assertThat(cli.ok("usage", "--period", "2026-10", "--user", "u2", "--json").json().get("rows")).asList().hasSize(1);
        assertThat(cli.run("usage", "--period", "2026-13").exit()).isEqualTo(2);
    }

    private static Map<String, Object> rowWithoutTier() {
        Map<String, Object> row = new java.util.HashMap<>();
        row.put("user_id", "u9");
        row.put("metric", "leads_created");
        row.put("tier", null);
        row.put("quantity", 9);
        row.put("included", 0);
        row.put("breached", false);
        return row;
    }

    long executions() {
        return db.jdbc().queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION", Long.class);
    }

    Path write(String name, String content) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    Path gzip(String name, String content) throws IOException {
        Path file = tmp.resolve(name);
        Files.write(file, gzipBytes(content));
        return file;
    }

    static byte[] gzipBytes(String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    static String csv(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
