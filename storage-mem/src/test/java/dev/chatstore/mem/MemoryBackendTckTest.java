package dev.chatstore.mem;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;

import java.util.concurrent.atomic.AtomicLong;

/** The kit against the in-memory reference backend, wired explicitly (no ServiceLoader scan). */
class MemoryBackendTckTest extends ChatStoreTck {

    private static final AtomicLong STORES = new AtomicLong();

    @Override
    protected TckFixture fixture() {
        return new TckFixture() {
            @Override
            public StorageBackendProvider provider() {
                return new MemoryBackendProvider();
            }

            @Override
            public void configure(ChatStoreConfig.Builder config) {
                config.url("mem:tck-" + STORES.incrementAndGet());
            }
        };
    }
}
