package com.acme.billing.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database from before V29 holds tracked events, some of them moved already: V29 fills {@code tracked_usage} with the
 * sums of the unmoved ones, so that the next move finds the rows it subtracts from and the API counts each event once.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class TrackedUsageMigrationTest {

    @Parameter
    TestDatabase.Kind kind;

    @TempDir
    Path tmp;

    TestDatabase db;
    Cli cli;

    @BeforeEach
    void setUp() {
        db = TestDatabase.empty(kind, tmp.resolve("home")); // migrated step by step by the test
        cli = db.cli().with("BILLING_NOW", "2026-11-04T00:00:00Z");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void theUnmovedTrackedEventsAreSummedPerMonthUserAndMetric() {
        db.migrateTo("28");
        var jdbc = db.jdbc();
        // event id, micros, yyyymm, user, metric, quantity, moved
        Object[][] events = {
            {"e1", 1_791_000_000_000_000L, 202610, "alice", "ai_responses", 3, null},
            {"e2", 1_791_000_001_000_000L, 202610, "alice", "ai_responses", 4, null},
            {"e3", 1_791_000_002_000_000L, 202610, "alice", "ai_responses", 100, "f00d"},
            {"e4", 1_791_000_003_000_000L, 202610, "alice", "leads_created", 2, null},
            {"e5", 1_791_000_004_000_000L, 202610, "bob", "ai_responses", 7, null},
            {"e6", 1_793_600_000_000_000L, 202611, "alice", "ai_responses", 5, null},
            {"e7", 1_791_000_005_000_000L, 202610, "carol", "emails_processed", 9, "f00d"},
        };
        for (Object[] e : events) {
            jdbc.update("INSERT INTO tracked_events (event_id, ts_us, yyyymm, user_id, metric, quantity, tracked_at, moved_sha256) "
                    + "VALUES (?, ?, ?, ?, ?, ?, TIMESTAMP WITH TIME ZONE '2026-10-20 00:00:00+00', ?)", e);
        }

        cli.ok("import-catalog", "sample-data/catalog.yaml"); // starts the application: Flyway runs V29

        assertThat(jdbc.queryForList("SELECT yyyymm, user_id, metric, quantity FROM tracked_usage ORDER BY yyyymm, user_id, metric"))
                .extracting(row -> List.of(((Number) row.get("yyyymm")).intValue(), row.get("user_id"), row.get("metric"),
                        ((Number) row.get("quantity")).longValue()))
                .containsExactly(List.of(202610, "alice", "ai_responses", 7L), List.of(202610, "alice", "leads_created", 2L),
                        List.of(202610, "bob", "ai_responses", 7L), List.of(202611, "alice", "ai_responses", 5L));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tracked_events", Long.class)).isEqualTo(7);

        // The next move takes the five unmoved events out of their rows: none is left to count twice.
        cli.ok("usage", "--period", "2026-10", "--json");
        assertThat(jdbc.queryForList("SELECT quantity FROM tracked_usage", Long.class)).containsOnly(0L).hasSize(4);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tracked_events WHERE moved_sha256 IS NULL", Long.class)).isZero();
    }
}
