package dev.chatstore.migration.live;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.Usage;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.mem.MemoryBackendProvider;
import dev.chatstore.api.spi.BackendContext;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stores with every kind of record, written through the public API, for the migration tests. */
final class SampleData {

    static final String KEY_ID = "migration-test-key";
    static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) (i * 7 + 3);
        }
    }

    private SampleData() {
    }

    static ChatStoreConfig config(String url) {
        return ChatStoreConfig.isolated().url(url).encryptionKey(KEY_ID, KEY).build();
    }

    /** A new, empty mem backend. */
    static StorageBackend mem(String label) {
        return new MemoryBackendProvider().open(new BackendContext("mem:" + label, config("mem:" + label),
                Clock.systemUTC()));
    }

    /** A ChatStore over the backend that leaves it open when closed. */
    static ChatStore storeOver(StorageBackend backend) {
        return Stores.over(backend, config("mem:sample"));
    }

    /**
     * Writes {@code users} users, each with {@code sessions} sessions of {@code messages} messages, plus on the first
     * session of each user a document, a context with two snapshots, a credential and a user persona; then global
     * personas and two panels with messages and insights.
     */
    static List<Session> populate(ChatStore store, int users, int sessions, int messages) {
        List<Session> created = new ArrayList<>();
        store.personas().save(PersonaScope.global(), "critic", JsonObject.of("tone", "dry", "weight", 0.5));
        for (int u = 0; u < users; u++) {
            String userId = "user-" + u;
            store.users().create(userId, "User " + u, JsonObject.of("plan", u % 2 == 0 ? "pro" : "free"));
            store.credentials().put(userId, "openai", "sk-secret-" + u);
            store.personas().save(PersonaScope.user(userId), "helper", JsonObject.of("level", u));
            for (int s = 0; s < sessions; s++) {
                Session session = store.sessions().create(userId, new NewSession(Optional.of(String.format("chat-%04d", s)),
                        "Chat " + s + " \u00e9\ud83d\ude00", Optional.of("gpt-4o"), Optional.of("openai"),
                        JsonObject.of("temperature", 0.7)));
                List<NewMessage> batch = new ArrayList<>();
                for (int m = 0; m < messages; m++) {
                    batch.add(m % 2 == 0 ? NewMessage.user("question " + m + " of " + userId)
                            : NewMessage.assistant("answer " + m).withUsage(Usage.of(10 + m, 20, "0.0015")));
                    if (batch.size() == 500) {
                        store.messages().appendAll(userId, session.id(), batch);
                        batch.clear();
                    }
                }
                if (!batch.isEmpty()) {
                    store.messages().appendAll(userId, session.id(), batch);
                }
                if (s == 0) {
                    store.documents().save(userId, session.id(), "notes.txt", "text/plain",
                            ("notes of " + userId).getBytes(StandardCharsets.UTF_8));
                    store.contexts().set(userId, session.id(), SituationalContext.of("summary " + u,
                            List.of("a", "b"), Map.of("people", List.of("Ann")), 0.75));
                    store.contexts().saveSnapshot(userId, session.id(), SituationalContext.of("snap 1", List.of(),
                            Map.of(), 0.5));
                    store.contexts().saveSnapshot(userId, session.id(), SituationalContext.of("snap 2", List.of(),
                            Map.of(), 0.6));
                }
                created.add(store.sessions().get(userId, session.id()).orElseThrow());
            }
        }
        for (int p = 0; p < 2; p++) {
            var panel = store.panels().create("debate", List.of("critic"));
            store.panels().append(panel.id(), NewMessage.of("critic", "opening " + p));
            store.panels().append(panel.id(), NewMessage.of("critic", "closing " + p));
            store.panels().saveInsight(panel.id(), JsonObject.of("verdict", "draw"));
        }
        return created;
    }
}
