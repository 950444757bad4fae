package com.acme.billing.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.billing.support.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * PostgreSQL's store of a staged file: the load of a file of new events (COPY on two connections, the events' tables
 * attached as the file's partitions), and its refusal when an id is stored already, after which the classification
 * stores exactly what it should, the load's tables are gone and the second connection has gone back to the pool clean. Driven through {@link PostgresEventStore#store} in a transaction, as the ingest step does.
 */
class AllNewEventsLoadTest {

    @TempDir
    Path tmp;

    TestDatabase db;
    HikariDataSource pool;
    PostgresEventStore store;
    TransactionTemplate transaction;
    JdbcTemplate jdbc;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(TestDatabase.Kind.POSTGRES, tmp.resolve("home"));
        pool = new HikariDataSource();
        pool.setJdbcUrl(db.url());
        pool.setUsername("postgres");
        // The step's connection and the one that loads the events: no more, so a connection not given back would stop the next store.
        pool.setMaximumPoolSize(2);
        pool.setConnectionTimeout(5_000);
        store = new PostgresEventStore(pool);
        transaction = new TransactionTemplate(new JdbcTransactionManager(pool));
        jdbc = new JdbcTemplate(pool);
    }

    @AfterEach
    void tearDown() {
        pool.close();
        db.close();
    }

    static final long OCT_2 = Instant.parse("2026-10-02T00:00:00Z").getEpochSecond() * 1_000_000;
    static final long NOV_3 = Instant.parse("2026-11-03T00:00:00Z").getEpochSecond() * 1_000_000;

    @Test
    void aFileOfNewEventsIsStoredWholeWithItsFileAndLines() throws IOException {
        Path staged = staged("""
                2,b1,%d,202610,u1,emails_processed,3
                3,b2,%d,202610,u2,ai_responses,1
                5,b3,%d,202611,u1,leads_created,2
                """.formatted(OCT_2, OCT_2 + 1, NOV_3));

        assertThat(storeInTransaction(7, staged)).isEqualTo(new EventStore.StoreResult(3, 3, 0, List.of()));

        assertThat(jdbc.queryForList("SELECT event_id || ':' || ts_us || ':' || month || ':' || user_id || ':' || metric || ':' || quantity "
                + "|| ':' || file_id || ':' || line FROM usage_events ORDER BY event_id", String.class)).containsExactly(
                "b1:" + OCT_2 + ":202610:u1:emails_processed:3:7:2",
                "b2:" + (OCT_2 + 1) + ":202610:u2:ai_responses:1:7:3",
                "b3:" + NOV_3 + ":202611:u1:leads_created:2:7:5");
        assertThat(jdbc.queryForList("SELECT event_id || ':' || month FROM usage_event_ids ORDER BY event_id", String.class))
                .containsExactly("b1:202610", "b2:202610", "b3:202611");
        // The file's own table in each month (V26), attached as its partition of the month's partition; nothing else left.
        assertThat(jdbc.queryForList("SELECT tableoid::regclass::text FROM usage_events ORDER BY event_id", String.class))
                .containsExactly("usage_events_202610_7", "usage_events_202610_7", "usage_events_202611_7");
        assertThat(jdbc.queryForList("SELECT c.relname || ' in ' || p.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) "
                + "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
                + "WHERE c.relname LIKE 'usage_events_%' AND c.relkind IN ('r', 'p') ORDER BY 1", String.class)).containsExactly(
                "usage_events_202610 in usage_events FOR VALUES IN (202610)",
                "usage_events_202610_7 in usage_events_202610 FOR VALUES IN ('7')",
                "usage_events_202611 in usage_events FOR VALUES IN (202611)",
                "usage_events_202611_7 in usage_events_202611 FOR VALUES IN ('7')");
        assertThat(tablesOfEvents()).containsExactly("usage_events", "usage_events_202610", "usage_events_202610_7", "usage_events_202611",
                "usage_events_202611_7");
    }

    /**
     * The step's transaction rolled back after the attach (the process killed before the step's commit): no event and no
     * id of the file is visible, only its tables left unattached; the restarted store stores the file once.
     */
    @Test
    void aStoreRolledBackAfterItsAttachLeavesNothingVisibleAndTheRestartStoresTheFileOnce() throws IOException {
        Path staged = staged("2,k1,%d,202610,u1,emails_processed,3\n3,k2,%d,202611,u2,ai_responses,4\n".formatted(OCT_2, NOV_3));

        transaction.executeWithoutResult(status -> {
            assertThat(store.store(9, staged)).isEqualTo(new EventStore.StoreResult(2, 2, 0, List.of()));
            status.setRollbackOnly();
        });

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM usage_events", Long.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM usage_event_ids", Long.class)).isZero();
        assertThat(jdbc.queryForList("SELECT relname::text FROM pg_class WHERE relname ~ '^usage_events_[0-9]{6}_9$' AND NOT relispartition "
                + "ORDER BY 1", String.class)).containsExactly("usage_events_202610_9", "usage_events_202611_9");

        assertThat(storeInTransaction(9, staged)).isEqualTo(new EventStore.StoreResult(2, 2, 0, List.of()));

        assertThat(jdbc.queryForList("SELECT event_id || ':' || quantity || ':' || tableoid::regclass::text FROM usage_events ORDER BY 1",
                String.class)).containsExactly("k1:3:usage_events_202610_9", "k2:4:usage_events_202611_9");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM usage_event_ids", Long.class)).isEqualTo(2);
        assertThat(tablesOfEvents()).containsExactly("usage_events", "usage_events_202610", "usage_events_202610_9", "usage_events_202611",
                "usage_events_202611_9");
    }

    /**
     * A process killed after the load's connection committed the file's tables and before the step's commit attached them
     * leaves them behind, unattached (no query reads them): the next store of that file drops them and loads again, and so
     * does the store of another file, for a file that no store holds.
     */
    @Test
    void tablesLeftUnattachedByAKilledStoreAreDroppedByTheNextStore() throws IOException {
        storeInTransaction(1, staged("2,a1,%d,202610,u1,emails_processed,3\n".formatted(OCT_2)));
        // What the killed loads of files 7 and 8 committed: their October tables, with rows, attached to nothing.
        for (long file : List.of(7L, 8L)) {
            jdbc.execute("CREATE TABLE usage_events_202610_" + file + " (LIKE usage_events, CHECK (month = 202610), CHECK (file_id = " + file + "))");
            jdbc.update("INSERT INTO usage_events_202610_" + file + " VALUES ('left-" + file + "', ?, 202610, 'u9', 'emails_processed', 100, "
                    + file + ", 2)", OCT_2);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM usage_events", Long.class)).isEqualTo(1);

        assertThat(storeInTransaction(7, staged("2,b1,%d,202610,u1,emails_processed,3\n3,b2,%d,202610,u2,ai_responses,1\n"
                .formatted(OCT_2, OCT_2)))).isEqualTo(new EventStore.StoreResult(2, 2, 0, List.of()));

        assertThat(jdbc.queryForList("SELECT event_id || ':' || tableoid::regclass::text FROM usage_events ORDER BY 1", String.class))
                .containsExactly("a1:usage_events_202610_1", "b1:usage_events_202610_7", "b2:usage_events_202610_7");
        assertThat(tablesOfEvents()).doesNotContain("usage_events_202610_8");
        assertThat(jdbc.queryForObject("SELECT SUM(quantity) FROM usage_events", Long.class)).isEqualTo(7);
    }

    /** The roll-up's two ways to the month totals (read out; computed in the database) give the same sums. */
    @Test
    void theMonthTotalsReadOutAndTheQueryForTheDatabaseAgree() throws IOException {
        storeInTransaction(7, staged("""
                2,t1,%d,202610,u1,emails_processed,3
                3,t2,%d,202610,u1,emails_processed,4
                4,t3,%d,202610,u2,ai_responses,1
                5,t4,%d,202611,u1,emails_processed,2
                """.formatted(OCT_2, OCT_2 + 1, OCT_2, NOV_3)));

        List<String> readOut = new java.util.ArrayList<>();
        transaction.executeWithoutResult(status -> store.monthlyTotals(List.of(202610, 202611),
                t -> readOut.add(t.userId() + ":" + t.metric() + ":" + t.month() + ":" + t.quantity())));
        List<String> queried = new java.util.ArrayList<>();
        for (int month : List.of(202610, 202611)) {
            queried.addAll(jdbc.queryForList("SELECT user_id || ':' || metric || ':" + month + ":' || total FROM ("
                    + store.monthlyTotalsQuery(month).orElseThrow() + ") t ORDER BY 1", String.class));
        }

        assertThat(readOut).containsExactly("u1:emails_processed:202610:7", "u1:emails_processed:202611:2", "u2:ai_responses:202610:1");
        assertThat(queried).containsExactlyInAnyOrderElementsOf(readOut);
        assertThat(store.monthlyTotalsQuery(202612)).hasValueSatisfying(sql -> assertThat(jdbc.queryForList(sql)).isEmpty());
    }

    @Test
    void aStoredIdStopsTheLoadAndTheClassificationStoresTheRestWithTheConnectionsGivenBack() throws IOException {
        storeInTransaction(1, staged("2,a0000,%d,202610,u1,emails_processed,3\n3,z9999,%d,202610,u1,emails_processed,4\n"
                .formatted(OCT_2, OCT_2)));

        // 20,000 new ids, then a0000 again, identical (it sorts first: the dedupe key refuses the first row of the sorted
        // ids while nearly all of them are still to come), and z9999 with another quantity (conflicting).
        StringBuilder second = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            second.append(i + 2).append(",n").append(i).append(',').append(OCT_2 + i).append(",202610,u2,ai_responses,1\n");
        }
        second.append("20002,a0000,").append(OCT_2).append(",202610,u1,emails_processed,3\n");
        second.append("20003,z9999,").append(OCT_2).append(",202610,u1,emails_processed,5\n");

        assertThat(storeInTransaction(2, staged(second.toString()))).isEqualTo(new EventStore.StoreResult(20_002, 20_000, 1, List.of(20_003L)));

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM usage_events", Long.class)).isEqualTo(20_002);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM usage_event_ids", Long.class)).isEqualTo(20_002);
        assertThat(jdbc.queryForObject("SELECT SUM(quantity) FROM usage_events WHERE file_id = 2", Long.class)).isEqualTo(20_000);
        // Both pool connections back, neither left in a transaction; a third file is stored through them.
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND state LIKE 'idle in transaction%'", Long.class)).isZero();
        assertThat(storeInTransaction(3, staged("2,c1,%d,202610,u3,emails_processed,9\n".formatted(OCT_2))))
                .isEqualTo(new EventStore.StoreResult(1, 1, 0, List.of()));
        // The refused load's tables were dropped; the classification made the file's own.
        assertThat(tablesOfEvents()).containsExactly("usage_events", "usage_events_202610", "usage_events_202610_1", "usage_events_202610_2",
                "usage_events_202610_3");
    }

    /** A file whose every line is a duplicate: classified, nothing stored, and no empty table of it left in the month. */
    @Test
    void aFileOfDuplicatesOnlyLeavesNoTableBehind() throws IOException {
        storeInTransaction(1, staged("2,d1,%d,202610,u1,emails_processed,3\n".formatted(OCT_2)));

        assertThat(storeInTransaction(2, staged("2,d1,%d,202610,u1,emails_processed,3\n".formatted(OCT_2))))
                .isEqualTo(new EventStore.StoreResult(1, 0, 1, List.of()));

        assertThat(tablesOfEvents()).containsExactly("usage_events", "usage_events_202610", "usage_events_202610_1");
    }

    private List<String> tablesOfEvents() {
        return jdbc.queryForList("SELECT relname::text FROM pg_class WHERE relkind IN ('r', 'p') AND relname LIKE 'usage_events%' "
                + "AND relname NOT LIKE 'usage_event_ids%' AND relname <> 'usage_event_file_months' ORDER BY 1", String.class);
    }

    @Test
    void anInsertWithoutItsFileFindsNoPartitionOutsideTheLoadAndAfterItInTheSameTransaction() {
        String insertWithoutFile = "INSERT INTO usage_events (event_id, ts_us, month, user_id, metric, quantity, line) "
                + "VALUES ('y', " + OCT_2 + ", 202610, 'u1', 'emails_processed', 1, 1)";
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            store.store(1, stagedUnchecked("2,b1,%d,202610,u1,emails_processed,3\n".formatted(OCT_2)));
            new JdbcTemplate(pool).update(insertWithoutFile);
        })).isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("no partition of relation \"usage_events_202610\" found for row");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM usage_events", Long.class)).isZero();

        storeInTransaction(1, stagedUnchecked("2,b1,%d,202610,u1,emails_processed,3\n".formatted(OCT_2)));
        assertThatThrownBy(() -> jdbc.update("INSERT INTO usage_events (event_id, ts_us, month, user_id, metric, quantity, line) "
                + "VALUES ('x', ?, 202610, 'u1', 'emails_processed', 1, 1)", OCT_2))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("no partition of relation \"usage_events_202610\" found for row");
    }

    private EventStore.StoreResult storeInTransaction(long fileId, Path staged) {
        return transaction.execute(status -> store.store(fileId, staged));
    }

    private Path staged(String rows) throws IOException {
        return StagedRows.write(Files.createTempFile(tmp, "staged", ".pgcopy"), rows);
    }

    private Path stagedUnchecked(String rows) {
        try {
            return staged(rows);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
