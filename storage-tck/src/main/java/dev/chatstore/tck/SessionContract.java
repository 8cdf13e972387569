package dev.chatstore.tck;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TCK group: Session. Create (generated or caller-chosen IDs), read, update, delete, list and count sessions. */
public abstract class SessionContract extends TckSupport {

    private static final String GENERATED_ID = "chat_session_\\d{8}_\\d{6}_[0-9a-z]{10}";
    private static final DateTimeFormatter ID_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")
            .withZone(ZoneOffset.UTC);

    @Test
    @DisplayName("a new session gets an ID chat_session_YYYYMMDD_HHMMSS_<random> stamped with its creation time (UTC)")
    void generatedId() {
        user("alice");

        Session s = store.sessions().create("alice", "Python help");

        assertThat(s.id()).matches(GENERATED_ID);
        assertThat(s.id()).startsWith("chat_session_" + ID_STAMP.format(s.createdAt()) + "_");
        assertThat(store.sessions().get("alice", s.id())).contains(s);
    }

    @Test
    @DisplayName("sessions created within the same second never get the same ID")
    void generatedIdsNeverCollide() {
        user("alice");
        Set<String> ids = new HashSet<>();

        for (int i = 0; i < 50; i++) {
            ids.add(store.sessions().create("alice", "s" + i).id());
        }

        assertThat(ids).hasSize(50).allSatisfy(id -> assertThat(id).matches(GENERATED_ID));
        assertThat(store.sessions().count("alice")).isEqualTo(50);
    }

    @Test
    @DisplayName("a new session starts empty at version 1 with all its fields as given")
    void newSessionFields() {
        user("alice");
        JsonObject metadata = JsonObject.of("temperature", new java.math.BigDecimal("0.7"), "maxTokens", 4096);

        Session s = store.sessions().create("alice", NewSession.titled("Design review").withModel("gpt-4o")
                .withProvider("openai").withMetadata(metadata));

        assertThat(s.userId()).isEqualTo("alice");
        assertThat(s.title()).isEqualTo("Design review");
        assertThat(s.model()).contains("gpt-4o");
        assertThat(s.provider()).contains("openai");
        assertThat(s.metadata()).isEqualTo(metadata);
        assertThat(s.archived()).isFalse();
        assertThat(s.messageCount()).isZero();
        assertThat(s.lastMessageAt()).isEmpty();
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.createdAt()).isEqualTo(s.updatedAt());
        assertThat(s.createdAt().getNano() % 1_000_000).isZero();
        assertThat(store.sessions().get("alice", s.id())).contains(s);
    }

    @Test
    @DisplayName("a session may be created with an empty title and no model or provider")
    void minimalSession() {
        user("alice");

        Session s = store.sessions().create("alice", "");

        Session read = store.sessions().get("alice", s.id()).orElseThrow();
        assertThat(read.title()).isEmpty();
        assertThat(read.model()).isEmpty();
        assertThat(read.provider()).isEmpty();
        assertThat(read.metadata()).isEqualTo(JsonObject.empty());
    }

    @Test
    @DisplayName("a caller-supplied session ID is used as given")
    void callerSuppliedId() {
        user("alice");

        Session s = store.sessions().create("alice", NewSession.titled("mine").withId("my-session.1"));

        assertThat(s.id()).isEqualTo("my-session.1");
        assertThat(store.sessions().get("alice", "my-session.1")).contains(s);
        assertThat(store.sessions().get("alice", "My-Session.1")).isEmpty();
    }

    @Test
    @DisplayName("a duplicate session ID for the same user is a DuplicateKeyException and the first one is unchanged")
    void duplicateId() {
        user("alice");
        Session first = store.sessions().create("alice", NewSession.titled("first").withId("s1"));

        assertThatThrownBy(() -> store.sessions().create("alice", NewSession.titled("second").withId("s1")))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(store.sessions().get("alice", "s1")).contains(first);
        assertThat(store.sessions().count("alice")).isEqualTo(1);
    }

    @Test
    @DisplayName("creating a session for an unknown user is a NotFoundException and creates neither")
    void unknownUser() {
        assertThatThrownBy(() -> store.sessions().create("ghost", "title")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.sessions().create("ghost", NewSession.titled("t").withId("s1")))
                .isInstanceOf(NotFoundException.class);
        assertThat(store.users().get("ghost")).isEmpty();
        assertThat(store.sessions().count("ghost")).isZero();
    }

    @Test
    @DisplayName("an unknown session reads as empty")
    void getUnknown() {
        user("alice");

        assertThat(store.sessions().get("alice", "nope")).isEmpty();
    }

    @Test
    @DisplayName("appending messages updates messageCount and lastMessageAt but not the version")
    void appendUpdatesCounters() {
        Session s = userWithSession("alice");
        Instant at = Instant.parse("2031-05-06T07:08:09.123Z");

        store.messages().append("alice", s.id(), NewMessage.user("one"));
        Message last = store.messages().append("alice", s.id(), NewMessage.assistant("two").withCreatedAt(at));

        Session read = store.sessions().get("alice", s.id()).orElseThrow();
        assertThat(read.messageCount()).isEqualTo(2);
        assertThat(read.lastMessageAt()).contains(last.createdAt());
        assertThat(read.updatedAt()).isEqualTo(at);
        assertThat(read.version()).isEqualTo(1);
        assertThat(read.createdAt()).isEqualTo(s.createdAt());
    }

    @Test
    @DisplayName("update(Session) stores title, model, provider, archived and metadata and adds 1 to the version")
    void updateWithVersion() {
        Session s = userWithSession("alice");

        Session updated = store.sessions().update(s.withTitle("renamed").withModel("claude").withProvider("anthropic")
                .withArchived(true).withMetadata(JsonObject.of("pinned", true)));

        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.title()).isEqualTo("renamed");
        assertThat(updated.model()).contains("claude");
        assertThat(updated.provider()).contains("anthropic");
        assertThat(updated.archived()).isTrue();
        assertThat(updated.metadata()).isEqualTo(JsonObject.of("pinned", true));
        assertThat(updated.createdAt()).isEqualTo(s.createdAt());
        assertThat(updated.updatedAt()).isAfterOrEqualTo(s.updatedAt());
        assertThat(store.sessions().get("alice", s.id())).contains(updated);
    }

    @Test
    @DisplayName("update keeps messageCount and lastMessageAt, whatever the caller's copy says")
    void updateKeepsMessageCount() {
        Session s = userWithSession("alice");
        Session stale = s;
        appendMany(s, 3);
        Session withMessages = store.sessions().get("alice", s.id()).orElseThrow();

        // the caller's copy predates the appends (but the version is still current: appends do not change it)
        Session updated = store.sessions().update(stale.withTitle("after appends"));
        Session viaFn = store.sessions().update("alice", s.id(), x -> new Session(x.id(), x.userId(), "via fn",
                x.model(), x.provider(), x.archived(), x.metadata(), 999, Optional.of(Instant.EPOCH), Instant.EPOCH,
                Instant.EPOCH, 77));

        assertThat(updated.messageCount()).isEqualTo(3);
        assertThat(updated.lastMessageAt()).isEqualTo(withMessages.lastMessageAt());
        assertThat(viaFn.messageCount()).isEqualTo(3);
        assertThat(viaFn.lastMessageAt()).isEqualTo(withMessages.lastMessageAt());
        assertThat(viaFn.createdAt()).isEqualTo(s.createdAt());
        assertThat(viaFn.version()).isEqualTo(3);
        assertThat(viaFn.title()).isEqualTo("via fn");
        assertThat(store.sessions().get("alice", s.id())).contains(viaFn);
        assertThat(store.messages().count("alice", s.id())).isEqualTo(3);
    }

    @Test
    @DisplayName("update(userId, sessionId, fn) applies the change and adds 1 to the version")
    void updateWithFunction() {
        Session s = userWithSession("alice");

        Session updated = store.sessions().update("alice", s.id(), x -> x.withArchived(true));

        assertThat(updated.archived()).isTrue();
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.title()).isEqualTo(s.title());
        assertThat(store.sessions().get("alice", s.id())).contains(updated);
    }

    @Test
    @DisplayName("updating an unknown session is a NotFoundException and creates nothing")
    void updateUnknown() {
        Session s = userWithSession("alice");
        store.sessions().delete("alice", s.id());

        assertThatThrownBy(() -> store.sessions().update(s.withTitle("x"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.sessions().update("alice", s.id(), x -> x.withTitle("x")))
                .isInstanceOf(NotFoundException.class);
        assertThat(store.sessions().get("alice", s.id())).isEmpty();
        assertThat(store.sessions().count("alice")).isZero();
    }

    @Test
    @DisplayName("delete removes the session and its messages, returns true once and false afterwards")
    void delete() {
        Session s = userWithSession("alice");
        Session other = store.sessions().create("alice", "keep me");
        appendMany(s, 2);
        appendMany(other, 1);

        assertThat(store.sessions().delete("alice", s.id())).isTrue();
        assertThat(store.sessions().get("alice", s.id())).isEmpty();
        assertThat(store.sessions().delete("alice", s.id())).isFalse();
        assertThat(store.sessions().delete("alice", "never-existed")).isFalse();
        assertThat(store.sessions().count("alice")).isEqualTo(1);
        assertThatThrownBy(() -> store.messages().count("alice", s.id())).isInstanceOf(NotFoundException.class);
        assertThat(store.messages().count("alice", other.id())).isEqualTo(1);
    }

    @Test
    @DisplayName("a deleted session's ID can be used again and starts with no messages")
    void recreateAfterDelete() {
        user("alice");
        Session s = store.sessions().create("alice", NewSession.titled("old").withId("reused"));
        appendMany(s, 3);
        store.sessions().delete("alice", "reused");

        Session again = store.sessions().create("alice", NewSession.titled("new").withId("reused"));
        Message first = store.messages().append("alice", "reused", NewMessage.user("hello again"));

        assertThat(again.messageCount()).isZero();
        assertThat(first.seq()).isEqualTo(1);
        assertThat(store.messages().page("alice", "reused", 0, 10)).containsExactly(first);
    }

    @Test
    @DisplayName("list and count show exactly the user's sessions")
    void listAndCount() {
        user("alice");
        user("bob");
        Set<String> alices = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            alices.add(store.sessions().create("alice", "a" + i).id());
        }
        store.sessions().create("bob", "b0");

        assertThat(store.sessions().count("alice")).isEqualTo(4);
        assertThat(store.sessions().count("bob")).isEqualTo(1);
        assertThat(store.sessions().list("alice").stream().map(Session::id).toList())
                .containsExactlyInAnyOrderElementsOf(alices);
        assertThat(store.sessions().list("alice", 0, 100)).allSatisfy(x -> assertThat(x.userId()).isEqualTo("alice"));
        assertThat(store.sessions().list("bob")).singleElement().extracting(Session::title).isEqualTo("b0");
    }

    @Test
    @DisplayName("a user with no sessions lists none and counts zero")
    void noSessions() {
        user("alice");

        assertThat(store.sessions().list("alice")).isEmpty();
        assertThat(store.sessions().count("alice")).isZero();
    }

    @Test
    @DisplayName("listed sessions carry their current state (counts, titles)")
    void listShowsCurrentState() {
        Session s = userWithSession("alice");
        appendMany(s, 2);
        store.sessions().update("alice", s.id(), x -> x.withTitle("renamed"));

        Session listed = store.sessions().list("alice").get(0);

        assertThat(listed).isEqualTo(store.sessions().get("alice", s.id()).orElseThrow());
        assertThat(listed.messageCount()).isEqualTo(2);
        assertThat(listed.title()).isEqualTo("renamed");
        assertThat(List.of(listed.version())).containsExactly(2L);
    }
}
