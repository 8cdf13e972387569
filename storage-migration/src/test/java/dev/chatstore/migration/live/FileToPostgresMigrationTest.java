package dev.chatstore.migration.live;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * The end-to-end live migration from a file store to PostgreSQL ({@code CHATSTORE_TEST_POSTGRES_URL}, else
 * 127.0.0.1:5432 database test, user postgres), in a fresh {@code chatstore_migration_*} schema dropped afterwards.
 * No PostgreSQL is a failure, not a skip.
 */
class FileToPostgresMigrationTest extends LiveMigrationScenario {

    private static final String BASE = System.getenv().getOrDefault("CHATSTORE_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private String schema;

    @Override
    protected String newTargetUrl(Path dir) throws Exception {
        schema = "chatstore_migration_" + Long.toString(ProcessHandle.current().pid(), 36) + "_"
                + Long.toString(System.nanoTime(), 36);
        execute("CREATE SCHEMA " + schema);
        return BASE + (BASE.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    protected void dropTarget() throws Exception {
        if (schema != null) {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(BASE); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
