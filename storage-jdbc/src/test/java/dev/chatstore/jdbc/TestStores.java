package dev.chatstore.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.tck.TckFixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stores for this module's own tests, on either database: a SQLite file in a temporary directory or a fresh
 * PostgreSQL schema ({@link PostgresTestDatabase#TEST_PREFIX}). {@link #close()} closes every store opened and
 * deletes every directory and schema made.
 */
public final class TestStores implements AutoCloseable {

    /** The databases a parameterized test runs on. */
    public static List<String> databases() {
        return List.of("sqlite", "postgresql");
    }

    private final List<ChatStore> opened = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private final List<String> schemas = new ArrayList<>();

    /** The URL of a new, empty database of that kind. */
    public String newUrl(String database) {
        if (database.equals("postgresql")) {
            String url = PostgresTestDatabase.freshSchemaUrl();
            schemas.add(url);
            return url;
        }
        try {
            Path dir = Files.createTempDirectory("chatstore-jdbc-test");
            dirs.add(dir);
            return "jdbc:sqlite:" + dir.resolve("chat.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the store at {@code url} with these {@code backend.*} options (closed by {@link #close()}). */
    public ChatStore open(String url, Map<String, String> backendOptions) {
        ChatStoreConfig.Builder config = ChatStoreConfig.isolated().url(url);
        backendOptions.forEach(config::backendOption);
        ChatStore store = ChatStore.builder().config(config.build()).provider(new JdbcBackendProvider()).open();
        opened.add(store);
        return store;
    }

    public ChatStore open(String url) {
        return open(url, Map.of());
    }

    /** Opens a new, empty store of that kind. */
    public ChatStore openNew(String database) {
        return open(newUrl(database));
    }

    /** The single number a query on the database at {@code url} answers (for assertions on what is stored). */
    public static long queryNumber(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        opened.forEach(ChatStore::close);
        opened.clear();
        schemas.forEach(PostgresTestDatabase::drop);
        schemas.clear();
        dirs.forEach(TckFixture::deleteTree);
        dirs.clear();
    }
}
