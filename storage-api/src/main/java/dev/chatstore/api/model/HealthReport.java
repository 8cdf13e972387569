package dev.chatstore.api.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The state of a store as its backend sees it.
 *
 * @param backend   the backend's name, e.g. {@code mem}, {@code file}
 * @param reachable whether the backend answered
 * @param writable  whether a probe write succeeded
 * @param sizeBytes the storage used, when the backend can tell
 * @param latency   how long the probe took
 * @param detail    a human-readable explanation when something is wrong
 */
public record HealthReport(String backend, boolean reachable, boolean writable, OptionalLong sizeBytes,
                           Duration latency, Optional<String> detail) {

    public HealthReport {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(sizeBytes, "sizeBytes");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(detail, "detail");
    }

    public boolean healthy() {
        return reachable && writable;
    }
}
