package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.mem.MemoryBackendProvider;

/** The kit against the in-memory reference backend, wired explicitly (no ServiceLoader scan). */
class MemoryBackendTckTest extends ChatStoreTck {

    @Override
    protected TckFixture fixture() {
        return config -> ChatStore.builder()
                .config(config.url("mem:tck").build())
                .provider(new MemoryBackendProvider())
                .open();
    }
}
