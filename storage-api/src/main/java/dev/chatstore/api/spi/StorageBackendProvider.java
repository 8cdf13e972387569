package dev.chatstore.api.spi;

import java.util.List;

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
}
