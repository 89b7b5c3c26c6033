package dev.p2pchat.registry.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Where the tests find PostgreSQL: the server {@code scripts/test} started, named by {@value #URL_VARIABLE}.
 * Without it a test that needs it skips, unless {@value #REQUIRED_VARIABLE} is set (CI), when it fails.
 */
public final class TestPostgres {
    static final String URL_VARIABLE = "P2PCHAT_TEST_POSTGRES_URL";
    static final String REQUIRED_VARIABLE = "P2PCHAT_POSTGRES_REQUIRED";

    private TestPostgres() {
    }

    /** The JDBC URL of a database the tests may create schemas in; skips the test (or fails, in CI) without it. */
    public static String urlOrSkip() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            if (System.getenv(REQUIRED_VARIABLE) != null) {
                throw new IllegalStateException(URL_VARIABLE + " is not set but " + REQUIRED_VARIABLE
                        + " is: scripts/test starts PostgreSQL and sets it");
            }
            assumeTrue(false, URL_VARIABLE + " is not set (scripts/test sets it when it can start PostgreSQL)");
        }
        return url;
    }

    /** A schema of one test's own, dropped with everything in it on close. */
    public record Schema(String base, String name) implements AutoCloseable {
        /** The URL whose connections work in this schema. */
        public String url() {
            return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
        }

        @Override
        public void close() throws SQLException {
            execute(base, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }

    /** Creates a new empty schema (skipping the test when there is no PostgreSQL). */
    public static Schema newSchema() {
        String base = urlOrSkip();
        Schema schema = new Schema(base, "t_" + UUID.randomUUID().toString().replace("-", ""));
        try {
            execute(base, "CREATE SCHEMA " + schema.name());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema.name(), e);
        }
        return schema;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection admin = DriverManager.getConnection(url); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }
}
