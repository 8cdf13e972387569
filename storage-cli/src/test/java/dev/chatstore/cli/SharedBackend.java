package dev.chatstore.cli;

import dev.chatstore.api.spi.ForwardingStorageBackend;
import dev.chatstore.api.spi.StorageBackend;

/**
 * A real backend that outlives the commands run against it: each command closes its {@code ChatStore}, which
 * would close a {@code mem:} backend and lose its data; this one ignores that, so several commands can work on
 * one store, as they would on a file or database store.
 */
final class SharedBackend extends ForwardingStorageBackend {

    SharedBackend(StorageBackend delegate) {
        super(delegate);
    }

    @Override
    public void close() {
        // Kept open for the next command; the test's own reference is the only owner.
    }
}
