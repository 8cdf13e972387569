package dev.chatstore.migration.live;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.spi.ForwardingStorageBackend;
import dev.chatstore.api.spi.StorageBackend;

/** Helpers to reach an open backend's validated operations. */
final class Stores {

    private Stores() {
    }

    /**
     * A {@link ChatStore} over {@code backend} (for its validated {@code transfer()} restores) whose close leaves the
     * backend open: the caller owns the backend.
     */
    static ChatStore over(StorageBackend backend, ChatStoreConfig config) {
        StorageBackend borrowed = new ForwardingStorageBackend(backend) {
            @Override
            public void close() {
                // the backend belongs to the caller
            }
        };
        return ChatStore.builder().config(config).backend(borrowed).open();
    }
}
