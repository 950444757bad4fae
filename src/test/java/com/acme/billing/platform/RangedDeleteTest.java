package com.acme.billing.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** Ranges of users cover every row of the period, also rows of users the query of cuts does not return. */
class RangedDeleteTest {

    SingleConnectionDataSource dataSource;
    JdbcTemplate jdbc;

    /** A fresh in-memory database per test, with the table the cuts are read from. */
    @BeforeEach
    void createDatabase(TestInfo test) {
        dataSource = new SingleConnectionDataSource("jdbc:h2:mem:" + test.getTestMethod().orElseThrow().getName(), true);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE invoices (period VARCHAR(7), user_id VARCHAR(64))");
    }

    @AfterEach
    void dropDatabase() {
        dataSource.destroy();
    }

    @Test
    void everyRowOfThePeriodIsDeletedInRangesAndNothingElse() {
        jdbc.execute("CREATE TABLE summaries (period VARCHAR(7), user_id VARCHAR(64))");
        for (int u = 1; u <= 10; u++) {
            jdbc.update("INSERT INTO invoices VALUES ('2026-10', ?)", "u%02d".formatted(u));
            jdbc.update("INSERT INTO summaries VALUES ('2026-10', ?), ('2026-10', ?)", "u%02d".formatted(u), "u%02d".formatted(u));
            jdbc.update("INSERT INTO invoices VALUES ('2026-09', ?)", "u%02d".formatted(u));
        }
        // Summaries of users without an invoice: before the first cut, between two cuts, after the last.
        jdbc.update("INSERT INTO summaries VALUES ('2026-10', 'a00'), ('2026-10', 'u035'), ('2026-10', 'z99'), ('2026-09', 'z99')");

        RangedDelete delete = new RangedDelete(jdbc, new DataSourceTransactionManager(dataSource), 3, 60_000);
        List<Long> deleted = delete.delete("test", "SELECT user_id FROM invoices WHERE period = ? ORDER BY user_id", "2026-10",
                List.of("DELETE FROM invoices WHERE period = ? AND " + RangedDelete.USERS,
                        "DELETE FROM summaries WHERE period = ? AND " + RangedDelete.USERS));

        assertThat(deleted).containsExactly(10L, 23L);
        assertThat(jdbc.queryForList("SELECT period || ' ' || user_id FROM summaries ORDER BY 1", String.class))
                .containsExactly("2026-09 z99");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM invoices WHERE period = '2026-09'", Long.class)).isEqualTo(10);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM invoices WHERE period = '2026-10'", Long.class)).isZero();
    }

    @Test
    void aPeriodWithoutRowsDeletesNothing() {
        jdbc.update("INSERT INTO invoices VALUES ('2026-09', 'u01')");
        List<Long> deleted = new RangedDelete(jdbc, new DataSourceTransactionManager(dataSource), 500, 60_000).delete("test",
                "SELECT user_id FROM invoices WHERE period = ? ORDER BY user_id", "2026-10",
                List.of("DELETE FROM invoices WHERE period = ? AND " + RangedDelete.USERS));
        assertThat(deleted).containsExactly(0L);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM invoices", Long.class)).isEqualTo(1);
    }
}
