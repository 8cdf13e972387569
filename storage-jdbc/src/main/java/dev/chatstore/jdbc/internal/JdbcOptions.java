package dev.chatstore.jdbc.internal;

import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.BackendOption;

import java.time.Duration;
import java.util.List;

/**
 * The {@code backend.*} options of the JDBC backend, as typed descriptors the core validates before opening, and the
 * values one store was opened with.
 *
 * @param poolSize         connections in the pool (PostgreSQL) or reader connections (SQLite)
 * @param connectTimeout   how long to wait for a connection before the call fails as unavailable
 * @param busyTimeout      SQLite: how long a writer waits for another process's write lock
 * @param autoMigrate      whether opening the store applies pending migrations (else it only checks the version)
 * @param synchronous      SQLite's {@code synchronous} pragma, from the store's durability
 */
public record JdbcOptions(int poolSize, Duration connectTimeout, Duration busyTimeout, boolean autoMigrate,
                          String synchronous) {

    /**
     * The default pool: twice the cores this JVM may use, at least 16 and at most 64. PostgreSQL appends spend most of
     * their time waiting for the commit's WAL flush, not on a core, so a pool well above the core count lets 16
     * writers commit together (the server flushes their commits in one go) instead of queueing for a connection;
     * 64 stays well inside PostgreSQL's default {@code max_connections} of 100.
     */
    public static final int DEFAULT_POOL_SIZE = Math.min(64, Math.max(16,
            2 * Runtime.getRuntime().availableProcessors()));
    public static final BackendOption<Long> POOL_SIZE = BackendOption.number("pool-size", DEFAULT_POOL_SIZE, 1, 1000,
            "connections in the pool (PostgreSQL) or reader connections (SQLite); default twice the cores, 16 to 64");
    public static final BackendOption<Duration> CONNECT_TIMEOUT = BackendOption.millis("connect-timeout-ms", 10_000,
            250, 600_000, "how long a call waits for a connection before failing as unavailable");
    public static final BackendOption<Duration> BUSY_TIMEOUT = BackendOption.millis("busy-timeout-ms", 10_000, 0,
            600_000, "SQLite: how long a writer waits for another process's write lock");
    public static final BackendOption<Boolean> AUTO_MIGRATE = BackendOption.bool("auto-migrate", true,
            "apply pending schema migrations when the store opens; with false, an out-of-date schema fails the open"
                    + " (run `chatstore schema upgrade`)");

    /** Every option, for {@code StorageBackendProvider.options()}. */
    public static final List<BackendOption<?>> ALL = List.of(POOL_SIZE, CONNECT_TIMEOUT, BUSY_TIMEOUT, AUTO_MIGRATE);

    /** The defaults, with {@code synchronous=FULL} (durability {@code sync}). */
    public static JdbcOptions defaults() {
        return new JdbcOptions(DEFAULT_POOL_SIZE, Duration.ofSeconds(10), Duration.ofSeconds(10), true, "FULL");
    }

    public static JdbcOptions from(BackendContext context) {
        String synchronous = switch (context.config().durability()) {
            case SYNC -> "FULL";
            case BATCH -> "NORMAL";
            case NONE -> "OFF";
        };
        return new JdbcOptions(Math.toIntExact(context.option(POOL_SIZE)), context.option(CONNECT_TIMEOUT),
                context.option(BUSY_TIMEOUT), context.option(AUTO_MIGRATE), synchronous);
    }

    long connectTimeoutMillis() {
        return connectTimeout.toMillis();
    }

    int busyTimeoutMillis() {
        return Math.toIntExact(busyTimeout.toMillis());
    }
}
