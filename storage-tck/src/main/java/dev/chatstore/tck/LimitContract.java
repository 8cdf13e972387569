package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewPanel;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: Limit. Every configured limit is enforced with a {@link LimitExceededException} naming its key, and a
 * call refused for a limit leaves nothing behind. Each test opens a store with small limits.
 */
public abstract class LimitContract extends TckSupport {

    private static void assertLimit(String key, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(LimitExceededException.class,
                e -> assertThat(e.limit()).isEqualTo(key));
    }

    private static Session userWithSession(ChatStore s, String userId) {
        s.users().create(userId);
        return s.sessions().create(userId, NewSession.titled("t").withId("s1"));
    }

    @Test
    @DisplayName("§4 Limits: the defaults are the seed's (1 MiB messages, 100,000 per session, 1,000 sessions, 100 MiB documents, 10 personas, 100 snapshots)")
    void seedDefaults() {
        assertThat(store.config().maxMessageBytes()).isEqualTo(1024 * 1024);
        assertThat(store.config().maxMessagesPerSession()).isEqualTo(100_000);
        assertThat(store.config().maxSessionsPerUser()).isEqualTo(1000);
        assertThat(store.config().maxDocumentBytes()).isEqualTo(100L * 1024 * 1024);
        assertThat(store.config().maxPersonasPerPanel()).isEqualTo(10);
        assertThat(store.config().maxContextHistory()).isEqualTo(100);
        assertThat(store.config().allowedDocumentExtensions()).contains(".pdf", ".txt", ".md", ".json");
    }

    @Test
    @DisplayName("§4 Limits: with the default limit a message of exactly 1 MiB is stored and one byte more is refused")
    void defaultMessageSize() {
        Session s = userWithSession("alice");
        String exact = "x".repeat(1024 * 1024);

        Message m = store.messages().append("alice", s.id(), NewMessage.user(exact));

        assertThat(store.messages().get("alice", s.id(), m.seq()).orElseThrow().content()).isEqualTo(exact);
        assertLimit("limits.max-message-bytes", () -> store.messages().append("alice", s.id(), NewMessage.user(exact + "y")));
        assertThat(store.messages().count("alice", s.id())).isEqualTo(1);
    }

    @Test
    @DisplayName("§4 Limits: message size is counted in UTF-8 bytes; exactly at the limit passes, one byte over fails")
    void messageBytes() {
        ChatStore small = open(b -> b.set(Setting.MAX_MESSAGE_BYTES, 12));
        Session s = userWithSession(small, "alice");

        small.messages().append("alice", s.id(), NewMessage.user("x".repeat(12)));
        small.messages().append("alice", s.id(), NewMessage.user("€€€€")); // 4 chars, 3 bytes each: 12 bytes
        small.messages().append("alice", s.id(), NewMessage.user("éé€😀x")); // 2 + 2 + 3 + 4 + 1 = 12 bytes
        assertThat(small.messages().count("alice", s.id())).isEqualTo(3);

        assertLimit("limits.max-message-bytes", () -> small.messages().append("alice", s.id(),
                NewMessage.user("x".repeat(13))));
        assertLimit("limits.max-message-bytes", () -> small.messages().append("alice", s.id(),
                NewMessage.user("€€€€x"))); // 5 characters but 13 bytes
        assertLimit("limits.max-message-bytes", () -> small.messages().append("alice", s.id(),
                NewMessage.user("😀😀😀😀"))); // 8 UTF-16 units but 16 bytes
        assertThatThrownBy(() -> small.messages().append("alice", s.id(), NewMessage.user("x".repeat(13))))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.allowed()).isEqualTo(12);
                    assertThat(e.actual()).isEqualTo(13);
                });
        assertThat(small.messages().count("alice", s.id())).isEqualTo(3);
        assertThat(small.messages().page("alice", s.id(), 0, 10)).extracting(Message::content)
                .containsExactly("x".repeat(12), "€€€€", "éé€😀x");
    }

    @Test
    @DisplayName("§4 Limits: one oversized message refuses its whole batch")
    void messageBytesInBatch() {
        ChatStore small = open(b -> b.set(Setting.MAX_MESSAGE_BYTES, 10));
        Session s = userWithSession(small, "alice");

        assertLimit("limits.max-message-bytes", () -> small.messages().appendAll("alice", s.id(),
                List.of(NewMessage.user("short"), NewMessage.assistant("far too long for ten bytes"))));

        assertThat(small.messages().count("alice", s.id())).isZero();
        assertThat(small.messages().page("alice", s.id(), 0, 10)).isEmpty();
        assertThat(small.sessions().get("alice", "s1")).contains(s);
    }

    @Test
    @DisplayName("§4 Limits: a session holds at most limits.max-messages-per-session; a batch that would cross it fails entirely")
    void messagesPerSession() {
        ChatStore small = open(b -> b.set(Setting.MAX_MESSAGES_PER_SESSION, 5));
        Session s = userWithSession(small, "alice");
        for (int i = 1; i <= 3; i++) {
            small.messages().append("alice", s.id(), NewMessage.user("m" + i));
        }

        assertLimit("limits.max-messages-per-session", () -> small.messages().appendAll("alice", s.id(),
                List.of(NewMessage.user("m4"), NewMessage.user("m5"), NewMessage.user("m6"))));
        assertThat(small.messages().count("alice", s.id())).isEqualTo(3);
        assertThat(small.messages().last("alice", s.id(), 10)).extracting(Message::content).containsExactly("m1", "m2", "m3");

        small.messages().appendAll("alice", s.id(), List.of(NewMessage.user("m4"), NewMessage.user("m5")));
        assertThat(small.messages().count("alice", s.id())).isEqualTo(5);

        assertLimit("limits.max-messages-per-session", () -> small.messages().append("alice", s.id(), NewMessage.user("m6")));
        assertThat(small.messages().count("alice", s.id())).isEqualTo(5);
        assertThat(small.messages().last("alice", s.id(), 1)).extracting(Message::seq).containsExactly(5L);
        assertThat(small.sessions().get("alice", s.id()).orElseThrow().messageCount()).isEqualTo(5);
    }

    @Test
    @DisplayName("§4 Limits: a batch larger than limits.max-messages-per-session is refused even in an empty session")
    void batchLargerThanLimit() {
        ChatStore small = open(b -> b.set(Setting.MAX_MESSAGES_PER_SESSION, 3));
        Session s = userWithSession(small, "alice");

        assertLimit("limits.max-messages-per-session", () -> small.messages().appendAll("alice", s.id(),
                Collections.nCopies(4, NewMessage.user("x"))));
        assertThat(small.messages().count("alice", s.id())).isZero();
    }

    @Test
    @DisplayName("§4 Limits: the message limit of one session does not affect another")
    void messagesPerSessionIsPerSession() {
        ChatStore small = open(b -> b.set(Setting.MAX_MESSAGES_PER_SESSION, 2));
        Session s = userWithSession(small, "alice");
        Session other = small.sessions().create("alice", "other");
        small.messages().appendAll("alice", s.id(), List.of(NewMessage.user("a"), NewMessage.user("b")));

        small.messages().appendAll("alice", other.id(), List.of(NewMessage.user("c"), NewMessage.user("d")));

        assertThat(small.messages().count("alice", other.id())).isEqualTo(2);
    }

    @Test
    @DisplayName("§4 Limits: panels hold at most limits.max-messages-per-session messages too")
    void messagesPerPanel() {
        ChatStore small = open(b -> b.set(Setting.MAX_MESSAGES_PER_SESSION, 2));
        small.panels().create(NewPanel.of("t", List.of("critic")).withId("p1"));
        small.panels().append("p1", NewMessage.of("critic", "one"));

        assertLimit("limits.max-messages-per-session", () -> small.panels().appendAll("p1",
                List.of(NewMessage.of("critic", "two"), NewMessage.of("critic", "three"))));
        assertThat(small.panels().messages("p1")).hasSize(1);
    }

    @Test
    @DisplayName("§4 Limits: a user has at most limits.max-sessions-per-user sessions")
    void sessionsPerUser() {
        ChatStore small = open(b -> b.set(Setting.MAX_SESSIONS_PER_USER, 2));
        small.users().create("alice");
        small.users().create("bob");
        small.sessions().create("alice", "one");
        small.sessions().create("alice", "two");

        assertLimit("limits.max-sessions-per-user", () -> small.sessions().create("alice", "three"));
        assertLimit("limits.max-sessions-per-user", () -> small.sessions().create("alice",
                NewSession.titled("four").withId("s4")));
        assertThat(small.sessions().count("alice")).isEqualTo(2);
        assertThat(small.sessions().get("alice", "s4")).isEmpty();

        small.sessions().create("bob", "bob's first");
        small.sessions().create("bob", "bob's second");
        assertThat(small.sessions().count("bob")).isEqualTo(2);

        // deleting one frees a place
        small.sessions().delete("alice", small.sessions().list("alice").get(0).id());
        small.sessions().create("alice", "three");
        assertThat(small.sessions().count("alice")).isEqualTo(2);
    }

    @Test
    @DisplayName("§4 Limits: a document of exactly limits.max-document-bytes is stored; one byte more is refused and nothing is stored")
    void documentSize() {
        ChatStore small = open(b -> b.set(Setting.MAX_DOCUMENT_BYTES, 16));
        Session s = userWithSession(small, "alice");

        small.documents().save("alice", s.id(), "exact.txt", "text/plain", new byte[16]);
        assertLimit("limits.max-document-bytes", () -> small.documents().save("alice", s.id(), "over.txt",
                "text/plain", new byte[17]));

        assertThat(small.documents().list("alice", s.id())).extracting(d -> d.name()).containsExactly("exact.txt");
        assertThat(small.documents().get("alice", s.id(), "over.txt")).isEmpty();
        assertThat(small.documents().read("alice", s.id(), "exact.txt")).hasValueSatisfying(
                bytes -> assertThat(bytes).hasSize(16));
    }

    @Test
    @DisplayName("§4 Limits: an oversized document stream is refused while it streams, without reading it to the end")
    void documentSizeStreamed() {
        ChatStore small = open(b -> b.set(Setting.MAX_DOCUMENT_BYTES, 1024));
        Session s = userWithSession(small, "alice");
        long total = 256L * 1024 * 1024;
        CountingStream huge = new CountingStream(total);

        assertLimit("limits.max-document-bytes", () -> small.documents().save("alice", s.id(), "huge.txt",
                "text/plain", huge, JsonObject.empty()));

        assertThat(huge.served).isLessThan(16L * 1024 * 1024);
        assertThat(small.documents().list("alice", s.id())).isEmpty();
        assertThat(small.documents().open("alice", s.id(), "huge.txt")).isEmpty();
    }

    @Test
    @DisplayName("§4 Limits: replacing a document with an oversized one leaves the old one intact")
    void oversizedReplacementKeepsOld() {
        ChatStore small = open(b -> b.set(Setting.MAX_DOCUMENT_BYTES, 8));
        Session s = userWithSession(small, "alice");
        byte[] original = "original".getBytes(StandardCharsets.US_ASCII);
        small.documents().save("alice", s.id(), "notes.txt", "text/plain", original);

        assertLimit("limits.max-document-bytes", () -> small.documents().save("alice", s.id(), "notes.txt",
                "text/plain", new ByteArrayInputStream("replacement".getBytes(StandardCharsets.US_ASCII)),
                JsonObject.empty()));

        assertThat(small.documents().read("alice", s.id(), "notes.txt")).hasValueSatisfying(
                bytes -> assertThat(bytes).isEqualTo(original));
        assertThat(small.documents().get("alice", s.id(), "notes.txt").orElseThrow().size()).isEqualTo(8);
    }

    @Test
    @DisplayName("§4 Limits: only limits.allowed-document-extensions are accepted (case-insensitively)")
    void allowedExtensions() {
        ChatStore small = open(b -> b.set(Setting.ALLOWED_DOCUMENT_EXTENSIONS, ".txt,.md"));
        Session s = userWithSession(small, "alice");

        small.documents().save("alice", s.id(), "a.txt", "text/plain", new byte[] {1});
        small.documents().save("alice", s.id(), "B.TXT", "text/plain", new byte[] {2});
        small.documents().save("alice", s.id(), "archive.tar.md", "text/markdown", new byte[] {3});

        assertLimit("limits.allowed-document-extensions", () -> small.documents().save("alice", s.id(), "c.pdf",
                "application/pdf", new byte[] {4}));
        assertLimit("limits.allowed-document-extensions", () -> small.documents().save("alice", s.id(), "noext",
                "text/plain", new byte[] {5}));
        assertLimit("limits.allowed-document-extensions", () -> small.documents().save("alice", s.id(), "x.txt.exe",
                "application/octet-stream", new byte[] {6}));
        assertLimit("limits.allowed-document-extensions", () -> small.documents().save("alice", s.id(), "txt",
                "text/plain", new byte[] {7}));
        assertThat(small.documents().list("alice", s.id())).extracting(d -> d.name())
                .containsExactlyInAnyOrder("a.txt", "B.TXT", "archive.tar.md");
    }

    @Test
    @DisplayName("§4 Limits: the default allowed extensions refuse an executable")
    void defaultExtensions() {
        Session s = userWithSession("alice");

        store.documents().save("alice", s.id(), "report.pdf", "application/pdf", new byte[] {1});
        assertLimit("limits.allowed-document-extensions", () -> store.documents().save("alice", s.id(), "run.exe",
                "application/octet-stream", new byte[] {1}));
        assertThat(store.documents().list("alice", s.id())).hasSize(1);
    }

    @Test
    @DisplayName("§4 Limits: a panel has at most limits.max-personas-per-panel personas")
    void personasPerPanel() {
        ChatStore small = open(b -> b.set(Setting.MAX_PERSONAS_PER_PANEL, 2));

        small.panels().create(NewPanel.of("duo", List.of("a", "b")).withId("p-ok"));
        assertLimit("limits.max-personas-per-panel", () -> small.panels().create(
                NewPanel.of("trio", List.of("a", "b", "c")).withId("p-over")));

        assertThat(small.panels().get("p-over")).isEmpty();
        assertThat(small.panels().list(0, 10)).extracting(p -> p.id()).containsExactly("p-ok");
    }

    @Test
    @DisplayName("§4 Limits: with the default limit a panel takes 10 personas but not 11")
    void defaultPersonasPerPanel() {
        List<String> ten = IntStream.rangeClosed(1, 10).mapToObj(i -> "persona" + i).toList();
        List<String> eleven = IntStream.rangeClosed(1, 11).mapToObj(i -> "persona" + i).toList();

        store.panels().create(NewPanel.of("big", ten).withId("p10"));
        assertLimit("limits.max-personas-per-panel", () -> store.panels().create(NewPanel.of("too big", eleven)
                .withId("p11")));
        assertThat(store.panels().get("p10").orElseThrow().personas()).isEqualTo(ten);
        assertThat(store.panels().get("p11")).isEmpty();
    }

    @Test
    @DisplayName("§4 Limits: context history keeps the newest limits.max-context-history snapshots and prunes older ones")
    void contextHistoryPruned() {
        ChatStore small = open(b -> b.set(Setting.MAX_CONTEXT_HISTORY, 3));
        Session s = userWithSession(small, "alice");
        Instant t = Instant.parse("2030-01-01T00:00:00Z");
        // saved out of time order: pruning keeps the newest by capturedAt, not the last saved
        for (int i : new int[] {2, 5, 1, 4, 3, 0}) {
            small.contexts().saveSnapshot("alice", s.id(),
                    new SituationalContext("snapshot " + i, List.of(), Map.of(), 0.5, t.plusSeconds(i)));
        }

        assertThat(small.contexts().history("alice", s.id())).extracting(SituationalContext::summary)
                .containsExactly("snapshot 5", "snapshot 4", "snapshot 3");
        assertThat(small.contexts().history("alice", s.id(), 100)).hasSize(3);

        small.contexts().saveSnapshot("alice", s.id(),
                new SituationalContext("snapshot 6", List.of(), Map.of(), 0.5, t.plusSeconds(6)));
        assertThat(small.contexts().history("alice", s.id())).extracting(SituationalContext::summary)
                .containsExactly("snapshot 6", "snapshot 5", "snapshot 4");
    }

    @Test
    @DisplayName("§4 Limits: context summaries longer than limits.max-context-summary-length are refused")
    void contextSummaryLength() {
        ChatStore small = open(b -> b.set(Setting.MAX_CONTEXT_SUMMARY_LENGTH, 10));
        Session s = userWithSession(small, "alice");
        SituationalContext ok = new SituationalContext("0123456789", List.of(), Map.of(), 0.5,
                Instant.parse("2030-01-01T00:00:00Z"));
        small.contexts().set("alice", s.id(), ok);

        SituationalContext tooLong = new SituationalContext("0123456789A", List.of(), Map.of(), 0.5, ok.capturedAt());
        assertLimit("limits.max-context-summary-length", () -> small.contexts().set("alice", s.id(), tooLong));
        assertLimit("limits.max-context-summary-length", () -> small.contexts().saveSnapshot("alice", s.id(), tooLong));

        assertThat(small.contexts().current("alice", s.id())).contains(ok);
        assertThat(small.contexts().history("alice", s.id())).isEmpty();
    }

    @Test
    @DisplayName("§4 Limits: contexts with more than limits.max-context-key-points key points are refused")
    void contextKeyPoints() {
        ChatStore small = open(b -> b.set(Setting.MAX_CONTEXT_KEY_POINTS, 2));
        Session s = userWithSession(small, "alice");
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        small.contexts().saveSnapshot("alice", s.id(), new SituationalContext("ok", List.of("a", "b"), Map.of(), 0.5, at));

        SituationalContext three = new SituationalContext("three", List.of("a", "b", "c"), Map.of(), 0.5, at);
        assertLimit("limits.max-context-key-points", () -> small.contexts().set("alice", s.id(), three));
        assertLimit("limits.max-context-key-points", () -> small.contexts().saveSnapshot("alice", s.id(), three));

        assertThat(small.contexts().current("alice", s.id())).isEmpty();
        assertThat(small.contexts().history("alice", s.id())).extracting(SituationalContext::summary).containsExactly("ok");
    }

    @Test
    @DisplayName("§4 Limits: JSON fields larger than limits.max-json-bytes are refused and nothing is stored")
    void jsonSize() {
        ChatStore small = open(b -> b.set(Setting.MAX_JSON_BYTES, 64));
        small.users().create("alice");
        Session s = small.sessions().create("alice", "t");
        JsonObject big = JsonObject.of("blob", "x".repeat(100));
        JsonObject fits = JsonObject.of("k", "v");

        assertLimit("limits.max-json-bytes", () -> small.users().create("bob", "", big));
        assertLimit("limits.max-json-bytes", () -> small.users().update("alice", u -> u.withProfile(big)));
        assertLimit("limits.max-json-bytes", () -> small.sessions().create("alice", NewSession.titled("t").withMetadata(big)));
        assertLimit("limits.max-json-bytes", () -> small.sessions().update(s.withMetadata(big)));
        assertLimit("limits.max-json-bytes", () -> small.messages().append("alice", s.id(),
                NewMessage.user("hi").withMetadata(big)));
        assertLimit("limits.max-json-bytes", () -> small.personas().save(PersonaScope.global(), "p1", big));
        assertLimit("limits.max-json-bytes", () -> small.panels().create(NewPanel.of("t", List.of()).withConfig(big)));

        assertThat(small.users().get("bob")).isEmpty();
        assertThat(small.users().get("alice").orElseThrow().version()).isEqualTo(1);
        assertThat(small.sessions().count("alice")).isEqualTo(1);
        assertThat(small.sessions().get("alice", s.id())).contains(s);
        assertThat(small.messages().count("alice", s.id())).isZero();
        assertThat(small.personas().find(PersonaScope.global(), "p1")).isEmpty();
        assertThat(small.panels().list(0, 10)).isEmpty();
        small.users().create("carol", "", fits);
        assertThat(small.users().get("carol").orElseThrow().profile()).isEqualTo(fits);
    }

    @Test
    @DisplayName("§4 Limits: JSON size is counted in UTF-8 bytes of the JSON text")
    void jsonSizeInBytes() {
        ChatStore small = open(b -> b.set(Setting.MAX_JSON_BYTES, 64));
        // {"k":"€€€€€€€€€€€€€€€€€€€"} is 27 characters but 65 bytes
        JsonObject euros = JsonObject.of("k", "€".repeat(19));
        JsonObject ascii = JsonObject.of("k", "e".repeat(19));

        small.users().create("ascii", "", ascii);
        assertLimit("limits.max-json-bytes", () -> small.users().create("euros", "", euros));
        assertThat(small.users().get("euros")).isEmpty();
        assertThat(small.users().get("ascii")).isPresent();
    }

    /** An input stream of up to {@code total} zero bytes that counts how many it handed out. */
    private static final class CountingStream extends InputStream {
        private final long total;
        long served;

        CountingStream(long total) {
            this.total = total;
        }

        @Override
        public int read() {
            if (served >= total) {
                return -1;
            }
            served++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (served >= total) {
                return -1;
            }
            int n = (int) Math.min(len, total - served);
            Arrays.fill(b, off, off + n, (byte) 0);
            served += n;
            return n;
        }
    }
}
