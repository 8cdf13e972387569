package dev.chatstore.jdbc;

import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.BackendOption;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.api.spi.StoreMaintenance.SchemaStatus;
import dev.chatstore.jdbc.internal.Database;
import dev.chatstore.jdbc.internal.Dialect;
import dev.chatstore.jdbc.internal.JdbcBackend;
import dev.chatstore.jdbc.internal.JdbcOptions;
import dev.chatstore.jdbc.internal.JdbcSchema;

import java.util.List;

/**
 * The JDBC backend: {@code jdbc:sqlite:<file>} (embedded) and {@code jdbc:postgresql://host:port/db?user=...}.
 *
 * <p>Opening a store applies pending Flyway migrations. With {@code backend.auto-migrate=false} (for teams that
 * migrate as their own step, with {@code chatstore schema upgrade}) it only reads the schema version, and a schema
 * that is not at the latest version fails the open with a {@link StorageConfigurationException} saying so. The
 * Hibernate mapping is validated against the schema when the schema is at a version the tests have not validated it
 * against. Schema operations are offered as {@link dev.chatstore.api.spi.StoreMaintenance}
 * ({@code ChatStore.maintenance()}); {@code backend.maintenance-only=true} opens a store for them alone, whatever its
 * schema version. The options are {@link JdbcOptions#ALL}:
 * <ul>
 *   <li>{@code backend.pool-size}: connections (PostgreSQL) or reader connections (SQLite), default 10;</li>
 *   <li>{@code backend.connect-timeout-ms}: wait for a connection, default 10000;</li>
 *   <li>{@code backend.busy-timeout-ms}: SQLite's wait for another process's write lock, default 10000;</li>
 *   <li>{@code backend.auto-migrate}: apply migrations on open, default true;</li>
 *   <li>{@code backend.maintenance-only}: open for schema operations only, default false.</li>
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
    public List<BackendOption<?>> options() {
        return JdbcOptions.ALL;
    }

    @Override
    public StorageBackend open(BackendContext context) {
        JdbcOptions options = JdbcOptions.from(context);
        Database db = Database.open(context.url(), options);
        try {
            JdbcSchema schema = new JdbcSchema(db);
            if (options.maintenanceOnly()) {
                db.refuseData(db.location() + " is open for schema maintenance only (backend.maintenance-only=true);"
                        + " open it without that option to read or write records");
                return new JdbcBackend(db, schema, false);
            }
            SchemaStatus status = options.autoMigrate() ? schema.upgrade(java.util.Optional.empty()) : schema.status();
            if (!status.upToDate()) {
                throw new StorageConfigurationException("the schema of " + db.location() + " is at version "
                        + status.current() + " but this release needs version " + status.latest() + " (pending: "
                        + String.join(", ", status.pending()) + "); run `chatstore schema upgrade` on it first, or open it"
                        + " with backend.auto-migrate=true");
            }
            db.map(!status.current().equals(Database.VALIDATED_SCHEMA_VERSION));
            return new JdbcBackend(db, schema, true);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
