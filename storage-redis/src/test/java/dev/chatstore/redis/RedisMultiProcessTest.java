package dev.chatstore.redis;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two forked JVMs append to one session at the same time: the seqs the script assigns are 1..N with no gap and no
 * duplicate, and every acknowledged message is stored once at the seq it was acknowledged with.
 */
class RedisMultiProcessTest {

    private static final String URL = RedisTestServers.STANDALONE_URL;
    private static final int PER_PROCESS = 300;
    private final String prefix = RedisTestServers.newPrefix("mp");

    @AfterEach
    void cleanUp() {
        RedisTestServers.deleteKeys(URL, prefix + ":*");
    }

    @Test
    void twoProcessesAppendingToOneSessionGetGaplessDistinctSeqs() throws Exception {
        Session session;
        try (ChatStore store = RedisStores.open(URL, prefix)) {
            store.users().create("shared");
            session = store.sessions().create("shared", "contended");
        }

        List<Process> workers = new ArrayList<>();
        for (String label : List.of("a", "b")) {
            workers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), AppendWorker.class.getName(), URL, prefix,
                    "shared", session.id(), Integer.toString(PER_PROCESS), label)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        Map<Long, String> acknowledged = new HashMap<>();
        for (Process p : workers) {
            String out = read(p);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("worker finished").isTrue();
            assertThat(p.exitValue()).as("worker exit code").isZero();
            for (String line : out.split("\n")) {
                String[] parts = line.split(" ");
                String previous = acknowledged.put(Long.parseLong(parts[0]), parts[1]);
                assertThat(previous).as("seq " + parts[0] + " acknowledged twice").isNull();
            }
        }

        assertThat(acknowledged).hasSize(2 * PER_PROCESS);
        try (ChatStore store = RedisStores.open(URL, prefix)) {
            List<Message> all = new ArrayList<>();
            for (long after = 0; ; ) {
                List<Message> page = store.messages().after("shared", session.id(), after, 1000);
                all.addAll(page);
                if (page.size() < 1000) {
                    break;
                }
                after = page.get(page.size() - 1).seq();
            }
            assertThat(all).extracting(Message::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 2L * PER_PROCESS).boxed()
                            .toList());
            assertThat(all).extracting(Message::id).doesNotHaveDuplicates();
            for (Message m : all) {
                assertThat(m.id()).as("message at seq " + m.seq()).isEqualTo(acknowledged.get(m.seq()));
            }
            assertThat(store.sessions().get("shared", session.id()).orElseThrow().messageCount())
                    .isEqualTo(2L * PER_PROCESS);
        }
    }

    private static String read(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
