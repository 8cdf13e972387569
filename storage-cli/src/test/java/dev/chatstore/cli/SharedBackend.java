package dev.chatstore.cli;

import dev.chatstore.api.model.HealthReport;
import dev.chatstore.api.spi.ContextRepository;
import dev.chatstore.api.spi.CredentialRepository;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.spi.MessageRepository;
import dev.chatstore.api.spi.PanelRepository;
import dev.chatstore.api.spi.PersonaRepository;
import dev.chatstore.api.spi.SessionRepository;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.UserRepository;

/**
 * A real backend that outlives the commands run against it: each command closes its {@code ChatStore}, which
 * would close a {@code mem:} backend and lose its data; this one ignores that, so several commands can work on
 * one store, as they would on a file or database store.
 */
final class SharedBackend implements StorageBackend {

    private final StorageBackend delegate;

    SharedBackend(StorageBackend delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public UserRepository users() {
        return delegate.users();
    }

    @Override
    public SessionRepository sessions() {
        return delegate.sessions();
    }

    @Override
    public MessageRepository messages() {
        return delegate.messages();
    }

    @Override
    public DocumentRepository documents() {
        return delegate.documents();
    }

    @Override
    public ContextRepository contexts() {
        return delegate.contexts();
    }

    @Override
    public PanelRepository panels() {
        return delegate.panels();
    }

    @Override
    public PersonaRepository personas() {
        return delegate.personas();
    }

    @Override
    public CredentialRepository credentials() {
        return delegate.credentials();
    }

    @Override
    public HealthReport health() {
        return delegate.health();
    }

    @Override
    public void close() {
        // Kept open for the next command; the test's own reference is the only owner.
    }
}
