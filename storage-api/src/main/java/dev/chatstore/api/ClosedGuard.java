package dev.chatstore.api;

import dev.chatstore.api.error.StoreClosedException;
import dev.chatstore.api.model.HealthReport;
import dev.chatstore.api.spi.ContextRepository;
import dev.chatstore.api.spi.CredentialRepository;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.spi.ForwardingStorageBackend;
import dev.chatstore.api.spi.MessageLogs;
import dev.chatstore.api.spi.MessageSearch;
import dev.chatstore.api.spi.PanelRepository;
import dev.chatstore.api.spi.PersonaRepository;
import dev.chatstore.api.spi.SessionRepository;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.api.spi.UsageTotalsSource;
import dev.chatstore.api.spi.UserRepository;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The backend as the facades see it: once the store is closed, every call fails with {@link StoreClosedException}
 * (not retryable) before a backend is touched, whatever the adapter would have answered.
 */
final class ClosedGuard extends ForwardingStorageBackend {

    private volatile boolean closed;

    ClosedGuard(StorageBackend delegate) {
        super(delegate);
    }

    private StorageBackend open() {
        if (closed) {
            throw new StoreClosedException("this ChatStore (" + delegate().name() + ") is closed; open the store again");
        }
        return delegate();
    }

    @Override
    public UserRepository users() {
        return open().users();
    }

    @Override
    public SessionRepository sessions() {
        return open().sessions();
    }

    @Override
    public MessageLogs logs() {
        return open().logs();
    }

    @Override
    public DocumentRepository documents() {
        return open().documents();
    }

    @Override
    public ContextRepository contexts() {
        return open().contexts();
    }

    @Override
    public PanelRepository panels() {
        return open().panels();
    }

    @Override
    public PersonaRepository personas() {
        return open().personas();
    }

    @Override
    public CredentialRepository credentials() {
        return open().credentials();
    }

    @Override
    public Optional<MessageSearch> search() {
        return open().search();
    }

    @Override
    public Optional<UsageTotalsSource> usage() {
        return open().usage();
    }

    @Override
    public Optional<StoreMaintenance> maintenance() {
        return open().maintenance();
    }

    /** A closed store is reported unreachable rather than thrown at: health is what monitoring polls. */
    @Override
    public HealthReport health() {
        if (closed) {
            return new HealthReport(delegate().name(), false, false, OptionalLong.empty(), Duration.ZERO,
                    Optional.of("closed"));
        }
        return delegate().health();
    }

    @Override
    public void close() {
        closed = true;
        delegate().close();
    }
}
