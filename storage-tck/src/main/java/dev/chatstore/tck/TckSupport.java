package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.BackendOption;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What every group of the kit shares: a fresh store per test ({@link #store}), a way to open more stores with
 * other settings ({@link #open}), and small helpers to set up data. Groups extend it; {@link ChatStoreTck} nests
 * them so that one adapter test runs them all.
 */
public abstract class TckSupport {

    /** A fixed 256-bit credential key (bytes 1..32), so the kit's stores can encrypt. Test use only. */
    protected static final byte[] TEST_KEY = testKey(1);
    protected static final String TEST_KEY_ID = "tck-key-1";

    /** A deterministic 32-byte key whose bytes are {@code seed, seed+1, ...}; for tests only. */
    protected static byte[] testKey(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed + i);
        }
        return key;
    }

    private final List<ChatStore> opened = new ArrayList<>();
    private final Map<ChatStore, StorageBackend> backends = new IdentityHashMap<>();
    private TckFixture testFixture;

    /** The store of the current test, opened with the default settings plus the kit's encryption key. */
    protected ChatStore store;

    /** The adapter's fixture; asked for once per test, and the same instance cleans up. */
    protected abstract TckFixture fixture();

    @BeforeEach
    void openStore() {
        testFixture = fixture();
        store = open(b -> { });
    }

    /** The port under {@code s} (a store this test opened), for contracts that call the SPI directly. */
    protected StorageBackend backendOf(ChatStore s) {
        StorageBackend b = backends.get(s);
        if (b == null) {
            throw new IllegalArgumentException("not a store opened by this test");
        }
        return b;
    }

    /** The port under {@link #store}. */
    protected StorageBackend backend() {
        return backendOf(store);
    }

    @AfterEach
    void closeStores() {
        RuntimeException failure = null;
        for (ChatStore s : opened) {
            try {
                s.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        opened.clear();
        backends.clear();
        if (testFixture != null) {
            testFixture.cleanUp();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Opens another fresh, empty store with extra settings (closed after the test). */
    protected ChatStore open(Consumer<ChatStoreConfig.Builder> settings) {
        ChatStoreConfig.Builder b = ChatStoreConfig.isolated().encryptionKey(TEST_KEY_ID, TEST_KEY);
        settings.accept(b);
        return openConfigured(b);
    }

    /** Opens another fresh, empty store with exactly this configuration (no kit key added; closed after the test). */
    protected ChatStore openConfigured(ChatStoreConfig.Builder b) {
        testFixture.configure(b);
        RecordingProvider provider = new RecordingProvider(testFixture.provider());
        ChatStore s = ChatStore.builder().config(b.build()).provider(provider).open();
        opened.add(s);
        backends.put(s, provider.opened);
        return s;
    }

    /** Passes everything to the adapter's provider and remembers the backend it opened. */
    private static final class RecordingProvider implements StorageBackendProvider {
        private final StorageBackendProvider delegate;
        private StorageBackend opened;

        RecordingProvider(StorageBackendProvider delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public boolean supports(String url) {
            return delegate.supports(url);
        }

        @Override
        public String urlPattern() {
            return delegate.urlPattern();
        }

        @Override
        public List<BackendOption<?>> options() {
            return delegate.options();
        }

        @Override
        public StorageBackend open(BackendContext context) {
            opened = delegate.open(context);
            return opened;
        }
    }

    /** Creates a user with the given ID in {@link #store}. */
    protected String user(String userId) {
        store.users().create(userId);
        return userId;
    }

    /** Creates a user and one session for it in {@link #store}; returns the session. */
    protected Session userWithSession(String userId) {
        user(userId);
        return store.sessions().create(userId, "session of " + userId);
    }

    /** Appends {@code n} user messages "message 1" ... "message n" to the session. */
    protected List<Message> appendMany(Session s, int n) {
        List<Message> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            out.add(store.messages().append(s.userId(), s.id(), NewMessage.user("message " + i)));
        }
        return out;
    }

    /** The store's export without its header line (which carries the export time). */
    protected static String exportBody(ChatStore s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.exportTo(out);
        String text = out.toString(StandardCharsets.UTF_8);
        return text.substring(text.indexOf('\n') + 1);
    }
}
