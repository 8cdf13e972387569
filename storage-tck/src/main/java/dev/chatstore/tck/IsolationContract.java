package dev.chatstore.tck;

import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.SearchQuery;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.Usage;
import dev.chatstore.api.model.UsageQuery;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: Isolation. Every session-level call names the user; another user's session behaves exactly like a
 * session that does not exist, and nothing of it changes.
 */
public abstract class IsolationContract extends TckSupport {

    private static final SituationalContext CONTEXT = new SituationalContext("bob's summary", List.of("point"),
            Map.of("who", List.of("bob")), 0.5, Instant.parse("2030-01-01T00:00:00Z"));

    private Session alices;

    /** alice owns a session with a message, a document, a context and a snapshot; bob exists with a session of his own. */
    private Session setUp() {
        alices = userWithSession("alice");
        store.messages().append("alice", alices.id(), NewMessage.assistant("alice's secret answer").withId("m1")
                .withUsage(Usage.of(10, 20, "0.5")).withModel("gpt-4o"));
        store.documents().save("alice", alices.id(), "secret.txt", "text/plain",
                "alice's document".getBytes(StandardCharsets.UTF_8));
        store.contexts().set("alice", alices.id(), CONTEXT.withCapturedAt(Instant.parse("2029-01-01T00:00:00Z")));
        store.contexts().saveSnapshot("alice", alices.id(), CONTEXT.withCapturedAt(Instant.parse("2029-01-01T00:00:00Z")));
        userWithSession("bob");
        return alices;
    }

    private static void assertNotFound(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("§4 Isolation: another user's session reads as absent and is not listed or counted")
    void sessionsAreInvisible() {
        Session a = setUp();

        assertThat(store.sessions().get("bob", a.id())).isEmpty();
        assertThat(store.sessions().list("bob")).extracting(Session::userId).containsOnly("bob");
        assertThat(store.sessions().list("bob")).extracting(Session::id).doesNotContain(a.id());
        assertThat(store.sessions().count("bob")).isEqualTo(1);
    }

    @Test
    @DisplayName("§4 Isolation: every message call on another user's session is a NotFoundException and changes nothing")
    void messages() {
        Session a = setUp();
        String before = exportBody(store);

        assertNotFound(() -> store.messages().append("bob", a.id(), NewMessage.user("intrusion")));
        assertNotFound(() -> store.messages().appendAll("bob", a.id(), List.of(NewMessage.user("x"), NewMessage.user("y"))));
        assertNotFound(() -> store.messages().get("bob", a.id(), 1));
        assertNotFound(() -> store.messages().getById("bob", a.id(), "m1"));
        assertNotFound(() -> store.messages().page("bob", a.id()));
        assertNotFound(() -> store.messages().page("bob", a.id(), 0, 10));
        assertNotFound(() -> store.messages().after("bob", a.id(), 0, 10));
        assertNotFound(() -> store.messages().last("bob", a.id(), 10));
        assertNotFound(() -> store.messages().count("bob", a.id()));
        assertNotFound(() -> store.messages().search("bob", SearchQuery.of("secret").inSession(a.id())));

        assertThat(store.messages().search("bob", "secret")).isEmpty();
        assertThat(exportBody(store)).isEqualTo(before);
    }

    @Test
    @DisplayName("§4 Isolation: updating or deleting another user's session is refused and changes nothing")
    void sessionWrites() {
        Session a = setUp();
        Session stored = store.sessions().get("alice", a.id()).orElseThrow();
        String before = exportBody(store);
        Session forged = new Session(a.id(), "bob", "hijacked", a.model(), a.provider(), true, JsonObject.empty(),
                a.messageCount(), a.lastMessageAt(), a.createdAt(), a.updatedAt(), a.version());

        assertNotFound(() -> store.sessions().update(forged));
        assertNotFound(() -> store.sessions().update("bob", a.id(), s -> s.withTitle("hijacked")));
        assertThat(store.sessions().delete("bob", a.id())).isFalse();

        assertThat(store.sessions().get("alice", a.id())).contains(stored);
        assertThat(store.messages().count("alice", a.id())).isEqualTo(1);
        assertThat(exportBody(store)).isEqualTo(before);
    }

    @Test
    @DisplayName("§4 Isolation: every document call on another user's session is a NotFoundException and changes nothing")
    void documents() {
        Session a = setUp();
        String before = exportBody(store);

        assertNotFound(() -> store.documents().save("bob", a.id(), "evil.txt", "text/plain", new byte[] {1, 2}));
        assertNotFound(() -> store.documents().save("bob", a.id(), "secret.txt", "text/plain",
                new ByteArrayInputStream(new byte[] {1}), JsonObject.empty()));
        assertNotFound(() -> store.documents().get("bob", a.id(), "secret.txt"));
        assertNotFound(() -> store.documents().read("bob", a.id(), "secret.txt"));
        assertNotFound(() -> store.documents().open("bob", a.id(), "secret.txt"));
        assertNotFound(() -> store.documents().list("bob", a.id()));
        assertNotFound(() -> store.documents().updateAnalysis("bob", a.id(), "secret.txt", JsonObject.of("x", 1)));
        assertNotFound(() -> store.documents().delete("bob", a.id(), "secret.txt"));

        assertThat(store.documents().read("alice", a.id(), "secret.txt")).hasValueSatisfying(
                b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("alice's document"));
        assertThat(exportBody(store)).isEqualTo(before);
    }

    @Test
    @DisplayName("§4 Isolation: every context call on another user's session is a NotFoundException and changes nothing")
    void contexts() {
        Session a = setUp();
        String before = exportBody(store);

        assertNotFound(() -> store.contexts().set("bob", a.id(), CONTEXT));
        assertNotFound(() -> store.contexts().saveSnapshot("bob", a.id(), CONTEXT));
        assertNotFound(() -> store.contexts().current("bob", a.id()));
        assertNotFound(() -> store.contexts().history("bob", a.id()));
        assertNotFound(() -> store.contexts().history("bob", a.id(), 5));

        assertThat(store.contexts().current("alice", a.id())).map(SituationalContext::capturedAt)
                .contains(Instant.parse("2029-01-01T00:00:00Z"));
        assertThat(store.contexts().history("alice", a.id())).hasSize(1);
        assertThat(exportBody(store)).isEqualTo(before);
    }

    @Test
    @DisplayName("§4 Isolation: usage of another user's session is a NotFoundException; a user's totals never include another's")
    void usage() {
        Session a = setUp();

        assertNotFound(() -> store.usage().forSession("bob", a.id()));
        assertNotFound(() -> store.usage().query(UsageQuery.forSession("bob", a.id())
                .between(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"))));
        assertThat(store.usage().forUser("bob").totalTokens()).isZero();
        assertThat(store.usage().forUser("alice").totalTokens()).isEqualTo(30);
    }

    @Test
    @DisplayName("§4 Isolation: a user that does not exist gets NotFoundException for another user's session too")
    void unknownUser() {
        Session a = setUp();

        assertThat(store.sessions().get("mallory", a.id())).isEmpty();
        assertNotFound(() -> store.messages().page("mallory", a.id(), 0, 10));
        assertNotFound(() -> store.messages().append("mallory", a.id(), NewMessage.user("x")));
        assertNotFound(() -> store.documents().list("mallory", a.id()));
        assertNotFound(() -> store.contexts().current("mallory", a.id()));
        assertThat(store.users().get("mallory")).isEmpty();
    }

    @Test
    @DisplayName("§4 Isolation: two users may each have a session with the same ID, fully independent")
    void sameSessionIdTwoUsers() {
        user("alice");
        user("bob");
        Session sa = store.sessions().create("alice", NewSession.titled("alice's").withId("shared"));
        Session sb = store.sessions().create("bob", NewSession.titled("bob's").withId("shared"));

        Message a1 = store.messages().append("alice", "shared", NewMessage.user("a1"));
        store.messages().append("alice", "shared", NewMessage.user("a2"));
        Message b1 = store.messages().append("bob", "shared", NewMessage.user("b1"));
        store.documents().save("alice", "shared", "doc.txt", "text/plain", "A".getBytes(StandardCharsets.UTF_8));
        store.documents().save("bob", "shared", "doc.txt", "text/plain", "BB".getBytes(StandardCharsets.UTF_8));
        store.contexts().set("alice", "shared", CONTEXT.withCapturedAt(Instant.parse("2030-01-01T00:00:01Z")));

        assertThat(a1.seq()).isEqualTo(1);
        assertThat(b1.seq()).isEqualTo(1);
        assertThat(store.messages().count("alice", "shared")).isEqualTo(2);
        assertThat(store.messages().count("bob", "shared")).isEqualTo(1);
        assertThat(store.messages().page("bob", "shared", 0, 10)).containsExactly(b1);
        assertThat(store.messages().get("bob", "shared", 2)).isEmpty();
        assertThat(store.sessions().get("alice", "shared").orElseThrow().title()).isEqualTo(sa.title());
        assertThat(store.sessions().get("bob", "shared").orElseThrow().title()).isEqualTo(sb.title());
        assertThat(store.documents().read("alice", "shared", "doc.txt").orElseThrow()).hasSize(1);
        assertThat(store.documents().read("bob", "shared", "doc.txt").orElseThrow()).hasSize(2);
        assertThat(store.contexts().current("bob", "shared")).isEmpty();

        store.sessions().update("bob", "shared", s -> s.withTitle("bob renamed"));
        assertThat(store.sessions().get("alice", "shared").orElseThrow().title()).isEqualTo("alice's");
        assertThat(store.sessions().get("alice", "shared").orElseThrow().version()).isEqualTo(1);

        assertThat(store.sessions().delete("bob", "shared")).isTrue();
        assertThat(store.sessions().get("bob", "shared")).isEmpty();
        assertThat(store.messages().page("alice", "shared", 0, 10)).extracting(Message::content).containsExactly("a1", "a2");
        assertThat(store.documents().list("alice", "shared")).hasSize(1);
        assertThat(store.contexts().current("alice", "shared")).isPresent();
    }

    @Test
    @DisplayName("§4 Isolation: a caller-chosen message ID may repeat across users' sessions")
    void sameMessageIdTwoUsers() {
        Session a = userWithSession("alice");
        Session b = userWithSession("bob");

        Message ma = store.messages().append("alice", a.id(), NewMessage.user("from alice").withId("msg-1"));
        Message mb = store.messages().append("bob", b.id(), NewMessage.user("from bob").withId("msg-1"));

        assertThat(store.messages().getById("alice", a.id(), "msg-1")).contains(ma);
        assertThat(store.messages().getById("bob", b.id(), "msg-1")).contains(mb);
    }

    @Test
    @DisplayName("§4 Isolation: deleting one user leaves another user's same-named session untouched")
    void deleteUserKeepsOthers() {
        user("alice");
        user("bob");
        store.sessions().create("alice", NewSession.titled("a").withId("shared"));
        store.sessions().create("bob", NewSession.titled("b").withId("shared"));
        store.messages().append("bob", "shared", NewMessage.user("bob stays"));

        store.users().delete("alice");

        assertThat(store.messages().page("bob", "shared", 0, 10)).extracting(Message::content).containsExactly("bob stays");
        assertThat(store.messages().search("bob", "stays")).hasSize(1);
    }
}
