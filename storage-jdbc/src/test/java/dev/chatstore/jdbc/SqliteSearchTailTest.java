package dev.chatstore.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SearchQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQLite's search index is written in batches (the newest messages form an unindexed tail): search finds every
 * message whether it is indexed yet or not, across several indexings of the tail, after sessions are deleted (their
 * index rows go with them, indexed or not) and after restores (which index the tail), and the index never holds a
 * message twice or one that is gone.
 */
class SqliteSearchTailTest {

    private final TestStores stores = new TestStores();

    @AfterEach
    void cleanUp() {
        stores.close();
    }

    @Test
    void searchSeesIndexedAndUnindexedMessagesThroughAppendsDeletesAndRestores() throws Exception {
        String url = stores.newUrl("sqlite");
        ChatStore store = stores.open(url);
        store.users().create("u");
        store.users().create("other");
        List<Session> sessions = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            sessions.add(store.sessions().create("u", "s" + s));
        }
        Session foreign = store.sessions().create("other", "not yours");
        // 700 messages: more than two indexings of the tail, and a tail left over
        for (int n = 0; n < 700; n++) {
            store.messages().append("u", sessions.get(n % 4).id(), NewMessage.user("note tag" + n + " common"));
            if (n % 100 == 0) {
                store.messages().append("other", foreign.id(), NewMessage.user("note tag" + n + " common"));
            }
        }
        assertThat(TestStores.queryNumber(url, "SELECT count(*) FROM message_search_content"))
                .as("some of it indexed").isPositive();
        assertThat(TestStores.queryNumber(url, "SELECT count(*) FROM messages WHERE rowid > (SELECT max(rowid) FROM"
                + " message_search_content)")).as("and a tail").isPositive();

        for (int n : new int[]{0, 1, 255, 256, 300, 511, 512, 650, 699}) {
            assertThat(store.messages().search("u", "tag" + n)).as("tag" + n).singleElement()
                    .satisfies(m -> assertThat(m.content()).isEqualTo("note tag" + n + " common"));
        }
        assertThat(store.messages().search("u", SearchQuery.of("common").limit(1000))).hasSize(700);
        assertThat(store.messages().search("u", SearchQuery.of("common").inSession(sessions.get(1).id())
                .limit(1000))).hasSize(175);

        // deleting sessions removes their messages from the index and from the tail alike
        store.sessions().delete("u", sessions.get(3).id());
        store.sessions().delete("u", sessions.get(2).id());
        assertThat(store.messages().search("u", SearchQuery.of("common").limit(1000))).hasSize(350);
        assertThat(store.messages().search("u", "tag699")).isEmpty();
        assertThat(store.messages().search("u", "tag697")).hasSize(1);

        // a restore replaces messages (the replaced ones leave the index) and indexes the whole tail
        Session restored = store.sessions().create("u", "restored");
        List<Message> batch = new ArrayList<>();
        for (int seq = 1; seq <= 50; seq++) {
            batch.add(new Message("r" + seq, restored.id(), seq, "user", "restored rec" + seq + " common",
                    Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seq), List.of(), JsonObject.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty()));
        }
        store.transfer().restoreMessages("u", restored.id(), batch);
        Message replaced = new Message("r7", restored.id(), 7, "user", "rewritten common", batch.get(6).createdAt(),
                List.of(), JsonObject.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        store.transfer().restoreMessages("u", restored.id(), List.of(replaced));

        assertThat(TestStores.queryNumber(url, "SELECT count(*) FROM messages WHERE rowid > (SELECT max(rowid) FROM"
                + " message_search_content)")).as("no tail after a restore").isZero();
        assertThat(store.messages().search("u", "rec7")).isEmpty();
        assertThat(store.messages().search("u", "rewritten")).extracting(Message::seq).containsExactly(7L);
        assertThat(store.messages().search("u", "rec8")).hasSize(1);
        assertThat(store.messages().search("u", SearchQuery.of("common").limit(1000))).hasSize(400);
        assertThat(TestStores.queryNumber(url, "SELECT count(*) FROM message_search_content"))
                .as("one index row per message")
                .isEqualTo(TestStores.queryNumber(url, "SELECT count(*) FROM messages"));
        assertThat(TestStores.queryNumber(url, "SELECT count(*) FROM message_search_content c LEFT JOIN messages m"
                + " ON m.rowid = c.rowid WHERE m.rowid IS NULL")).as("no index row of a message that is gone").isZero();
        assertThat(store.messages().search("other", SearchQuery.of("common").limit(1000))).hasSize(7);
    }
}
