package dev.chatstore.api.spi;

import dev.chatstore.api.model.HealthReport;

/**
 * The port every adapter implements: a set of repositories over one store. {@code ChatStore} validates every
 * argument, generates IDs, truncates timestamps and decides limits before calling a repository, so a backend
 * stores and returns exactly what it is given and enforces only what needs its own atomicity (seq assignment,
 * version checks, the counting limits it is passed).
 *
 * <p>Implementations are thread-safe. Every method translates driver exceptions into the API's
 * {@link dev.chatstore.api.error.StorageException} subclasses.
 */
public interface StorageBackend extends AutoCloseable {

    /** The provider's name, e.g. {@code mem}. */
    String name();

    UserRepository users();

    SessionRepository sessions();

    MessageRepository messages();

    DocumentRepository documents();

    ContextRepository contexts();

    PanelRepository panels();

    PersonaRepository personas();

    CredentialRepository credentials();

    /** Probes reachability and writability without changing any record a caller can see. */
    HealthReport health();

    /** Releases files, connections and threads. Idempotent. */
    @Override
    void close();
}
