package com.acme.billing.gdpr;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.TestDatabase;
import com.acme.billing.user.UserId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A track of a user that serve commits while an erase of that user runs: the erase must leave neither the user's tracked
 * events nor their sums, and never the events without their sum ({@code tracked_usage}, V29), which the next move of
 * tracked events could not take out. The track holds its row of {@code tracked_usage} until it commits, so the erase's
 * delete of the sums waits for it, after its first delete of the tracked events ran without seeing the track's events.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class EraseWhileTrackingTest {

    @Parameter
    TestDatabase.Kind kind;

    @TempDir
    Path tmp;

    TestDatabase db;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(kind, tmp.resolve("home"));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aTrackCommittedDuringTheEraseIsErasedWithItsSum() throws Exception {
        JdbcTemplate jdbc = db.jdbc();
        jdbc.update(insertEvent("t1", 1));
        jdbc.update("INSERT INTO tracked_usage (yyyymm, user_id, metric, quantity) VALUES (202610, 'ursula', 'ai_responses', 1)");

        try (Connection track = connect(); Connection erase = connect()) {
            // serve's track of one more event, committed below
            track.setAutoCommit(false);
            track.createStatement().executeUpdate(insertEvent("t2", 2));
            track.createStatement().executeUpdate("UPDATE tracked_usage SET quantity = quantity + 2 WHERE yyyymm = 202610 "
                    + "AND user_id = 'ursula' AND metric = 'ai_responses'");

            erase.setAutoCommit(false);
            if (kind == TestDatabase.Kind.H2) {
                erase.createStatement().execute("SET LOCK_TIMEOUT 20000");
            }
            UsageData usage = new UsageData(JdbcClient.create(new SingleConnectionDataSource(erase, true)));
            CompletableFuture<PersonalDataHolder.Erased> erased = CompletableFuture.supplyAsync(() -> {
                PersonalDataHolder.Erased done = usage.erase(new UserId("ursula"), new UserId("erased-0000abcd"));
                try {
                    erase.commit();
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
                return done;
            });
            awaitOneSessionWaitingForALock(jdbc);
            assertThat(erased).isNotDone();
            track.commit();
            erased.get(30, TimeUnit.SECONDS);
        }

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tracked_events WHERE user_id = 'ursula'", Long.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tracked_usage WHERE user_id = 'ursula'", Long.class)).isZero();
    }

    private static String insertEvent(String id, int quantity) {
        return "INSERT INTO tracked_events (event_id, ts_us, yyyymm, user_id, metric, quantity, tracked_at) VALUES ('" + id
                + "', 1792000000000000, 202610, 'ursula', 'ai_responses', " + quantity + ", TIMESTAMP WITH TIME ZONE '2026-10-20 00:00:00+00')";
    }

    private Connection connect() throws java.sql.SQLException {
        return DriverManager.getConnection(db.url(), kind == TestDatabase.Kind.POSTGRES ? "postgres" : "", "");
    }

    /** Until the erase waits for the track's lock: only then is the race the one this test is about. */
    private void awaitOneSessionWaitingForALock(JdbcTemplate jdbc) throws InterruptedException {
        String waiting = kind == TestDatabase.Kind.H2
                ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL"
                : "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (jdbc.queryForObject(waiting, Long.class) == 0) {
            assertThat(System.nanoTime()).as("the erase waiting for the track's lock").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
