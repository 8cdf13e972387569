package dev.chatstore.jdbc.internal;

import dev.chatstore.api.config.Durability;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.spi.BackendContext;

import java.util.Set;
import java.util.function.Function;

/**
 * The {@code backend.*} options of the JDBC backend.
 *
 * @param poolSize             connections in the pool (PostgreSQL) or reader connections (SQLite)
 * @param connectTimeoutMillis how long to wait for a connection before the call fails as unavailable
 * @param busyTimeoutMillis    SQLite: how long a writer waits for another process's write lock
 * @param autoMigrate          whether opening the store applies pending migrations (else it only validates)
 * @param synchronous          SQLite's {@code synchronous} pragma, from the store's durability
 */
public record JdbcOptions(int poolSize, long connectTimeoutMillis, int busyTimeoutMillis, boolean autoMigrate,
                          String synchronous) {

    public static final String POOL_SIZE = "pool-size";
    public static final String CONNECT_TIMEOUT = "connect-timeout-ms";
    public static final String BUSY_TIMEOUT = "busy-timeout-ms";
    public static final String AUTO_MIGRATE = "auto-migrate";

    public static final Set<String> KEYS = Set.of(POOL_SIZE, CONNECT_TIMEOUT, BUSY_TIMEOUT, AUTO_MIGRATE);

    public static JdbcOptions defaults() {
        return new JdbcOptions(10, 10_000, 10_000, true, "FULL");
    }

    public static JdbcOptions from(BackendContext context) {
        Durability durability = context.config().durability();
        String synchronous = switch (durability) {
            case SYNC -> "FULL";
            case BATCH -> "NORMAL";
            case NONE -> "OFF";
        };
        return new JdbcOptions(
                parse(context, POOL_SIZE, 10, Integer::parseInt, 1, 1000),
                parse(context, CONNECT_TIMEOUT, 10_000, Integer::parseInt, 250, 600_000),
                parse(context, BUSY_TIMEOUT, 10_000, Integer::parseInt, 0, 600_000),
                context.option(AUTO_MIGRATE).map(v -> parseBoolean(AUTO_MIGRATE, v)).orElse(true),
                synchronous);
    }

    private static int parse(BackendContext context, String key, int fallback, Function<String, Integer> parser,
                             int min, int max) {
        String raw = context.option(key).orElse(null);
        if (raw == null) {
            return fallback;
        }
        try {
            int v = parser.apply(raw.trim());
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new StorageConfigurationException("backend." + key + " must be an integer from " + min + " to "
                    + max + ", got '" + raw + "'");
        }
    }

    private static boolean parseBoolean(String key, String raw) {
        return switch (raw.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new StorageConfigurationException("backend." + key + " must be true or false, got '" + raw + "'");
        };
    }
}
