package dev.chatstore.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.Usage;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The commit pointer against what a dead or overtaken writer leaves in the database, written here with the raw
 * driver exactly as {@code MongoLogs} would have left it: documents above {@code lastSeq} and a reservation nobody
 * will commit. Readers must not see them, and the next append must get past them without a gap.
 */
@DisplayName("mongodb:// commit pointer: leftovers and reservations of dead writers (in-process mongo-java-server)")
class CommitPointerTest {

    private static final String USER = "cp-user";

    private final MongoTestDatabases databases = MongoTestDatabases.inProcess();
    private ChatStore store;
    private MongoClient raw;
    private MongoCollection<Document> sessions;
    private MongoCollection<Document> messages;
    private Session session;

    @BeforeEach
    void setUp() {
        String url = databases.newDatabaseUrl();
        store = ChatStore.builder().config(ChatStoreConfig.isolated().url(url)
                        .backendOption("append-timeout-ms", 500).build())
                .provider(new MongoBackendProvider()).open();
        raw = MongoClients.create(url);
        String db = url.substring(url.lastIndexOf('/') + 1);
        sessions = raw.getDatabase(db).getCollection("sessions");
        messages = raw.getDatabase(db).getCollection("messages");
        store.users().create(USER);
        session = store.sessions().create(USER, "pointer");
        for (int i = 1; i <= 3; i++) {
            store.messages().append(USER, session.id(), NewMessage.assistant("alpha " + i).withModel("m1")
                    .withUsage(Usage.of(10, 20, "0.5")));
        }
    }

    @AfterEach
    void tearDown() {
        store.close();
        raw.close();
        databases.cleanUp();
    }

    private String logKey() {
        return "s/" + USER + "/" + session.id();
    }

    /** A message document as a writer that never committed left it. */
    private void leaveBehind(long seq, String id, String content) {
        messages.insertOne(new Document("log", logKey()).append("seq", seq).append("mid", id)
                .append("sid", session.id()).append("role", "assistant").append("content", content)
                .append("createdAt", new Date()).append("attachments", List.of()).append("metadata", "{}")
                .append("usage", new Document("in", 1000L).append("out", 1000L)
                        .append("cost", new Decimal128(new BigDecimal("99"))).append("currency", "USD"))
                .append("model", "m1").append("tok", "dead-writer").append("user", USER)
                .append("words", List.of(content.split(" "))));
    }

    @Test
    @DisplayName("documents above lastSeq are invisible to every read, search and usage; the next append replaces them")
    void leftoversAreInvisibleAndReplaced() {
        leaveBehind(4, "ghost-4", "ghost four");
        leaveBehind(5, "ghost-5", "ghost five");

        assertThat(store.messages().count(USER, session.id())).isEqualTo(3);
        assertThat(store.messages().get(USER, session.id(), 4)).isEmpty();
        assertThat(store.messages().getById(USER, session.id(), "ghost-4")).isEmpty();
        assertThat(store.messages().after(USER, session.id(), 3, 10)).isEmpty();
        assertThat(store.messages().last(USER, session.id(), 10)).extracting(Message::seq).containsExactly(1L, 2L, 3L);
        assertThat(store.messages().search(USER, "ghost")).isEmpty();
        assertThat(store.usage().forUser(USER).groups()).singleElement().satisfies(g -> {
            assertThat(g.messages()).isEqualTo(3);
            assertThat(g.cost()).isEqualByComparingTo("1.5");
        });

        // No reservation is pending, so the append meets the leftovers on the unique index, clears them, retries.
        Message next = store.messages().append(USER, session.id(), NewMessage.user("after the ghosts"));
        assertThat(next.seq()).isEqualTo(4);
        assertThat(messages.countDocuments(Filters.eq("log", logKey()))).isEqualTo(4);
        assertThat(store.messages().get(USER, session.id(), 4)).map(Message::content).contains("after the ghosts");
    }

    @Test
    @DisplayName("a leftover holding the ID of a new message is not mistaken for a duplicate")
    void leftoverIdIsNotADuplicate() {
        leaveBehind(4, "reused-id", "ghost");

        Message next = store.messages().append(USER, session.id(), NewMessage.user("real").withId("reused-id"));

        assertThat(next.seq()).isEqualTo(4);
        assertThat(store.messages().getById(USER, session.id(), "reused-id")).map(Message::content).contains("real");
    }

    @Test
    @DisplayName("a reservation older than the lease is taken over: leftovers deleted, seqs follow on")
    void staleReservationIsTakenOver() {
        leaveBehind(4, "ghost-4", "ghost four");
        sessions.updateOne(Filters.eq("_id", USER + "/" + session.id()), Updates.set("pending",
                new Document("token", "dead-writer").append("base", 3L).append("n", 2)
                        .append("at", new Date(System.currentTimeMillis() - 3_600_000))));

        Message next = store.messages().append(USER, session.id(), NewMessage.user("taken over"));

        assertThat(next.seq()).isEqualTo(4);
        assertThat(messages.countDocuments(Filters.eq("log", logKey()))).isEqualTo(4);
        assertThat(sessions.find(Filters.eq("_id", USER + "/" + session.id())).first()).doesNotContainKey("pending");
    }

    @Test
    @DisplayName("a live reservation makes an append wait, then fail as unavailable naming the option; nothing is stored")
    void liveReservationMakesAppendsWait() {
        sessions.updateOne(Filters.eq("_id", USER + "/" + session.id()), Updates.set("pending",
                new Document("token", "busy-writer").append("base", 3L).append("n", 1).append("at", new Date())));

        assertThatThrownBy(() -> store.messages().append(USER, session.id(), NewMessage.user("must wait")))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("backend.append-timeout-ms");
        assertThat(messages.countDocuments(Filters.eq("log", logKey()))).isEqualTo(3);
        assertThat(store.messages().count(USER, session.id())).isEqualTo(3);
    }
}
