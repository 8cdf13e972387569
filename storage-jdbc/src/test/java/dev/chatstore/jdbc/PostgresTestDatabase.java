package dev.chatstore.jdbc;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL the tests use: {@code CHATSTORE_TEST_POSTGRES_URL} if set, else a Testcontainers container
 * where Docker is available, else {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. Every store
 * gets its own schema ({@code currentSchema=...}), created here and dropped by {@link #drop}. Schema names start
 * with {@link #TCK_PREFIX} (the kit) or {@link #TEST_PREFIX} (the module's own tests), then this JVM's run ID,
 * so a leftover can be found and traced to what made it.
 *
 * <p>Without a reachable PostgreSQL the tests are skipped with a loud message, except under {@code CI=true},
 * where that is a failure: CI must never pass by skipping a backend.
 */
public final class PostgresTestDatabase {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    /** The prefix of the schemas the TCK's stores live in. */
    static final String TCK_PREFIX = "chatstore_tck_";
    /** The prefix of the schemas of this module's other tests. */
    static final String TEST_PREFIX = "chatstore_test_";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36);
    private static volatile String baseUrl;
    private static PostgreSQLContainer<?> container;

    private PostgresTestDatabase() {
    }

    /** The base URL, or aborts (skips) / fails the test when there is no PostgreSQL. */
    public static synchronized String baseUrl() {
        if (baseUrl != null) {
            return baseUrl;
        }
        String env = System.getenv("CHATSTORE_TEST_POSTGRES_URL");
        String url;
        if (env != null && !env.isBlank()) {
            url = env;
        } else if (dockerAvailable()) {
            container = new PostgreSQLContainer<>("postgres:15-alpine");
            container.start();
            url = container.getJdbcUrl() + "&user=" + container.getUsername() + "&password=" + container.getPassword();
            if (!container.getJdbcUrl().contains("?")) {
                url = container.getJdbcUrl() + "?user=" + container.getUsername() + "&password=" + container.getPassword();
            }
        } else {
            url = DEFAULT_URL;
        }
        try (Connection c = DriverManager.getConnection(url)) {
            c.isValid(5);
        } catch (SQLException e) {
            String message = "\n\n*** PostgreSQL is not reachable at " + url + " (" + e.getMessage() + ").\n"
                    + "*** Set CHATSTORE_TEST_POSTGRES_URL, start Docker, or run PostgreSQL on 127.0.0.1:5432.\n";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + "*** Under CI=true a missing PostgreSQL is a failure.", e);
            }
            System.err.println(message + "*** Skipping the PostgreSQL tests.\n");
            Assumptions.abort("PostgreSQL not reachable: " + e.getMessage());
        }
        baseUrl = url;
        return url;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    /** Creates a fresh schema for one of this module's tests and returns the URL that selects it. */
    public static String freshSchemaUrl() {
        return freshSchemaUrl(TEST_PREFIX);
    }

    /** Creates a fresh schema named {@code prefix + run + "_" + n} and returns the URL that selects it. */
    public static String freshSchemaUrl(String prefix) {
        String base = baseUrl();
        String schema = prefix + RUN + "_" + SCHEMAS.incrementAndGet();
        execute(base, "CREATE SCHEMA " + schema);
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static void drop(String schemaUrl) {
        String schema = schemaUrl.substring(schemaUrl.lastIndexOf("currentSchema=") + "currentSchema=".length());
        execute(baseUrl(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    public static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
