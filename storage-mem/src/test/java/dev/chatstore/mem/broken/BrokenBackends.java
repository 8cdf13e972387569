package dev.chatstore.mem.broken;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.spi.ForwardingStorageBackend;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.MessageLogs;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.api.spi.UserRepository;
import dev.chatstore.mem.MemoryBackendProvider;
import dev.chatstore.tck.TckFixture;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Deliberately broken adapters: the mem backend with one mistake each, the kind a new adapter makes. The kit's
 * contracts must fail on each ({@code BrokenAdaptersTest}), which proves the contracts can fail at all.
 */
final class BrokenBackends {

    private static final AtomicLong STORES = new AtomicLong();

    private BrokenBackends() {
    }

    /** A fixture serving mem stores wrapped by {@code breakIt}. */
    static TckFixture fixture(UnaryOperator<StorageBackend> breakIt) {
        StorageBackendProvider mem = new MemoryBackendProvider();
        StorageBackendProvider broken = new StorageBackendProvider() {
            @Override
            public String name() {
                return "broken-mem";
            }

            @Override
            public boolean supports(String url) {
                return mem.supports(url);
            }

            @Override
            public String urlPattern() {
                return mem.urlPattern();
            }

            @Override
            public StorageBackend open(BackendContext context) {
                return breakIt.apply(mem.open(context));
            }
        };
        return new TckFixture() {
            @Override
            public StorageBackendProvider provider() {
                return broken;
            }

            @Override
            public void configure(ChatStoreConfig.Builder config) {
                config.url("mem:broken-" + STORES.incrementAndGet());
            }
        };
    }

    /** Restore that drops a message whose ID is taken instead of refusing the batch (the old flatfile path). */
    static StorageBackend restoreSkipsCollisions(StorageBackend b) {
        return new ForwardingStorageBackend(b) {
            @Override
            public MessageLogs logs() {
                return new ForwardingLogs(b.logs()) {
                    @Override
                    public void restore(LogRef log, List<Message> messages) {
                        for (Message m : messages) {
                            try {
                                super.restore(log, List.of(m));
                            } catch (DuplicateKeyException e) {
                                // the mistake: keep going as if nothing happened
                            }
                        }
                    }
                };
            }
        };
    }

    /** Documents sorted by {@link String#compareTo} (UTF-16 units) instead of code points. */
    static StorageBackend documentsInUtf16Order(StorageBackend b) {
        return new ForwardingStorageBackend(b) {
            @Override
            public DocumentRepository documents() {
                return new ForwardingDocuments(b.documents()) {
                    @Override
                    public List<Document> list(String userId, String sessionId) {
                        List<Document> out = new ArrayList<>(super.list(userId, sessionId));
                        out.sort(Comparator.comparing(Document::name));
                        return out;
                    }
                };
            }
        };
    }

    /** A keyset page that starts at the key instead of after it, so page boundaries repeat a user. */
    static StorageBackend keysetIncludesItsKey(StorageBackend b) {
        return new ForwardingStorageBackend(b) {
            @Override
            public UserRepository users() {
                return new ForwardingUsers(b.users()) {
                    @Override
                    public List<User> list(String afterUserId, int limit) {
                        List<User> out = new ArrayList<>();
                        super.find(afterUserId).ifPresent(out::add);
                        out.addAll(super.list(afterUserId, limit));
                        return out.subList(0, Math.min(limit, out.size()));
                    }
                };
            }
        };
    }
}
