package dev.chatstore.mem;

import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;

/**
 * The {@code mem:} backend: every open gives a new, empty, thread-safe store that lives as long as it stays
 * open. {@code mem:name} is accepted, the name being only a label. For unit tests and as the TCK's reference.
 */
public final class MemoryBackendProvider implements StorageBackendProvider {

    @Override
    public String name() {
        return "mem";
    }

    @Override
    public boolean supports(String url) {
        return url.equals("mem:") || url.startsWith("mem:");
    }

    @Override
    public String urlPattern() {
        return "mem:[label]";
    }

    @Override
    public StorageBackend open(BackendContext context) {
        return new MemoryBackend(context.url());
    }
}
