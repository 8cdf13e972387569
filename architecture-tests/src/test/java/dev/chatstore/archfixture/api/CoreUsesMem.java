package dev.chatstore.archfixture.api;

import dev.chatstore.archfixture.mem.FixtureMemoryBackend;

/** VIOLATION of apiCoreDoesNotDependOnMemAdapter: the API core wires the in-memory backend directly. */
public final class CoreUsesMem {

    public Object openDefault() {
        return new FixtureMemoryBackend();
    }
}
