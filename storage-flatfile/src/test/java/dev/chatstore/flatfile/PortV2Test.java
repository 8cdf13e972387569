package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.tck.TckFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The file backend's side of Port v2, called through the SPI as the core and tools do: restore writes at the given
 * seqs and never moves an ID, counters always describe the log, listed names are in code point order, the native
 * search and usage and the maintenance port are offered, and options are typed.
 */
class PortV2Test {

    private final Path dir = createTemp();

    private static Path createTemp() {
        try {
            return Files.createTempDirectory("chatstore-portv2-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void cleanUp() {
        TckFixture.deleteTree(dir);
    }

    private ChatStoreConfig config() {
        return ChatStoreConfig.isolated().url("file:" + dir.resolve("data"))
                .set("limits.allowed-document-extensions", "*").build();
    }

    private ChatStore open() {
        return ChatStore.builder().config(config()).provider(new FlatfileBackendProvider()).open();
    }

    private StorageBackend backend() {
        return new FlatfileBackendProvider().open(new BackendContext(config().url(), config(), Clock.systemUTC()));
    }

    private static Message copy(Message m, String content) {
        return new Message(m.id(), m.sessionId(), m.seq(), m.role(), content, m.createdAt(), m.attachments(),
                m.metadata(), m.usage(), m.model(), m.provider());
    }

    private static Message fresh(String id, String sessionId, long seq, Instant at) {
        return new Message(id, sessionId, seq, Message.ROLE_USER, "restored " + id, at, List.of(), JsonObject.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private Session sessionWithThreeMessages() {
        try (ChatStore st = open()) {
            st.users().create("u");
            Session s = st.sessions().create("u", "s");
            for (int i = 1; i <= 3; i++) {
                st.messages().append("u", s.id(), NewMessage.user("message " + i));
            }
            return s;
        }
    }

    @Test
    void restoreReplacesAtTheGivenSeqAndAppendsAfterTheLog() {
        Session s = sessionWithThreeMessages();
        LogRef ref = LogRef.session("u", s.id());
        Instant later = Instant.parse("2030-01-01T00:00:00Z");
        try (StorageBackend b = backend()) {
            Message second = b.logs().findBySeq(ref, 2).orElseThrow();
            b.logs().restore(ref, List.of(copy(second, "edited"), fresh("m4", s.id(), 4, later)));
            assertThat(b.logs().findBySeq(ref, 2).orElseThrow().content()).isEqualTo("edited");
            assertThat(b.logs().findById(ref, "m4").orElseThrow().seq()).isEqualTo(4);
            Session stored = b.sessions().find("u", s.id()).orElseThrow();
            assertThat(stored.messageCount()).isEqualTo(4);
            assertThat(stored.lastMessageAt()).contains(later);
        }
        try (ChatStore st = open()) { // the restore is in the files, not only in this JVM's view
            assertThat(st.messages().after("u", s.id(), 0, 10)).extracting(Message::content)
                    .containsExactly("message 1", "edited", "message 3", "restored m4");
            assertThat(st.sessions().get("u", s.id()).orElseThrow().messageCount()).isEqualTo(4);
        }
    }

    @Test
    void restoreRefusesAnIdStoredAtAnotherSeqAndWritesNothing() throws Exception {
        Session s = sessionWithThreeMessages();
        LogRef ref = LogRef.session("u", s.id());
        Path log = dir.resolve("data/users/u/sessions").resolve(s.id()).resolve("messages.jsonl");
        byte[] before = Files.readAllBytes(log);
        try (StorageBackend b = backend()) {
            Message first = b.logs().findBySeq(ref, 1).orElseThrow();
            Message third = b.logs().findBySeq(ref, 3).orElseThrow();
            assertThatThrownBy(() -> b.logs().restore(ref, List.of(copy(third, "edited"),
                    new Message(first.id(), s.id(), 4, "user", "moved", first.createdAt(), List.of(),
                            JsonObject.empty(), Optional.empty(), Optional.empty(), Optional.empty()))))
                    .isInstanceOf(DuplicateKeyException.class);
        }
        assertThat(Files.readAllBytes(log)).isEqualTo(before);
    }

    @Test
    void restoredSessionKeepsTheCountersOfItsLog() {
        Session s = sessionWithThreeMessages();
        try (StorageBackend b = backend()) {
            Session claimed = new Session(s.id(), "u", "renamed", Optional.empty(), Optional.empty(), false,
                    JsonObject.empty(), 200_000, Optional.of(Instant.parse("2031-01-01T00:00:00Z")), s.createdAt(),
                    s.updatedAt(), 7);
            b.sessions().restore(claimed);
            Session stored = b.sessions().find("u", s.id()).orElseThrow();
            assertThat(stored.messageCount()).isEqualTo(3);
            assertThat(stored.title()).isEqualTo("renamed");
            assertThat(stored.version()).isEqualTo(7);
            assertThat(stored.lastMessageAt())
                    .contains(b.logs().last(LogRef.session("u", s.id()), 1).get(0).createdAt());
        }
    }

    @Test
    void panelLogsAreTheSameLogsAndARestoreLeavesThePanelAlone() {
        Panel panel;
        try (ChatStore st = open()) {
            panel = st.panels().create("debate", List.of("a", "b"));
            st.panels().append(panel.id(), NewMessage.user("opening"));
            panel = st.panels().get(panel.id()).orElseThrow();
        }
        LogRef ref = LogRef.panel(panel.id());
        try (StorageBackend b = backend()) {
            b.logs().restore(ref, List.of(fresh("p2", panel.id(), 2, Instant.parse("2035-01-01T00:00:00Z"))));
            assertThat(b.logs().after(ref, 0, 10)).extracting(Message::content)
                    .containsExactly("opening", "restored p2");
            assertThat(b.panels().find(panel.id()).orElseThrow().updatedAt()).isEqualTo(panel.updatedAt());
        }
    }

    @Test
    void documentsAreListedInCodePointOrder() {
        try (ChatStore st = open()) {
            st.users().create("u");
            Session s = st.sessions().create("u", "docs");
            // UTF-16 order puts U+1F600 (a surrogate pair, 0xD83D...) before U+FFFD; code point order after it
            for (String name : List.of("b\uD83D\uDE00.txt", "b\uFFFD.txt", "a.txt")) {
                st.documents().save("u", s.id(), name, "text/plain", name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            assertThat(st.documents().list("u", s.id())).extracting(Document::name)
                    .containsExactly("a.txt", "b\uFFFD.txt", "b\uD83D\uDE00.txt");
        }
    }

    @Test
    void offersNativeSearchUsageAndMaintenanceWithTheFormatVersion() {
        try (StorageBackend b = backend()) {
            assertThat(b.search()).isPresent();
            assertThat(b.usage()).isPresent();
            StoreMaintenance m = b.maintenance().orElseThrow();
            assertThat(m.schema().orElseThrow().current()).isEqualTo("1");
            assertThat(m.schema().orElseThrow().upToDate()).isTrue();
            assertThat(m.check(StoreMaintenance.Mode.CHECK).clean()).isTrue();
        }
    }

    @Test
    void optionsAreTypedAndTheOldLockTimeoutNameIsRejected() {
        assertThat(new FlatfileBackendProvider().options()).extracting(o -> o.fullKey())
                .containsExactlyInAnyOrder("backend.salvage", "backend.verify-on-open", "backend.lock-timeout-ms");
        assertThatThrownBy(() -> ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir.resolve("x"))
                .backendOption("backend.lock-timeout-millis", "10").build())
                .provider(new FlatfileBackendProvider()).open())
                .hasMessageContaining("backend.lock-timeout-millis");
        assertThatThrownBy(() -> ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir.resolve("x"))
                .backendOption("backend.verify-on-open", "sometimes").build())
                .provider(new FlatfileBackendProvider()).open())
                .hasMessageContaining("backend.verify-on-open").hasMessageContaining("full|tail|none");
    }

    @Test
    void ioErrorsNameTheFileTheOperationAndTheOsReason() throws Exception {
        Path file = Files.writeString(dir.resolve("afile.txt"), "not a directory");
        assertThatThrownBy(() -> ChatStore.builder().config(ChatStoreConfig.isolated()
                        .url("file:" + file.resolve("store")).build())
                .provider(new FlatfileBackendProvider()).open())
                .hasMessageContaining("cannot create the store directory")
                .hasMessageContaining(file.resolve("store").toString())
                .hasMessageMatching("(?s).*: (Not a directory|File exists).*");
    }
}
