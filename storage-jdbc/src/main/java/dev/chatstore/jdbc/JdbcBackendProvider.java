package dev.chatstore.jdbc;

import dev.chatstore.api.StorageBackends;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.BackendOption;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.api.spi.StoreMaintenance.SchemaStatus;
import dev.chatstore.jdbc.internal.Database;
import dev.chatstore.jdbc.internal.Dialect;
import dev.chatstore.jdbc.internal.JdbcBackend;
import dev.chatstore.jdbc.internal.JdbcMaintenance;
import dev.chatstore.jdbc.internal.JdbcOptions;
import dev.chatstore.jdbc.internal.JdbcSchema;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * The JDBC backend: {@code jdbc:sqlite:<file>} (embedded) and {@code jdbc:postgresql://host:port/db?user=...}.
 *
 * <p>Opening a store applies pending Flyway migrations. With {@code backend.auto-migrate=false} (for teams that
 * migrate as their own step, with {@code chatstore schema upgrade}) it only reads the schema version, and a schema
 * that is not at the latest version fails the open with a {@link StorageConfigurationException} saying so. Opening a
 * store whose schema is at the version the tests validated the Hibernate mapping against reads Flyway's history
 * table and nothing else (Flyway's checksum validation is {@code check}'s job, {@code chatstore schema validate});
 * at any other version Flyway runs, and the mapping is validated against the schema. Hibernate itself starts on the
 * first call that needs it, so opening a store and appending to a session never waits for it. Schema operations are offered as {@link StoreMaintenance}: on an open store
 * ({@code ChatStore.maintenance()}), and without opening it for use, whatever its schema version
 * ({@link #maintenance}, which {@code StorageBackends.maintenance(config)} and {@code chatstore schema} call). The
 * options are {@link JdbcOptions#ALL}:
 * <ul>
 *   <li>{@code backend.pool-size}: connections (PostgreSQL) or reader connections (SQLite), 1 to 1000, default
 *       twice the available cores, at least 16 and at most 64 ({@link JdbcOptions#DEFAULT_POOL_SIZE}): appends wait
 *       mostly for their commit's WAL flush, so 16 writer threads each need a connection for their commits to be
 *       flushed together; size it to the writer threads of the application, within the server's
 *       {@code max_connections} shared by every client;</li>
 *   <li>{@code backend.connect-timeout-ms}: wait for a connection, default 10000;</li>
 *   <li>{@code backend.busy-timeout-ms}: SQLite's wait for another process's write lock, default 10000;</li>
 *   <li>{@code backend.auto-migrate}: apply migrations on open, default true.</li>
 * </ul>
 * For PostgreSQL, a {@code currentSchema} URL parameter selects (and migration creates) the schema. With
 * {@code store.create-if-missing=false} or {@code store.read-only=true} nothing is created: a missing SQLite file, or
 * a database (schema) without Chatstore's schema history, fails the open with "no Chatstore store at ...", and
 * read-only never migrates.
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
        ChatStoreConfig config = context.config();
        boolean mayCreate = mayCreate(config);
        Database db = openDatabase(context, options, mayCreate);
        try {
            JdbcSchema schema = new JdbcSchema(db);
            // The common case, a store at the version this release's mapping was validated against, costs one read
            // of Flyway's history table: neither Flyway nor Hibernate's schema validation runs.
            if (!schema.atValidatedVersion()) {
                SchemaStatus status = options.autoMigrate() && mayCreate ? schema.upgradeOnOpen() : schema.status();
                if (status.current().equals(JdbcSchema.NONE) && !mayCreate) {
                    throw noStore(context.url(), config);
                }
                if (!status.upToDate()) {
                    throw new StorageConfigurationException("the schema of " + db.location() + " is at version "
                            + status.current() + " but this release needs version " + status.latest() + " (pending: "
                            + String.join(", ", status.pending()) + "); run `chatstore schema upgrade` on it first"
                            + (config.readOnly() ? "" : ", or open it with backend.auto-migrate=true"));
                }
                if (!status.current().equals(Database.VALIDATED_SCHEMA_VERSION)) {
                    db.validateMapping();
                }
            }
            return new JdbcBackend(db, schema);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Whether this open may create the store; read-only creates and migrates nothing. */
    private static boolean mayCreate(ChatStoreConfig config) {
        return config.createIfMissing() && !config.readOnly();
    }

    /** The database's pools; a missing SQLite file is refused, not created, when the store may not be created. */
    private static Database openDatabase(BackendContext context, JdbcOptions options, boolean mayCreate) {
        Dialect.sqliteFile(context.url()).filter(file -> !mayCreate && !Files.exists(file)).ifPresent(file -> {
            throw noStore(context.url(), context.config());
        });
        return Database.open(context.url(), options);
    }

    private static StorageConfigurationException noStore(String url, ChatStoreConfig config) {
        return new StorageConfigurationException("no Chatstore store at " + StorageBackends.redact(url) + " (no schema"
                + " history), and " + (config.readOnly() ? "store.read-only=true" : "store.create-if-missing=false")
                + ": check the URL, or allow creating it");
    }

    /**
     * The schema and check operations on the store, without migrating it or mapping it: connections only, closed with
     * the result. Works at any schema version (an empty database is at version {@code 0}); with
     * {@code store.create-if-missing=false} or read-only, a database without Chatstore's schema history is refused
     * ("no Chatstore store at …") instead of reported at version {@code 0}.
     */
    @Override
    public Optional<StoreMaintenance> maintenance(BackendContext context) {
        ChatStoreConfig config = context.config();
        boolean mayCreate = mayCreate(config);
        Database db = openDatabase(context, JdbcOptions.from(context), mayCreate);
        try {
            // a mistyped PostgreSQL schema is an empty one: without leave to create, it is no store, not version 0.
            // As in open, a store at the validated version costs one read of the history, not Flyway's info.
            JdbcSchema schema = new JdbcSchema(db);
            if (!mayCreate && !schema.atValidatedVersion() && schema.status().current().equals(JdbcSchema.NONE)) {
                throw noStore(context.url(), config);
            }
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return Optional.of(JdbcMaintenance.standalone(db));
    }
}
