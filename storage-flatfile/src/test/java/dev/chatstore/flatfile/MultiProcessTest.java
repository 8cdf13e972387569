package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three JVMs (two children and this one) append to the same session of the same user at once, and the
 * children create sessions of that user at the same time: nothing lost, nothing duplicated, seqs contiguous.
 */
class MultiProcessTest {

    @TempDir
    Path tmp;

    @Test
    void threeJvmsAppendToOneSessionAndUser() throws Exception {
        Path dir = tmp.resolve("data");
        int perChild = 300;
        ChildProcesses.Child a = ChildProcesses.start(dir, "bob", "shared", perChild, "a", 2, 5);
        ChildProcesses.Child b = ChildProcesses.start(dir, "bob", "shared", perChild, "b", 2, 5);
        assertThat(a.ready.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(b.ready.await(60, TimeUnit.SECONDS)).isTrue();
        Map<Long, String> mine = new HashMap<>();
        try (ChatStore store = open(dir)) {
            // keep appending for as long as the children do, so the three really overlap
            for (int i = 0; i < 200 || a.process.isAlive() || b.process.isAlive(); i++) {
                Message m = store.messages().append("bob", "shared", NewMessage.user("parent-" + i));
                mine.put(m.seq(), m.content());
                // reads in this JVM must see the other processes' appends as they happen
                List<Message> last = store.messages().last("bob", "shared", 5);
                assertThat(last.get(last.size() - 1).seq()).isGreaterThanOrEqualTo(m.seq());
            }
        }
        assertThat(a.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(b.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        a.drain();
        b.drain();
        assertThat(a.process.exitValue()).as(a.stderr()).isZero();
        assertThat(b.process.exitValue()).as(b.stderr()).isZero();
        assertThat(a.acked).hasSize(2 * perChild);
        assertThat(b.acked).hasSize(2 * perChild);

        int total = 4 * perChild + mine.size();
        assertThat(mine.keySet()).as("the parent's seqs interleave with the children's")
                .anyMatch(seq -> seq > mine.size());
        try (ChatStore store = open(dir)) {
            List<Message> all = store.messages().page("bob", "shared", 0, total + 10);
            assertThat(all).hasSize(total);
            Set<String> contents = new HashSet<>();
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).seq()).isEqualTo(i + 1L);
                assertThat(contents.add(all.get(i).content())).as("no duplicate").isTrue();
            }
            for (Map<Long, String> acked : List.of(a.acked, b.acked, mine)) {
                acked.forEach((seq, content) -> assertThat(all.get((int) (seq - 1)).content()).isEqualTo(content));
            }
            List<Session> sessions = store.sessions().list("bob", 0, 100);
            assertThat(sessions).hasSize(11);
            assertThat(store.sessions().get("bob", "shared").orElseThrow().messageCount()).isEqualTo(total);
        }
        assertThat(StoreCheck.run(dir, false).findings()).isEmpty();
    }

    private static ChatStore open(Path dir) {
        return ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir).build())
                .provider(new FlatfileBackendProvider()).open();
    }
}
