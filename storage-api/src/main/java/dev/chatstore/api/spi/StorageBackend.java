package dev.chatstore.api.spi;

import dev.chatstore.api.model.HealthReport;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The port every adapter implements: a set of repositories over one store. {@code ChatStore} validates every
 * argument, generates IDs, truncates timestamps, decides limits, checks restores and retries lost compare-and-sets
 * before calling a repository, so a backend stores and returns exactly what it is given and enforces only what
 * needs its own atomicity (seq assignment, version checks, unique keys, the counting limits it is passed).
 *
 * <p>What a minimal adapter must write is the abstract methods; search, usage totals, health and maintenance are
 * optional (the core falls back to scanning, or reports "not supported"), and several repository methods have
 * defaults built on the others that an adapter overrides when its storage can do better.
 *
 * <p>Implementations are thread-safe. Every method translates driver exceptions into the API's
 * {@link dev.chatstore.api.error.StorageException} subclasses. Decorators extend {@link ForwardingStorageBackend}.
 */
public interface StorageBackend extends AutoCloseable {

    /** The provider's name, e.g. {@code mem}. */
    String name();

    UserRepository users();

    SessionRepository sessions();

    /** The message logs of sessions and panels. */
    MessageLogs logs();

    DocumentRepository documents();

    ContextRepository contexts();

    PanelRepository panels();

    PersonaRepository personas();

    CredentialRepository credentials();

    /** A native search; empty means the core scans the logs. */
    default Optional<MessageSearch> search() {
        return Optional.empty();
    }

    /** Native usage totals; empty means the core scans the logs. */
    default Optional<UsageTotalsSource> usage() {
        return Optional.empty();
    }

    /** Check, repair and schema operations of this kind of store, when it has any. */
    default Optional<StoreMaintenance> maintenance() {
        return Optional.empty();
    }

    /**
     * Probes reachability and writability without changing any record a caller can see. The default reads one
     * user and reports the store writable without proving it; adapters override it with a real probe.
     */
    default HealthReport health() {
        long started = System.nanoTime();
        try {
            users().list("", 1);
            return new HealthReport(name(), true, true, OptionalLong.empty(),
                    Duration.ofNanos(System.nanoTime() - started), Optional.of("read probe only"));
        } catch (RuntimeException e) {
            return new HealthReport(name(), false, false, OptionalLong.empty(),
                    Duration.ofNanos(System.nanoTime() - started), Optional.of(String.valueOf(e.getMessage())));
        }
    }

    /** Releases files, connections and threads. Idempotent. */
    @Override
    void close();
}
