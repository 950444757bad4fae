package com.acme.billing.tools;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The yardstick of the ingest benchmark (issue 11): DuckDB alone reads the same CSV log and groups it by
 * user, metric and month, in memory, nothing stored or checked. {@code jobs/bench-ingest} compares the
 * product's end-to-end ingest with this time, measured in the same run on the same machine.
 *
 * <pre>jobs/billing duckdb-scan FILE</pre> prints {@code seconds=S groups=N rows=R}.
 */
public final class DuckDbScan {

    private DuckDbScan() {
    }

    public static int main(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
            err.println("usage: jobs/billing duckdb-scan FILE   (a usage log in CSV)");
            return 2;
        }
        String file = Path.of(args[0]).toAbsolutePath().toString().replace("'", "''");
        long start = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:"); Statement st = connection.createStatement()) {
            st.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
            try (ResultSet rs = st.executeQuery("""
                    SELECT COUNT(*), SUM(n) FROM (
                      SELECT user_id, metric, date_trunc('month', timestamp) AS month, SUM(quantity) AS q, COUNT(*) AS n
                      FROM read_csv('%s', header = true, columns = {'event_id': 'VARCHAR', 'timestamp': 'TIMESTAMPTZ',
                        'user_id': 'VARCHAR', 'metric': 'VARCHAR', 'quantity': 'BIGINT'})
                      GROUP BY ALL)""".formatted(file))) {
                rs.next();
                double seconds = (System.nanoTime() - start) / 1e9;
                out.printf("seconds=%.3f groups=%d rows=%d%n", seconds, rs.getLong(1), rs.getLong(2));
            }
            return 0;
        } catch (SQLException e) {
            err.println("duckdb-scan: " + e.getMessage());
            return 1;
        }
    }
}
