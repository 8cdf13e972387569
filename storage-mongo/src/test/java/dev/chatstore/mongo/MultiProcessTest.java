package dev.chatstore.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real processes against the in-process server: two JVMs appending to one session and creating sessions of one
 * user, and a JVM killed with SIGKILL in the middle of a batch. The forked JVMs run {@link MongoWorker} with this
 * test's classpath.
 */
@DisplayName("mongodb:// across processes (in-process mongo-java-server)")
class MultiProcessTest {

    private static final String USER = "mp-user";
    /** Messages per batch of the killed worker: ~54 MB, more than one insert command can carry (48 MB). */
    private static final int BATCH = 60;

    private final MongoTestDatabases databases = MongoTestDatabases.inProcess();
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private String url;
    private ChatStore store;

    @BeforeEach
    void openStore() {
        url = databases.newDatabaseUrl();
        store = open(url);
    }

    private static ChatStore open(String url) {
        ChatStoreConfig config = ChatStoreConfig.isolated().url(url).backendOption("append-lease-ms", 2000).build();
        return ChatStore.builder().config(config).provider(new MongoBackendProvider()).open();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        store.close();
        databases.cleanUp();
        for (Path log : logs) {
            Files.deleteIfExists(log);
        }
    }

    private Process fork(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), MongoWorker.class.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("chatstore-mongo-worker", ".log");
        logs.add(log);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    private String output(int index) throws Exception {
        return Files.readString(logs.get(index));
    }

    @Test
    @DisplayName("two JVMs appending to one session get seqs 1..N with no gap and no duplicate, and both create sessions")
    void twoProcessesAppendAndCreateSessions() throws Exception {
        store.users().create(USER);
        Session s = store.sessions().create(USER, "shared");
        int perWorker = 300;
        int sessionsPerWorker = 40;

        Process a = fork("append", url, USER, s.id(), "A", Integer.toString(perWorker),
                Integer.toString(sessionsPerWorker));
        Process b = fork("append", url, USER, s.id(), "B", Integer.toString(perWorker),
                Integer.toString(sessionsPerWorker));
        assertThat(a.waitFor(5, TimeUnit.MINUTES)).as("worker A finished").isTrue();
        assertThat(b.waitFor(5, TimeUnit.MINUTES)).as("worker B finished").isTrue();
        assertThat(a.exitValue()).as("worker A: %s", output(0)).isZero();
        assertThat(b.exitValue()).as("worker B: %s", output(1)).isZero();

        List<Message> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Message> page = store.messages().after(USER, s.id(), after, 1000);
            all.addAll(page);
            if (page.size() < 1000) {
                break;
            }
            after = page.get(page.size() - 1).seq();
        }
        assertThat(all).extracting(Message::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * perWorker).boxed().toList());
        Set<String> contents = new HashSet<>();
        all.forEach(m -> contents.add(m.content()));
        assertThat(contents).hasSize(2 * perWorker);
        for (int i = 0; i < perWorker; i++) {
            assertThat(contents).contains("A " + i, "B " + i);
        }
        assertThat(store.sessions().get(USER, s.id()).orElseThrow().messageCount()).isEqualTo(2L * perWorker);
        assertThat(store.sessions().count(USER)).isEqualTo(1 + 2L * sessionsPerWorker);
        assertThat(store.sessions().list(USER, 0, 1000)).extracting(Session::id)
                .contains("A-session-0", "B-session-" + (sessionsPerWorker - 1));
    }

    @Test
    @DisplayName("kill -9 in the middle of a batch: none of that batch is visible, and the next append is gap-free")
    void killedMidBatch() throws Exception {
        store.users().create(USER);
        Session s = store.sessions().create(USER, "crash");
        try (MongoClient client = MongoClients.create(url)) {
            MongoCollection<Document> sessions = client.getDatabase(dbName()).getCollection("sessions");
            MongoCollection<Document> messages = client.getDatabase(dbName()).getCollection("messages");
            String key = USER + "/" + s.id();
            String logKey = "s/" + USER + "/" + s.id();

            Document pending = null;
            long committed = -1;
            for (int attempt = 0; attempt < 5 && pending == null; attempt++) {
                Process worker = fork("batches", url, USER, s.id(), Integer.toString(BATCH));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && worker.isAlive()) {
                    Document head = sessions.find(Filters.eq("_id", key)).first();
                    Document p = head.get("pending", Document.class);
                    if (p != null && head.getLong("lastSeq") > 0 && messages.countDocuments(Filters.and(
                            Filters.eq("log", logKey), Filters.gt("seq", head.getLong("lastSeq")))) > 0) {
                        worker.destroyForcibly(); // SIGKILL on Unix
                        worker.waitFor(30, TimeUnit.SECONDS);
                        Document after = sessions.find(Filters.eq("_id", key)).first();
                        Document stillPending = after.get("pending", Document.class);
                        if (stillPending != null && stillPending.getString("token").equals(p.getString("token"))) {
                            pending = stillPending;
                            committed = after.getLong("lastSeq");
                        }
                        break;
                    }
                    Thread.sleep(2);
                }
                worker.destroyForcibly();
                worker.waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(pending).as("the worker was killed while a batch was reserved and partly inserted").isNotNull();
            long leftovers = messages.countDocuments(Filters.and(Filters.eq("log", logKey),
                    Filters.gt("seq", committed)));
            assertThat(leftovers).as("the killed batch left documents above the commit pointer").isPositive();
            assertThat(committed % BATCH).as("only whole batches are committed").isZero();

            // None of the killed batch is visible: count, last, after, search all stop at the commit pointer.
            assertThat(store.messages().count(USER, s.id())).isEqualTo(committed);
            assertThat(store.messages().last(USER, s.id(), 5)).extracting(Message::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(committed - 4, committed).boxed().toList());
            assertThat(store.messages().after(USER, s.id(), committed, 100)).isEmpty();
            assertThat(store.messages().get(USER, s.id(), committed + 1)).isEmpty();
            long killedRound = committed / BATCH;
            assertThat(store.messages().search(USER, "tag" + killedRound + "z")).isEmpty();
            assertThat(store.messages().search(USER, "tag" + (killedRound - 1) + "z")).isNotEmpty();

            // The next append waits out the lease, takes the log over, removes the leftovers and follows on.
            Message next = store.messages().append(USER, s.id(), NewMessage.user("after the crash"));
            assertThat(next.seq()).isEqualTo(committed + 1);
            assertThat(messages.countDocuments(Filters.eq("log", logKey))).isEqualTo(committed + 1);
            assertThat(store.messages().count(USER, s.id())).isEqualTo(committed + 1);
            assertThat(store.sessions().get(USER, s.id()).orElseThrow().messageCount()).isEqualTo(committed + 1);
        }
    }

    private String dbName() {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
