package com.acme.billing.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.Stores;
import com.acme.billing.support.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The event store partitioned by month on PostgreSQL (migration V23): one partition a month, created by the ingest; the
 * dedupe across months classifies exactly as the embedded store (H2 + DuckDB, unpartitioned) does; rows stored before
 * the partitioning are carried over.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class MonthPartitionsTest {

    @Parameter
    TestDatabase.Kind kind;

    @TempDir
    Path tmp;

    TestDatabase db;
    Cli cli;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(kind, tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", "2026-12-05T00:00:00Z");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    static final String OCTOBER = """
            event_id,timestamp,user_id,metric,quantity
            o1,2026-10-03T10:00:00Z,u1,emails_processed,3
            o2,2026-10-31T23:59:59Z,u2,ai_responses,1
            o3,2026-10-15T00:00:00Z,u3,leads_created,2
            """;

    // Line 2 new (November); line 3 repeats October's o1 identically: duplicate; line 4 repeats o2 one
    // second later, in November: conflicting; line 5 repeats o1 at the same instant written with an
    // offset: duplicate; line 6 repeats n1 of line 2 with another quantity: conflicting; line 7 repeats
    // o3 with another user: conflicting. Accepted 1, duplicates 2, rejected 3 = 6 data lines.
    static final String NOVEMBER = """
            event_id,timestamp,user_id,metric,quantity
            n1,2026-11-01T00:00:00Z,u1,emails_processed,5
            o1,2026-10-03T10:00:00Z,u1,emails_processed,3
            o2,2026-11-01T00:00:00Z,u2,ai_responses,1
            o1,2026-10-03T12:00:00+02:00,u1,emails_processed,3
            n1,2026-11-01T00:00:00Z,u1,emails_processed,6
            o3,2026-10-15T00:00:00Z,u4,leads_created,2
            """;

    @Test
    void aPartitionPerMonthAndDuplicatesAcrossMonthsClassifiedAsBefore() throws IOException {
        cli.ok("import-catalog", "sample-data/catalog.yaml");
        Path october = write("october.csv", OCTOBER);
        Path november = write("november.csv", NOVEMBER);

        assertThat(cli.ok("ingest", october.toString(), "--json").json())
                .containsEntry("accepted", 3).containsEntry("duplicates", 0).containsEntry("rejected", 0);
        Map<String, Object> second = cli.ok("ingest", november.toString(), "--json").json();

        assertThat(second).containsEntry("accepted", 1).containsEntry("duplicates", 2).containsEntry("rejected", 3);
        assertThat(Files.readString(db.home().resolve("rejects/november.csv.rejects.csv"))).isEqualTo("""
                line,reason,raw
                4,conflicting_duplicate,"o2,2026-11-01T00:00:00Z,u2,ai_responses,1"
                6,conflicting_duplicate,"n1,2026-11-01T00:00:00Z,u1,emails_processed,6"
                7,conflicting_duplicate,"o3,2026-10-15T00:00:00Z,u4,leads_created,2"
                """);
        assertThat(Stores.storedEvents(db)).isEqualTo(4);
        assertThat(Stores.usageMetrics(db)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "u1|emails_processed|2026-10", 3L,
                "u1|emails_processed|2026-11", 5L,
                "u2|ai_responses|2026-10", 1L,
                "u3|leads_created|2026-10", 2L)));
        // The same content again: nothing changes (the file's SHA-256), on the partitioned store as before.
        assertThat(cli.ok("ingest", november.toString(), "--json").json())
                .containsEntry("accepted", 0).containsEntry("duplicates", 0).containsEntry("rejected", 0);
        assertThat(Stores.storedEvents(db)).isEqualTo(4);

        if (kind != TestDatabase.Kind.POSTGRES) {
            return;
        }
        var jdbc = db.jdbc();
        assertThat(partitions()).containsExactly("usage_events_202610", "usage_events_202611");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM usage_events_202610", Long.class)).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM usage_events_202611", Long.class)).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT event_id || ':' || month FROM usage_event_ids ORDER BY event_id", String.class))
                .containsExactly("n1:202611", "o1:202610", "o2:202610", "o3:202610");
        // The months of each stored file (V25): October's file (all new, loaded by COPY) its one month; November's
        // (classified line by line) only the month of its new line, not October, where it has duplicates only.
        assertThat(jdbc.queryForList("SELECT month FROM usage_event_file_months ORDER BY file_id, month", Integer.class))
                .containsExactly(202610, 202611);
        assertThat(jdbc.queryForList("SELECT file_id || ':' || month FROM usage_event_file_months ORDER BY 1", String.class))
                .isEqualTo(jdbc.queryForList("SELECT DISTINCT file_id || ':' || month FROM usage_events ORDER BY 1", String.class));
        // Each file's table in its month (V26): October's file in October, November's in November only. Every file's table
        // has its BRIN index on file_id, and a month filter reads that month's partition only.
        assertThat(jdbc.queryForList("SELECT p.relname || '<-' || regexp_replace(c.relname, '[0-9]+$', 'file') FROM pg_inherits i "
                + "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname LIKE 'usage_events_2%' AND c.relkind IN ('r', 'p') "
                + "ORDER BY 1", String.class)).containsExactly("usage_events_202610<-usage_events_202610_file",
                "usage_events_202611<-usage_events_202611_file");
        assertThat(jdbc.queryForList("SELECT tablename || ':' || indexdef FROM pg_indexes WHERE tablename ~ '^usage_events_[0-9]{6}_[0-9]+$' "
                + "ORDER BY tablename", String.class)).hasSize(2).allMatch(s -> s.contains("USING brin (file_id)"));
        String plan = String.join("\n", jdbc.queryForList("EXPLAIN SELECT user_id, SUM(quantity) FROM usage_events WHERE month = 202611 "
                + "GROUP BY user_id", String.class));
        assertThat(plan).contains("usage_events_202611").doesNotContain("usage_events_202610");
    }

    /**
     * Two ingests that meet a new month at once: the second waits for the first's commit and then finds the partition,
     * instead of failing on its name; with the first rolled back it creates the partition itself.
     */
    @Test
    void twoTransactionsCreatingTheSameMonthWaitForEachOther() throws Exception {
        assumeThat(kind).isEqualTo(TestDatabase.Kind.POSTGRES);
        cli.ok("import-catalog", "sample-data/catalog.yaml"); // the schema
        try (Connection first = connect(); Connection second = connect(); Statement a = first.createStatement();
                Statement b = second.createStatement()) {
            PostgresEventStore.ensurePartitions(a, List.of(202612));
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
                try {
                    PostgresEventStore.ensurePartitions(b, List.of(202612, 202701));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            assertThat(waiting).isNotDone();
            PostgresEventStore.ensureFilePartitions(a, 1, List.of(202612));
            a.execute("INSERT INTO usage_events VALUES ('x', 0, 202612, 'u1', 'emails_processed', 1, 1, 2)");
            first.commit();
            waiting.get(10, TimeUnit.SECONDS);
            second.commit();

            PostgresEventStore.ensurePartitions(a, List.of(202802));
            first.rollback();
            PostgresEventStore.ensurePartitions(b, List.of(202802));
            second.commit();
        }
        assertThat(partitions()).containsExactly("usage_events_202612", "usage_events_202701", "usage_events_202802");
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM usage_events_202612", Long.class)).isEqualTo(1);
    }

    /**
     * An installation with events stored before V23: every row lands in its month's partition and in the dedupe table; at
     * V26 each month's rows stay in one table for the files they belong to, an empty month's table goes, and files
     * stored after it get tables of their own.
     */
    @Test
    void theMigrationCarriesStoredEventsOver() throws IOException {
        assumeThat(kind).isEqualTo(TestDatabase.Kind.POSTGRES);
        db.close();
        db = TestDatabase.empty(kind, tmp.resolve("empty-home")); // migrated to V22 here, the rest by the application
        cli = db.cli().with("BILLING_NOW", "2026-12-05T00:00:00Z");
        db.migrateTo("22");
        var jdbc = db.jdbc();
        // 1,000 events in September, 2,000 in October, 1 in November, stored by an earlier version (file 900).
        jdbc.update("""
                INSERT INTO usage_events (event_id, ts_us, month, user_id, metric, quantity, file_id, line)
                SELECT 'old-' || g, 1788220800000000 + g * 1000000::bigint, 202609, 'u' || (g % 7), 'emails_processed', g % 5, 900, g + 1
                FROM generate_series(1, 1000) g
                UNION ALL
                SELECT 'old-' || g, 1790812800000000 + g * 1000000::bigint, 202610, 'u' || (g % 7), 'ai_responses', 1, 900 + g % 2, g + 1
                FROM generate_series(1001, 3000) g
                UNION ALL
                SELECT 'o1', 1793491200000000, 202611, 'u1', 'emails_processed', 3, 900, 3002
                """);

        db.migrateTo("25");
        // An empty month, as the store of V23-V25 made one (a month whose file was rolled back leaves its partition).
        jdbc.execute("CREATE TABLE usage_events_202612 (LIKE usage_events)");
        jdbc.execute("ALTER TABLE usage_events ATTACH PARTITION usage_events_202612 FOR VALUES IN (202612)");

        cli.ok("import-catalog", "sample-data/catalog.yaml"); // starts the application: Flyway runs V26

        assertThat(partitions()).containsExactly("usage_events_202609", "usage_events_202610", "usage_events_202611", "usage_events_202612");
        assertThat(jdbc.queryForList("SELECT p.relname || '<-' || c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
                + "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname LIKE 'usage_events_2%' AND c.relkind IN ('r', 'p') "
                + "ORDER BY 1", String.class)).containsExactly(
                "usage_events_202609<-usage_events_202609_v25 FOR VALUES IN ('900')",
                "usage_events_202610<-usage_events_202610_v25 FOR VALUES IN ('900', '901')",
                "usage_events_202611<-usage_events_202611_v25 FOR VALUES IN ('900')");
        assertThat(jdbc.queryForObject("SELECT to_regclass('usage_events_202612_v25') IS NULL", Boolean.class)).isTrue();
        assertThat(jdbc.queryForList("SELECT month || ':' || COUNT(*) FROM usage_events GROUP BY month ORDER BY month", String.class))
                .containsExactly("202609:1000", "202610:2000", "202611:1");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM usage_events_202610", Long.class)).isEqualTo(2000);
        assertThat(jdbc.queryForList("SELECT month || ':' || COUNT(*) FROM usage_event_ids GROUP BY month ORDER BY month", String.class))
                .containsExactly("202609:1000", "202610:2000", "202611:1");
        assertThat(jdbc.queryForObject("SELECT SUM(quantity) FROM usage_events", Long.class)).isEqualTo(2000 + 2000 + 3);
        assertThat(jdbc.queryForObject("SELECT to_regclass('usage_events_v3') IS NULL", Boolean.class)).isTrue();
        // V25: the stored file's months, so that a run stored before the upgrade and rolled up after it finds them.
        assertThat(jdbc.queryForList("SELECT file_id || ':' || month FROM usage_event_file_months ORDER BY 1", String.class))
                .containsExactly("900:202609", "900:202610", "900:202611", "901:202610");

        // The carried-over ids dedupe as before: old-5 (September) and o1 (November) identical, old-1001 (October) conflicting.
        Path file = write("again.csv", """
                event_id,timestamp,user_id,metric,quantity
                old-5,2026-09-01T00:00:05Z,u5,emails_processed,0
                old-1001,2026-10-01T00:16:41Z,u0,ai_responses,2
                o1,2026-11-01T00:00:00Z,u1,emails_processed,3
                n9,2026-11-20T00:00:00Z,u1,emails_processed,4
                """);
        assertThat(cli.ok("ingest", file.toString(), "--json").json())
                .containsEntry("accepted", 1).containsEntry("duplicates", 2).containsEntry("rejected", 1);
        assertThat(Files.readString(db.home().resolve("rejects/again.csv.rejects.csv"))).isEqualTo("""
                line,reason,raw
                3,conflicting_duplicate,"old-1001,2026-10-01T00:16:41Z,u0,ai_responses,2"
                """);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM usage_events_202611", Long.class)).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT event_id || ':' || regexp_replace(tableoid::regclass::text, '_[0-9]+$', '_file') "
                + "FROM usage_events_202611 ORDER BY 1", String.class)).containsExactly("n9:usage_events_202611_file", "o1:usage_events_202611_v25");
        assertThat(jdbc.queryForList("SELECT month FROM usage_event_file_months WHERE file_id NOT IN (900, 901)", Integer.class))
                .containsExactly(202611);
        // The roll-up found November through it: n9 (4) beside o1 (3) for u1.
        assertThat(Stores.usageMetrics(db)).containsEntry("u1|emails_processed|2026-11", 7L);
    }

    private List<String> partitions() {
        return db.jdbc().queryForList("SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE i.inhparent = 'usage_events'::regclass ORDER BY 1", String.class);
    }

    private Connection connect() throws java.sql.SQLException {
        Connection c = DriverManager.getConnection(db.url(), "postgres", "");
        c.setAutoCommit(false);
        return c;
    }

    private Path write(String name, String content) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
