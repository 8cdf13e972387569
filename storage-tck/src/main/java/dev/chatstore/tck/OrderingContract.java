package dev.chatstore.tck;

import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewPanel;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCK group: Ordering. Messages by seq; sessions by updatedAt descending, then ID; context history newest first;
 * search results by createdAt descending, then session ID, then seq descending.
 */
public abstract class OrderingContract extends TckSupport {

    /** A fixed instant in the future, so that explicit message times decide a session's updatedAt. */
    private static final Instant T = Instant.parse("2040-03-04T05:06:07.008Z");

    private Session session(String userId, String sessionId) {
        return store.sessions().create(userId, NewSession.titled(sessionId).withId(sessionId));
    }

    private void appendAt(String userId, String sessionId, String content, Instant at) {
        store.messages().append(userId, sessionId, NewMessage.user(content).withCreatedAt(at));
    }

    private List<String> sessionIds(String userId) {
        return store.sessions().list(userId, 0, 100).stream().map(Session::id).toList();
    }

    @Test
    @DisplayName("§4 Ordering: messages come back in seq order, not in createdAt or ID order")
    void messagesBySeq() {
        Session s = userWithSession("alice");
        store.messages().append("alice", s.id(), NewMessage.user("third by time").withId("m-c")
                .withCreatedAt(T.plusSeconds(30)));
        store.messages().append("alice", s.id(), NewMessage.user("first by time").withId("m-z")
                .withCreatedAt(T.plusSeconds(10)));
        store.messages().append("alice", s.id(), NewMessage.user("second by time").withId("m-a")
                .withCreatedAt(T.plusSeconds(20)));

        List<String> expected = List.of("m-c", "m-z", "m-a");
        assertThat(store.messages().page("alice", s.id(), 0, 10)).extracting(Message::id).isEqualTo(expected);
        assertThat(store.messages().after("alice", s.id(), 0, 10)).extracting(Message::id).isEqualTo(expected);
        assertThat(store.messages().last("alice", s.id(), 10)).extracting(Message::id).isEqualTo(expected);
        assertThat(store.messages().page("alice", s.id(), 0, 10)).extracting(Message::seq).containsExactly(1L, 2L, 3L);
    }

    @Test
    @DisplayName("§4 Ordering: a batch keeps its order and its seqs follow the earlier messages")
    void batchOrder() {
        Session s = userWithSession("alice");
        appendMany(s, 2);

        List<Message> batch = store.messages().appendAll("alice", s.id(), List.of(NewMessage.user("b1"),
                NewMessage.assistant("b2"), NewMessage.tool("b3"), NewMessage.system("b4")));

        assertThat(batch).extracting(Message::seq).containsExactly(3L, 4L, 5L, 6L);
        assertThat(store.messages().page("alice", s.id(), 2, 10)).extracting(Message::content)
                .containsExactly("b1", "b2", "b3", "b4");
    }

    @Test
    @DisplayName("§4 Ordering: more than nine messages sort numerically by seq (10 after 9, not after 1)")
    void seqIsNumeric() {
        Session s = userWithSession("alice");
        appendMany(s, 25);

        assertThat(store.messages().page("alice", s.id(), 0, 100)).extracting(Message::seq).isSorted()
                .hasSize(25).first().isEqualTo(1L);
        assertThat(store.messages().page("alice", s.id(), 0, 100)).extracting(Message::content)
                .element(9).isEqualTo("message 10");
        assertThat(store.messages().last("alice", s.id(), 3)).extracting(Message::seq).containsExactly(23L, 24L, 25L);
    }

    @Test
    @DisplayName("§4 Ordering: panel messages come back in seq order")
    void panelMessagesBySeq() {
        store.panels().create(NewPanel.of("debate", List.of("pro", "con")).withId("p1"));
        store.panels().append("p1", NewMessage.of("pro", "late").withCreatedAt(T.plusSeconds(9)));
        store.panels().append("p1", NewMessage.of("con", "early").withCreatedAt(T.plusSeconds(1)));
        store.panels().append("p1", NewMessage.of("pro", "middle").withCreatedAt(T.plusSeconds(5)));

        assertThat(store.panels().messages("p1", 0, 10)).extracting(Message::content)
                .containsExactly("late", "early", "middle");
    }

    @Test
    @DisplayName("§4 Ordering: sessions list by updatedAt descending")
    void sessionsByUpdatedAt() {
        user("alice");
        session("alice", "s-old");
        session("alice", "s-new");
        session("alice", "s-mid");
        appendAt("alice", "s-old", "x", T.plusSeconds(1));
        appendAt("alice", "s-new", "x", T.plusSeconds(3));
        appendAt("alice", "s-mid", "x", T.plusSeconds(2));

        assertThat(sessionIds("alice")).containsExactly("s-new", "s-mid", "s-old");
    }

    @Test
    @DisplayName("§4 Ordering: appending to an older session moves it to the front")
    void appendMovesToFront() {
        user("alice");
        session("alice", "s1");
        session("alice", "s2");
        session("alice", "s3");
        appendAt("alice", "s1", "x", T.plusSeconds(1));
        appendAt("alice", "s2", "x", T.plusSeconds(2));
        appendAt("alice", "s3", "x", T.plusSeconds(3));
        assertThat(sessionIds("alice")).containsExactly("s3", "s2", "s1");

        appendAt("alice", "s1", "y", T.plusSeconds(4));

        assertThat(sessionIds("alice")).containsExactly("s1", "s3", "s2");
        assertThat(store.sessions().list("alice", 0, 1)).extracting(Session::id).containsExactly("s1");
        assertThat(store.sessions().get("alice", "s1").orElseThrow().updatedAt()).isEqualTo(T.plusSeconds(4));
    }

    @Test
    @DisplayName("§4 Ordering: sessions with the same updatedAt are ordered by ID")
    void tiesBrokenById() {
        user("alice");
        for (String id : List.of("s-c", "s-a", "S-b", "s-b", "s-0")) {
            session("alice", id);
            appendAt("alice", id, "x", T);
        }
        session("alice", "z-newest");
        appendAt("alice", "z-newest", "x", T.plusMillis(1));
        session("alice", "a-oldest");
        appendAt("alice", "a-oldest", "x", T.minusMillis(1));

        assertThat(sessionIds("alice")).containsExactly("z-newest", "S-b", "s-0", "s-a", "s-b", "s-c", "a-oldest");
    }

    @Test
    @DisplayName("§4 Ordering: a message older than the session's updatedAt does not move it back")
    void olderMessageDoesNotMoveBack() {
        user("alice");
        session("alice", "s1");
        session("alice", "s2");
        appendAt("alice", "s1", "x", T.plusSeconds(10));
        appendAt("alice", "s2", "x", T.plusSeconds(5));

        appendAt("alice", "s1", "back-dated", T.minusSeconds(3600));

        assertThat(store.sessions().get("alice", "s1").orElseThrow().updatedAt()).isEqualTo(T.plusSeconds(10));
        assertThat(sessionIds("alice")).containsExactly("s1", "s2");
    }

    @Test
    @DisplayName("§4 Ordering: milliseconds decide the order of sessions updated within one second")
    void millisecondsCount() {
        user("alice");
        session("alice", "a");
        session("alice", "b");
        session("alice", "c");
        appendAt("alice", "a", "x", T.plusMillis(2));
        appendAt("alice", "b", "x", T.plusMillis(3));
        appendAt("alice", "c", "x", T.plusMillis(1));

        assertThat(sessionIds("alice")).containsExactly("b", "a", "c");
    }

    @Test
    @DisplayName("§4 Ordering: context history is newest first by capturedAt, then latest saved first")
    void historyNewestFirst() {
        Session s = userWithSession("alice");
        store.contexts().saveSnapshot("alice", s.id(), context("t1", T.plusSeconds(1)));
        store.contexts().saveSnapshot("alice", s.id(), context("t3", T.plusSeconds(3)));
        store.contexts().saveSnapshot("alice", s.id(), context("t2", T.plusSeconds(2)));
        store.contexts().saveSnapshot("alice", s.id(), context("t4-first-saved", T.plusSeconds(4)));
        store.contexts().saveSnapshot("alice", s.id(), context("t4-second-saved", T.plusSeconds(4)));
        store.contexts().saveSnapshot("alice", s.id(), context("t0", T));

        assertThat(store.contexts().history("alice", s.id())).extracting(SituationalContext::summary)
                .containsExactly("t4-second-saved", "t4-first-saved", "t3", "t2", "t1", "t0");
        assertThat(store.contexts().history("alice", s.id(), 3)).extracting(SituationalContext::summary)
                .containsExactly("t4-second-saved", "t4-first-saved", "t3");
    }

    @Test
    @DisplayName("§4 Ordering: search results are createdAt descending, then session ID ascending, then seq descending")
    void searchOrder() {
        user("alice");
        session("alice", "s-b");
        session("alice", "s-a");
        // same createdAt in two sessions and twice within one session
        appendAt("alice", "s-b", "needle b1", T);
        appendAt("alice", "s-b", "needle b2", T);
        appendAt("alice", "s-a", "needle a1", T);
        appendAt("alice", "s-a", "needle a2", T);
        appendAt("alice", "s-b", "needle newest", T.plusMillis(1));
        appendAt("alice", "s-a", "needle oldest", T.minusSeconds(60));
        appendAt("alice", "s-a", "haystack only", T.plusSeconds(60));

        List<Message> hits = store.messages().search("alice", "needle");

        assertThat(hits).extracting(Message::content)
                .containsExactly("needle newest", "needle a2", "needle a1", "needle b2", "needle b1", "needle oldest");
        assertThat(store.messages().search("alice", dev.chatstore.api.model.SearchQuery.of("needle").limit(3)))
                .extracting(Message::content).containsExactly("needle newest", "needle a2", "needle a1");
    }

    private static SituationalContext context(String summary, Instant capturedAt) {
        return new SituationalContext(summary, List.of("point"), Map.of("topic", List.of("ordering")), 0.5, capturedAt);
    }
}
