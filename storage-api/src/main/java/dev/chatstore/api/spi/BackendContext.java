package dev.chatstore.api.spi;

import dev.chatstore.api.config.ChatStoreConfig;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What a provider gets to open a backend.
 *
 * @param url    the storage URL
 * @param config the whole validated configuration (durability, backend options, ...)
 * @param clock  the store's clock, for backends that stamp derived data
 */
public record BackendContext(String url, ChatStoreConfig config, Clock clock) {

    public BackendContext {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
    }

    /** The typed value of a declared option: the configured one, or its default. */
    public <T> T option(BackendOption<T> option) {
        return option.parse(option(option.key()));
    }

    /** The raw text of a {@code backend.*} option, by its key with or without the prefix. */
    public Optional<String> option(String key) {
        String full = key.startsWith("backend.") ? key : "backend." + key;
        return Optional.ofNullable(config.backendOptions().get(full));
    }
}
