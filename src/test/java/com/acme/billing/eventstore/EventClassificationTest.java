package com.acme.billing.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The classification of a staged file against the stored events, on DuckDB in memory: repeated ids are found through a hash of
 * the id first, then compared exactly. The hash is only a sieve: with hashes that collide for different ids (the id's length,
 * a constant) every line is classified exactly as with DuckDB's 64-bit hash.
 */
class EventClassificationTest {

    /** Stored before: e1 (file 1, line 2), e2, e3; file 2 is the staged one, e1's own line stored by an earlier attempt. */
    static final String STORED = """
            INSERT INTO usage_events VALUES
              ('e1', 100, 202610, 'user-1', 'emails_processed', 1, 2, 2),
              ('e2', 200, 202610, 'user-1', 'emails_processed', 5, 1, 3),
              ('e3', 300, 202610, 'user-2', 'ai_responses', 1, 1, 4)
            """;

    /**
     * Lines 2-12 of file 2: e1 this very line again (A), e2 identical to the stored (D), e3 with another quantity (C), n1 new,
     * n2 new then repeated identically at line 7 (D) and differently at line 8 (C), e2 again at line 9 (D, stored), n3, n4 and
     * n5 new, n4 repeated with another user at line 12 (C).
     */
    static final String STAGED = """
            INSERT INTO staged VALUES
              (2, 'e1', 100, 202610, 'user-1', 'emails_processed', 1),
              (3, 'e2', 200, 202610, 'user-1', 'emails_processed', 5),
              (4, 'e3', 300, 202610, 'user-2', 'ai_responses', 2),
              (5, 'n1', 400, 202610, 'user-3', 'leads_created', 1),
              (6, 'n2', 500, 202610, 'user-3', 'leads_created', 2),
              (7, 'n2', 500, 202610, 'user-3', 'leads_created', 2),
              (8, 'n2', 500, 202610, 'user-3', 'leads_created', 3),
              (9, 'e2', 200, 202610, 'user-1', 'emails_processed', 5),
              (10, 'n3', 600, 202610, 'user-4', 'ai_responses', 1),
              (11, 'n4', 700, 202610, 'user-4', 'ai_responses', 1),
              (12, 'n4', 700, 202610, 'user-5', 'ai_responses', 1),
              (13, 'n55', 800, 202610, 'user-5', 'ai_responses', 1)
            """;

    @ParameterizedTest(name = "id hash {0}")
    @ValueSource(strings = {"hash(event_id)", "length(event_id)", "0"})
    void everyLineIsClassifiedExactlyWhateverTheHashCollides(String idHash) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE usage_events (event_id VARCHAR NOT NULL, ts_us BIGINT NOT NULL, month INTEGER NOT NULL, "
                    + "user_id VARCHAR NOT NULL, metric VARCHAR NOT NULL, quantity BIGINT NOT NULL, file_id BIGINT NOT NULL, line BIGINT NOT NULL)");
            st.execute(STORED);
            st.execute("CREATE TEMP TABLE staged (line BIGINT, event_id VARCHAR, ts_us BIGINT, month INTEGER, user_id VARCHAR, "
                    + "metric VARCHAR, quantity BIGINT)");
            st.execute(STAGED);

            EventStore.StoreResult result = EventClassification.classifyAndInsert(st, 2, " ORDER BY line", idHash);

            // Accepted: e1 (A, stored by the earlier attempt) and the new n1, n2, n3, n4, n55; duplicates: e2 twice, n2 at 7.
            assertThat(result).isEqualTo(new EventStore.StoreResult(12, 6, 3, List.of(4L, 8L, 12L)));
            assertThat(rows(st, "SELECT event_id || ' ' || user_id || ' ' || quantity || ' ' || file_id || ':' || line FROM usage_events "
                    + "ORDER BY file_id, line")).containsExactly(
                            "e2 user-1 5 1:3", "e3 user-2 1 1:4", "e1 user-1 1 2:2", "n1 user-3 1 2:5", "n2 user-3 2 2:6",
                            "n3 user-4 1 2:10", "n4 user-4 1 2:11", "n55 user-5 1 2:13");
        }
    }

    static List<String> rows(Statement st, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
