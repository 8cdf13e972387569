package dev.chatstore.tck;

import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.Usage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: Cascade. Deleting a user or a session removes everything under it, nothing of it survives in an
 * export, other owners are untouched, and an ID created again afterwards starts empty (CONTRACT §4 Cascade).
 */
public abstract class CascadeContract extends TckSupport {

    /** Everything one session can hold, each piece carrying a marker that must vanish with it. */
    private record Planted(String userId, Session session, String marker, byte[] documentBytes) {
        String documentName() {
            return marker + ".txt";
        }
    }

    /** Creates the user (if needed) and a session holding messages, usage, a document, a context and a snapshot. */
    private Planted plant(String userId, String sessionId, String marker) {
        if (store.users().get(userId).isEmpty()) {
            store.users().create(userId, "name-" + userId, JsonObject.of("profileMarker", "profile-" + userId));
        }
        Session s = store.sessions().create(userId, NewSession.titled("title-" + marker).withId(sessionId)
                .withMetadata(JsonObject.of("sessionMarker", "meta-" + marker)));
        store.messages().append(userId, sessionId, NewMessage.user("question-" + marker));
        store.messages().append(userId, sessionId, NewMessage.assistant("answer-" + marker)
                .withUsage(Usage.of(10, 20, "0.5")).withModel("model-" + marker).withProvider("provider-" + marker)
                .withMetadata(JsonObject.of("messageMarker", "mm-" + marker)));
        byte[] bytes = ("document-body-" + marker).getBytes(StandardCharsets.UTF_8);
        store.documents().save(userId, sessionId, marker + ".txt", "text/plain", bytes);
        store.contexts().set(userId, sessionId, context("current-" + marker));
        store.contexts().saveSnapshot(userId, sessionId, context("snapshot-" + marker));
        return new Planted(userId, s, marker, bytes);
    }

    private static SituationalContext context(String summary) {
        return new SituationalContext(summary, List.of("point-" + summary), Map.of("topic", List.of("entity-" + summary)),
                0.5, Instant.parse("2024-05-01T10:00:00Z"));
    }

    /** The strings of a planted session that an export must no longer contain once it is deleted. */
    private static List<String> traces(Planted p) {
        String m = p.marker();
        return List.of(p.session().id(), "title-" + m, "meta-" + m, "question-" + m, "answer-" + m, "mm-" + m,
                "model-" + m, "provider-" + m, p.documentName(), Base64.getEncoder().encodeToString(p.documentBytes()),
                "current-" + m, "snapshot-" + m);
    }

    @Test
    @DisplayName("§4 Cascade: deleting a user removes its sessions, messages, documents, contexts, personas and credentials")
    void deletingUserRemovesEverythingUnderIt() {
        Planted first = plant("cascade-alice", "alice-s1", "alicezq1");
        Planted second = plant("cascade-alice", "alice-s2", "alicezq2");
        store.personas().save(PersonaScope.user("cascade-alice"), "alicezq-persona", JsonObject.of("tone", "alicezq-tone"));
        store.credentials().put("cascade-alice", "openai", "sk-alicezq-secret");

        assertThat(store.users().delete("cascade-alice")).isTrue();

        assertThat(store.users().get("cascade-alice")).isEmpty();
        assertThat(store.sessions().list("cascade-alice")).isEmpty();
        assertThat(store.sessions().count("cascade-alice")).isZero();
        for (Planted p : List.of(first, second)) {
            String sid = p.session().id();
            assertThat(store.sessions().get("cascade-alice", sid)).isEmpty();
            assertThatThrownBy(() -> store.messages().count("cascade-alice", sid)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> store.messages().page("cascade-alice", sid)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> store.documents().list("cascade-alice", sid)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> store.documents().read("cascade-alice", sid, p.documentName()))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> store.contexts().current("cascade-alice", sid)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> store.contexts().history("cascade-alice", sid)).isInstanceOf(NotFoundException.class);
        }
        assertThat(store.personas().list(PersonaScope.user("cascade-alice"))).isEmpty();
        assertThat(store.personas().resolve("cascade-alice", "alicezq-persona")).isEmpty();
        assertThat(store.credentials().providers("cascade-alice")).isEmpty();
        assertThat(store.credentials().get("cascade-alice", "openai")).isEmpty();
        assertThat(backendOf(store).credentials().find("cascade-alice", "openai")).isEmpty();
        assertThat(store.usage().forUser("cascade-alice").groups()).isEmpty();
        assertThat(store.messages().search("cascade-alice", "answer")).isEmpty();

        String export = exportBody(store);
        assertThat(export).doesNotContain("cascade-alice", "alicezq");
        for (Planted p : List.of(first, second)) {
            for (String trace : traces(p)) {
                assertThat(export).doesNotContain(trace);
            }
        }
        assertThat(store.users().delete("cascade-alice")).as("deleting again").isFalse();
    }

    @Test
    @DisplayName("§4 Cascade: deleting a user leaves other users, their data and global personas untouched")
    void deletingUserLeavesOthersUntouched() {
        plant("cascade-alice", "shared-id", "alicezq1");
        Planted bob = plant("cascade-bob", "shared-id", "bobzq1");
        store.personas().save(PersonaScope.global(), "coach", JsonObject.of("owner", "global"));
        store.personas().save(PersonaScope.user("cascade-alice"), "coach", JsonObject.of("owner", "alice"));
        store.personas().save(PersonaScope.user("cascade-bob"), "coach", JsonObject.of("owner", "bob"));
        store.credentials().put("cascade-alice", "openai", "sk-alice");
        store.credentials().put("cascade-bob", "openai", "sk-bob");
        Session bobSession = store.sessions().get("cascade-bob", "shared-id").orElseThrow();
        List<Message> bobMessages = store.messages().page("cascade-bob", "shared-id");
        List<Document> bobDocuments = store.documents().list("cascade-bob", "shared-id");
        List<SituationalContext> bobHistory = store.contexts().history("cascade-bob", "shared-id");
        Optional<SituationalContext> bobContext = store.contexts().current("cascade-bob", "shared-id");

        store.users().delete("cascade-alice");

        assertThat(store.users().get("cascade-bob")).isPresent();
        assertThat(store.sessions().get("cascade-bob", "shared-id")).contains(bobSession);
        assertThat(store.messages().page("cascade-bob", "shared-id")).isEqualTo(bobMessages);
        assertThat(store.documents().list("cascade-bob", "shared-id")).isEqualTo(bobDocuments);
        assertThat(store.documents().read("cascade-bob", "shared-id", bob.documentName())).hasValue(bob.documentBytes());
        assertThat(store.contexts().current("cascade-bob", "shared-id")).isEqualTo(bobContext);
        assertThat(store.contexts().history("cascade-bob", "shared-id")).isEqualTo(bobHistory);
        assertThat(store.personas().resolve("cascade-bob", "coach").map(Persona::data))
                .contains(JsonObject.of("owner", "bob"));
        assertThat(store.personas().find(PersonaScope.global(), "coach").map(Persona::data))
                .contains(JsonObject.of("owner", "global"));
        assertThat(store.credentials().get("cascade-bob", "openai")).contains("sk-bob");
        assertThat(store.usage().forUser("cascade-bob").messages()).isEqualTo(1);
        assertThat(exportBody(store)).contains("bobzq1").doesNotContain("alicezq1", "cascade-alice");
    }

    @Test
    @DisplayName("§4 Cascade: deleting a session removes its messages, documents and contexts; an export shows none of it")
    void deletingSessionRemovesEverythingUnderIt() {
        Planted doomed = plant("cascade-alice", "doomed", "doomedzq");
        Planted kept = plant("cascade-alice", "kept", "keptzq");
        Session keptBefore = store.sessions().get("cascade-alice", "kept").orElseThrow();

        assertThat(store.sessions().delete("cascade-alice", "doomed")).isTrue();

        assertThat(store.sessions().get("cascade-alice", "doomed")).isEmpty();
        assertThat(store.sessions().list("cascade-alice")).extracting(Session::id).containsExactly("kept");
        assertThatThrownBy(() -> store.messages().count("cascade-alice", "doomed")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.documents().list("cascade-alice", "doomed")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.contexts().current("cascade-alice", "doomed")).isInstanceOf(NotFoundException.class);
        assertThat(store.messages().search("cascade-alice", "question")).extracting(Message::sessionId)
                .containsExactly("kept");
        assertThat(store.usage().forUser("cascade-alice").messages()).isEqualTo(1);

        assertThat(store.sessions().get("cascade-alice", "kept")).contains(keptBefore);
        assertThat(store.documents().read("cascade-alice", "kept", kept.documentName())).hasValue(kept.documentBytes());
        assertThat(store.users().get("cascade-alice")).isPresent();

        String export = exportBody(store);
        for (String trace : traces(doomed)) {
            assertThat(export).doesNotContain(trace);
        }
        assertThat(export).contains("keptzq");
        assertThat(store.sessions().delete("cascade-alice", "doomed")).as("deleting again").isFalse();
    }

    @Test
    @DisplayName("§4 Cascade: a session created again with a deleted session's ID starts empty, seq from 1")
    void recreatedSessionStartsEmpty() {
        plant("cascade-alice", "reborn", "rebornzq");
        store.sessions().delete("cascade-alice", "reborn");

        Session again = store.sessions().create("cascade-alice", NewSession.titled("again").withId("reborn"));

        assertThat(again.messageCount()).isZero();
        assertThat(again.version()).isEqualTo(1);
        assertThat(again.lastMessageAt()).isEmpty();
        assertThat(store.messages().page("cascade-alice", "reborn")).isEmpty();
        assertThat(store.messages().count("cascade-alice", "reborn")).isZero();
        assertThat(store.messages().get("cascade-alice", "reborn", 1)).isEmpty();
        assertThat(store.documents().list("cascade-alice", "reborn")).isEmpty();
        assertThat(store.documents().get("cascade-alice", "reborn", "rebornzq.txt")).isEmpty();
        assertThat(store.contexts().current("cascade-alice", "reborn")).isEmpty();
        assertThat(store.contexts().history("cascade-alice", "reborn")).isEmpty();
        assertThat(store.usage().forSession("cascade-alice", "reborn").groups()).isEmpty();
        assertThat(store.messages().search("cascade-alice", "question")).isEmpty();

        Message first = store.messages().append("cascade-alice", "reborn", NewMessage.user("fresh start"));
        assertThat(first.seq()).isEqualTo(1);
        assertThat(store.messages().page("cascade-alice", "reborn")).containsExactly(first);
        assertThat(exportBody(store)).doesNotContain("question-rebornzq", "answer-rebornzq", "rebornzq.txt",
                "current-rebornzq", "snapshot-rebornzq");
    }

    @Test
    @DisplayName("§4 Cascade: a user created again with a deleted user's ID starts empty")
    void recreatedUserStartsEmpty() {
        plant("cascade-alice", "s1", "oldlifezq");
        store.personas().save(PersonaScope.user("cascade-alice"), "helper", JsonObject.of("v", 1));
        store.credentials().put("cascade-alice", "openai", "sk-old-life");
        store.users().delete("cascade-alice");

        store.users().create("cascade-alice");

        assertThat(store.sessions().list("cascade-alice")).isEmpty();
        assertThat(store.sessions().count("cascade-alice")).isZero();
        assertThat(store.sessions().get("cascade-alice", "s1")).isEmpty();
        assertThat(store.personas().list(PersonaScope.user("cascade-alice"))).isEmpty();
        assertThat(store.credentials().providers("cascade-alice")).isEmpty();
        assertThat(store.credentials().get("cascade-alice", "openai")).isEmpty();
        assertThat(store.usage().forUser("cascade-alice").groups()).isEmpty();
        assertThat(store.users().get("cascade-alice").orElseThrow().version()).isEqualTo(1);

        store.sessions().create("cascade-alice", NewSession.titled("new").withId("s1"));
        assertThat(store.messages().append("cascade-alice", "s1", NewMessage.user("hello")).seq()).isEqualTo(1);
        assertThat(store.documents().list("cascade-alice", "s1")).isEmpty();
        assertThat(store.contexts().history("cascade-alice", "s1")).isEmpty();
        assertThat(exportBody(store)).doesNotContain("oldlifezq", "helper");
    }

    @Test
    @DisplayName("§4 Cascade: deleting one user's session does not touch another user's session with the same ID")
    void deletingSessionIsScopedToItsUser() {
        plant("cascade-alice", "same", "alicesamezq");
        Planted bob = plant("cascade-bob", "same", "bobsamezq");

        store.sessions().delete("cascade-alice", "same");

        assertThat(store.sessions().get("cascade-bob", "same")).isPresent();
        assertThat(store.messages().count("cascade-bob", "same")).isEqualTo(2);
        assertThat(store.documents().read("cascade-bob", "same", bob.documentName())).hasValue(bob.documentBytes());
        assertThat(store.contexts().history("cascade-bob", "same")).hasSize(1);
    }

    @Test
    @DisplayName("Deleting an unknown user or session returns false and changes nothing")
    void deletingUnknownReturnsFalse() {
        Session s = userWithSession("cascade-alice");
        appendMany(s, 3);
        String before = exportBody(store);

        assertThat(store.users().delete("nobody")).isFalse();
        assertThat(store.sessions().delete("cascade-alice", "no-such-session")).isFalse();
        assertThat(store.sessions().delete("nobody", s.id())).isFalse();

        assertThat(exportBody(store)).isEqualTo(before);
    }
}
