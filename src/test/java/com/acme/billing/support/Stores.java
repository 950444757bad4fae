package com.acme.billing.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.TreeMap;

/** Reads the event store directly, the way an auditor would, to check what ingest stored. */
public final class Stores {

    private Stores() {
    }

    public static long storedEvents(TestDatabase db) {
        return db.kind() == TestDatabase.Kind.POSTGRES
                ? db.jdbc().queryForObject("SELECT COUNT(*) FROM usage_events", Long.class)
                : duck(db.home(), "SELECT COUNT(*) FROM usage_events");
    }

    /** user|metric|month -> sum(quantity) over stored events. */
    public static TreeMap<String, Long> storedTotals(TestDatabase db) {
        TreeMap<String, Long> totals = new TreeMap<>();
        String sql = "SELECT user_id, metric, month, SUM(quantity) FROM usage_events GROUP BY user_id, metric, month";
        if (db.kind() == TestDatabase.Kind.POSTGRES) {
            db.jdbc().query(sql, rs -> {
                totals.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getInt(3), rs.getLong(4));
            });
            return totals;
        }
        Path file = db.home().resolve("events").resolve("usage-events.duckdb");
        if (!Files.exists(file)) {
            return totals;
        }
        try (Connection c = readOnly(file); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                totals.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getInt(3), rs.getLong(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return totals;
    }

    /** user|metric|YYYY-MM -> count, from the seed's usage_metrics. */
    public static TreeMap<String, Long> usageMetrics(TestDatabase db) {
        TreeMap<String, Long> rows = new TreeMap<>();
        db.jdbc().query("SELECT user_id, metric_type, month_year, count FROM usage_metrics", rs -> {
            rows.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3), rs.getLong(4));
        });
        return rows;
    }

    private static long duck(Path home, String sql) {
        Path file = home.resolve("events").resolve("usage-events.duckdb");
        if (!Files.exists(file)) {
            return 0;
        }
        try (Connection c = readOnly(file); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection readOnly(Path file) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("duckdb.read_only", "true");
        return DriverManager.getConnection("jdbc:duckdb:" + file, properties);
    }
}
