package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

    /** The store of the current test, opened with the default settings plus the kit's encryption key. */
    protected ChatStore store;

    /** The adapter's fixture. */
    protected abstract TckFixture fixture();

    @BeforeEach
    void openStore() {
        store = open(b -> { });
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
        fixture().cleanUp();
        if (failure != null) {
            throw failure;
        }
    }

    /** Opens another fresh, empty store with extra settings (closed after the test). */
    protected ChatStore open(Consumer<ChatStoreConfig.Builder> settings) {
        ChatStoreConfig.Builder b = ChatStoreConfig.isolated().encryptionKey(TEST_KEY_ID, TEST_KEY);
        settings.accept(b);
        ChatStore s = fixture().open(b);
        opened.add(s);
        return s;
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
