package dev.chatstore.jdbc;

import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.jdbc.internal.Database;
import dev.chatstore.jdbc.internal.Dialect;
import dev.chatstore.jdbc.internal.JdbcBackend;
import dev.chatstore.jdbc.internal.JdbcOptions;

import java.util.Set;

/**
 * The JDBC backend: {@code jdbc:sqlite:<file>} (embedded) and {@code jdbc:postgresql://host:port/db?user=...}.
 *
 * <p>Opening a store applies pending Flyway migrations (unless {@code backend.auto-migrate=false}, for teams
 * that run {@code chatstore migrate} themselves) and validates the Hibernate mapping against the schema; a
 * schema that does not match fails the open with a {@link dev.chatstore.api.error.StorageConfigurationException}
 * or {@link dev.chatstore.api.error.StorageIOException}. Options:
 * <ul>
 *   <li>{@code backend.pool-size}: connections (PostgreSQL) or reader connections (SQLite), default 10;</li>
 *   <li>{@code backend.connect-timeout-ms}: wait for a connection, default 10000;</li>
 *   <li>{@code backend.busy-timeout-ms}: SQLite's wait for another process's write lock, default 10000;</li>
 *   <li>{@code backend.auto-migrate}: apply migrations on open, default true.</li>
 * </ul>
 * For PostgreSQL, a {@code currentSchema} URL parameter selects (and migration creates) the schema.
 */
public final class JdbcBackendProvider implements StorageBackendProvider {

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public boolean supports(String url) {
        return Dialect.of(url).isPresent();
    }

    @Override
    public String urlPattern() {
        return "jdbc:sqlite:<file> | jdbc:postgresql://host[:port]/database[?user=...&currentSchema=...]";
    }

    @Override
    public Set<String> options() {
        return JdbcOptions.KEYS;
    }

    @Override
    public StorageBackend open(BackendContext context) {
        return open(context.url(), JdbcOptions.from(context));
    }

    static StorageBackend open(String url, JdbcOptions options) {
        Database db = Database.open(url, options);
        try {
            if (options.autoMigrate()) {
                db.migrate(null);
            }
            db.map();
            return new JdbcBackend(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
