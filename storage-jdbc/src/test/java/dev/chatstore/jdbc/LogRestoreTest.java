package dev.chatstore.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.config.ChatStoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code MessageLogs.restore} and {@code SessionRepository.restore} on both databases: messages land at their seqs
 * replacing what is there (search index included), an ID stored at another seq is a {@link DuplicateKeyException}
 * that writes nothing (never a delete that leaves a gap), and a session's counters always describe its log.
 */
class LogRestoreTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final TestStores stores = new TestStores();
    private StorageBackend backend;

    @AfterEach
    void cleanUp() {
        if (backend != null) {
            backend.close();
        }
        stores.close();
    }

    static List<String> databases() {
        return TestStores.databases();
    }

    /** The port itself, without the core's checks in front of it: what the adapter alone guarantees. */
    private StorageBackend backend(String url) {
        StorageBackendProvider provider = new JdbcBackendProvider();
        backend = provider.open(new BackendContext(url, ChatStoreConfig.isolated().url(url).build(), Clock.systemUTC()));
        return backend;
    }

    private static Message message(String id, String logId, long seq, String content, int minute) {
        return new Message(id, logId, seq, "user", content, T0.plusSeconds(60L * minute), List.of(), JsonObject.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void restoreReplacesAtItsSeqsAndTheSearchIndexFollows(String database) {
        String url = stores.newUrl(database);
        ChatStore store = stores.open(url);
        store.users().create("alice");
        Session s = store.sessions().create("alice", "log");
        List<Message> stored = store.messages().appendAll("alice", s.id(), List.of(NewMessage.user("first apple"),
                NewMessage.user("second banana"), NewMessage.user("third cherry")));

        Message second = stored.get(1);
        store.transfer().restoreMessages("alice", s.id(), List.of(
                message(second.id(), s.id(), 2, "second durian", 10),
                stored.get(2),
                message("m-four", s.id(), 4, "fourth elderberry", 11)));

        assertThat(store.messages().page("alice", s.id())).extracting(Message::seq, Message::content).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, "first apple"),
                org.assertj.core.groups.Tuple.tuple(2L, "second durian"),
                org.assertj.core.groups.Tuple.tuple(3L, "third cherry"),
                org.assertj.core.groups.Tuple.tuple(4L, "fourth elderberry"));
        assertThat(store.messages().search("alice", "banana")).isEmpty();
        assertThat(store.messages().search("alice", "durian")).extracting(Message::seq).containsExactly(2L);
        Session after = store.sessions().get("alice", s.id()).orElseThrow();
        assertThat(after.messageCount()).isEqualTo(4);
        assertThat(after.lastMessageAt()).contains(T0.plusSeconds(660));
        assertThat(store.messages().append("alice", s.id(), NewMessage.user("fifth")).seq()).isEqualTo(5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anIdStoredAtAnotherSeqIsADuplicateAndNothingIsWritten(String database) {
        String url = stores.newUrl(database);
        ChatStore store = stores.open(url);
        store.users().create("alice");
        Session s = store.sessions().create("alice", "log");
        List<Message> stored = store.messages().appendAll("alice", s.id(), List.of(NewMessage.user("one"),
                NewMessage.user("two"), NewMessage.user("three")));
        store.close();

        StorageBackend port = backend(url);
        LogRef log = LogRef.session("alice", s.id());
        // seq 3 is replaced by a message carrying the ID stored at seq 1: the old adapter deleted "seq = 3 OR id = X",
        // losing seq 1 and leaving a gap
        assertThatThrownBy(() -> port.logs().restore(log, List.of(
                message("m-new", s.id(), 2, "replaced two", 5),
                message(stored.get(0).id(), s.id(), 3, "moved one", 6))))
                .isInstanceOf(DuplicateKeyException.class)
                .hasMessageContaining(stored.get(0).id());

        assertThat(port.logs().after(log, 0, 10)).containsExactlyElementsOf(stored);
        assertThat(port.sessions().find("alice", s.id()).orElseThrow().messageCount()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRestoredSessionKeepsTheCountersOfItsLog(String database) {
        ChatStore store = stores.openNew(database);
        store.users().create("alice");
        Session s = store.sessions().create("alice", "log");
        Message last = store.messages().appendAll("alice", s.id(), List.of(NewMessage.user("one"),
                NewMessage.user("two"))).get(1);

        Session claimed = new Session(s.id(), "alice", "restored title", Optional.empty(), Optional.empty(), true,
                JsonObject.empty(), 99, Optional.of(T0), T0, T0.plusSeconds(5), 7);
        store.transfer().restoreSession(claimed);
        Session restored = store.sessions().get("alice", s.id()).orElseThrow();
        assertThat(restored.title()).isEqualTo("restored title");
        assertThat(restored.version()).isEqualTo(7);
        assertThat(restored.messageCount()).isEqualTo(2);
        assertThat(restored.lastMessageAt()).contains(last.createdAt());

        Session fresh = new Session("s-new", "alice", "new", Optional.empty(), Optional.empty(), false,
                JsonObject.empty(), 5, Optional.of(T0), T0, T0, 1);
        store.transfer().restoreSession(fresh);
        Session created = store.sessions().get("alice", "s-new").orElseThrow();
        assertThat(created.messageCount()).isZero();
        assertThat(created.lastMessageAt()).isEmpty();
        assertThat(store.messages().append("alice", "s-new", NewMessage.user("first")).seq()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aPanelLogIsRestoredLikeASessionLog(String database) {
        ChatStore store = stores.openNew(database);
        Panel p = store.panels().create("review", List.of());
        Message first = store.panels().append(p.id(), NewMessage.user("opening"));
        store.transfer().restorePanelMessages(p.id(), List.of(message(first.id(), p.id(), 1, "opening, edited", 1),
                message("pm-2", p.id(), 2, "second", 2)));

        assertThat(store.panels().messages(p.id())).extracting(Message::content)
                .containsExactly("opening, edited", "second");
        assertThat(store.panels().get(p.id()).orElseThrow().updatedAt()).isEqualTo(first.createdAt().isAfter(p.updatedAt())
                ? first.createdAt() : p.updatedAt());
        assertThat(store.panels().append(p.id(), NewMessage.user("third")).seq()).isEqualTo(3);
    }
}
