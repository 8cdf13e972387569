package dev.chatstore.api.spi;

import java.util.List;
import java.util.Optional;

/**
 * Creates backends for the URLs it supports. Adapters register one in
 * {@code META-INF/services/dev.chatstore.api.spi.StorageBackendProvider}; {@code ChatStore} finds them with
 * {@link java.util.ServiceLoader}, or is handed one explicitly (no scanning).
 */
public interface StorageBackendProvider {

    /** A short name used in messages and health reports, e.g. {@code mem}, {@code file}, {@code jdbc}. */
    String name();

    /** Whether this provider handles the URL (by its scheme, like JDBC's {@code acceptsURL}). */
    boolean supports(String url);

    /** The URL forms it accepts, for error messages, e.g. {@code "mem:[name]"}. */
    String urlPattern();

    /**
     * The {@code backend.*} options it accepts; the core rejects any other key, and any malformed value of these,
     * before {@link #open} is called.
     */
    default List<BackendOption<?>> options() {
        return List.of();
    }

    /**
     * Opens (creating if needed) the store the context's URL names.
     *
     * @throws dev.chatstore.api.error.StorageConfigurationException if the URL or an option is malformed
     * @throws dev.chatstore.api.error.StorageUnavailableException   if the store cannot be reached
     */
    StorageBackend open(BackendContext context);

    /**
     * Check, repair and schema operations on the store the context names, without opening it for use: a damaged
     * file store or a JDBC store whose schema is behind must still be checkable and upgradable, while opening it
     * would refuse. Empty when this kind of store has none. The caller closes what it gets.
     *
     * @throws dev.chatstore.api.error.StorageConfigurationException if the URL is malformed or names no store
     */
    default Optional<StoreMaintenance> maintenance(BackendContext context) {
        return Optional.empty();
    }
}
