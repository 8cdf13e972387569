package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 at random moments: a child JVM appends with sync durability (three threads, so group commits are in
 * flight) and prints every acknowledged seq; we kill it, reopen the store and check that every acknowledged
 * message is there, seqs are contiguous and the offset index agrees with the log. Then again, 50 times on the
 * same store.
 */
class CrashRecoveryTest {

    private static final int KILLS = 50;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedAppendSurvivesKillDashNine() throws Exception {
        Path dir = tmp.resolve("data");
        Random random = new Random(42);
        Map<Long, String> acknowledged = new TreeMap<>();
        long tornTails = 0;
        for (int round = 0; round < KILLS; round++) {
            ChildProcesses.Child child = ChildProcesses.start(dir, "alice", "crash-session", -1, "r" + round, 3, 0);
            assertThat(child.firstAck.await(60, TimeUnit.SECONDS)).as("child started appending: " + child.stderr())
                    .isTrue();
            Thread.sleep(random.nextInt(150));
            child.process.destroyForcibly(); // SIGKILL
            assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            child.drain();
            assertThat(child.acked).as("round %d acknowledged something; stderr: %s", round, child.stderr())
                    .isNotEmpty();
            acknowledged.putAll(child.acked);

            StoreCheck.Report before = StoreCheck.run(dir, false);
            tornTails += before.findings().stream().filter(f -> f.contains("torn tail")).count();

            try (ChatStore store = ChatStore.builder()
                    .config(ChatStoreConfig.isolated().url("file:" + dir)
                            .set("limits.max-messages-per-session", 10_000_000).build())
                    .provider(new FlatfileBackendProvider()).open()) {
                long count = store.messages().count("alice", "crash-session");
                // read the whole log in pages (paging.max-limit caps one page at 10,000)
                List<Message> all = new ArrayList<>();
                for (List<Message> page = store.messages().after("alice", "crash-session", 0, 10_000);
                     !page.isEmpty();
                     page = store.messages().after("alice", "crash-session", page.get(page.size() - 1).seq(), 10_000)) {
                    all.addAll(page);
                }
                for (int i = 0; i < all.size(); i++) {
                    assertThat(all.get(i).seq()).as("contiguous seqs").isEqualTo(i + 1L);
                }
                assertThat(all).hasSize((int) count);
                for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
                    assertThat(ack.getKey()).as("acknowledged seq %d present", ack.getKey()).isLessThanOrEqualTo(count);
                    assertThat(all.get((int) (ack.getKey() - 1)).content()).isEqualTo(ack.getValue());
                }
                assertThat(store.sessions().get("alice", "crash-session").orElseThrow().messageCount()).isEqualTo(count);
            }
            StoreCheck.Report after = StoreCheck.run(dir, false);
            // what recovery cut off is kept beside the log (an INFO note); nothing else may be found
            assertThat(after.findings()).as("after reopening, the log is intact and the index agrees")
                    .allMatch(f -> f.startsWith("INFO") && f.contains("torn tail"));
        }
        System.out.println("crash test: " + KILLS + " kills, " + acknowledged.size() + " acknowledged appends, "
                + tornTails + " torn tail(s) found before reopening");
    }
}
