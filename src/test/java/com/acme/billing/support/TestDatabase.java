package com.acme.billing.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A fresh billing database for one test: an H2 file under the test's BILLING_HOME (with the
 * DuckDB event store beside it), or a new database on the PostgreSQL at 127.0.0.1:5432 (with its
 * event store), dropped afterwards.
 */
public final class TestDatabase implements AutoCloseable {

    public enum Kind { H2, POSTGRES }

    public static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private final Kind kind;
    private final Path home;
    private final String pgName;

    private TestDatabase(Kind kind, Path home, String pgName) {
        this.kind = kind;
        this.home = home;
        this.pgName = pgName;
    }

    /**
     * A new database holding the application's schema (every migration applied) and nothing else: a copy of one migrated
     * once per kind and test JVM (on PostgreSQL {@code CREATE DATABASE ... TEMPLATE}, on H2 its file copied into
     * {@code home}). Migrating each new database took 0.1-0.2 s on H2 and ~0.35 s on PostgreSQL of its first command, for
     * hundreds of tests (docs/benchmarks.md, "Test suite"). Tests of the migrations themselves, and of what a first start
     * logs, take {@link #empty}.
     */
    public static TestDatabase create(Kind kind, Path home) {
        TestDatabase template = migratedTemplate(kind);
        if (kind == Kind.H2) {
            try {
                copyTree(template.home.resolve("db"), home.resolve("db"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new TestDatabase(kind, home, null);
        }
        String name = newName();
        admin("CREATE DATABASE " + name + " TEMPLATE " + template.pgName);
        return new TestDatabase(kind, home, name);
    }

    /** A new database with nothing in it, not even the schema: the first command that starts the application migrates it. */
    public static TestDatabase empty(Kind kind, Path home) {
        if (kind == Kind.H2) {
            return new TestDatabase(kind, home, null);
        }
        String name = newName();
        admin("CREATE DATABASE " + name);
        return new TestDatabase(kind, home, name);
    }

    private static final java.util.Map<Kind, TestDatabase> TEMPLATES = new java.util.EnumMap<>(Kind.class);

    /** Migrated by a command, as any installation is by its first one; dropped (PostgreSQL) or deleted (H2) when the JVM ends. */
    private static synchronized TestDatabase migratedTemplate(Kind kind) {
        TestDatabase template = TEMPLATES.get(kind);
        if (template == null) {
            try {
                Path home = Files.createTempDirectory("billing-template-" + kind.name().toLowerCase(java.util.Locale.ROOT) + "-");
                template = empty(kind, home);
                Cli.Result migrated = template.cli().run("executions");
                if (migrated.exit() != 0) {
                    throw new IllegalStateException("could not migrate the template database: " + migrated);
                }
                TestDatabase created = template;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    created.close();
                    org.springframework.util.FileSystemUtils.deleteRecursively(home.toFile());
                }));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            TEMPLATES.put(kind, template);
        }
        return template;
    }

    /**
     * A new database with this one's content, its home copied to {@code newHome}: on PostgreSQL a {@code CREATE DATABASE ...
     * TEMPLATE} of this one (whose event store is in it), on H2 the copied home itself (the H2 file and the DuckDB event store
     * are in it). For a fixture that is slow to build and used by several tests; nothing may be connected to this database
     * (no serve, no job running) while it is copied.
     */
    public TestDatabase copy(Path newHome) throws IOException {
        copyTree(home, newHome);
        if (kind == Kind.H2) {
            return new TestDatabase(kind, newHome, null);
        }
        String name = newName();
        admin("CREATE DATABASE " + name + " TEMPLATE " + pgName);
        return new TestDatabase(kind, newHome, name);
    }

    private static String newName() {
        return "billing_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Every file under {@code from}, except H2's lock and trace files (of connections that are no more). */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        if (!Files.exists(from)) {
            return;
        }
        try (var paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                String name = source.getFileName().toString();
                if (name.endsWith(".lock.db") || name.endsWith(".trace.db")) {
                    continue;
                }
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    public Kind kind() {
        return kind;
    }

    public Path home() {
        return home;
    }

    public String url() {
        return kind == Kind.H2 ? com.acme.billing.BillingApplication.defaultH2Url(home)
                : "jdbc:postgresql://127.0.0.1:5432/" + pgName;
    }

    /** The environment a user would set for this database. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BILLING_HOME", home.toString());
        if (kind == Kind.POSTGRES) {
            env.put("BILLING_DB_URL", url());
            env.put("BILLING_DB_USER", "postgres");
        }
        return env;
    }

    public Cli cli() {
        return new Cli(env());
    }

    /** Runs the application's migrations up to {@code version} only, as an earlier release left the database (tests of a migration). */
    public void migrateTo(String version) {
        org.flywaydb.core.Flyway.configure().dataSource(url(), kind == Kind.POSTGRES ? "postgres" : "", "")
                .locations("classpath:db/migration/common", "classpath:db/migration/" + (kind == Kind.POSTGRES ? "postgresql" : "h2"))
                .target(version).load().migrate();
    }

    /** Plain JDBC on the billing database, for assertions (H2 through its auto-server). */
    public JdbcTemplate jdbc() {
        DriverManagerDataSource ds = new DriverManagerDataSource(url(), kind == Kind.POSTGRES ? "postgres" : "", "");
        return new JdbcTemplate((DataSource) ds);
    }

    @Override
    public void close() {
        if (pgName != null) {
            admin("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
        }
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is needed for the tests (.ci/run starts it): " + e.getMessage(), e);
        }
    }
}
