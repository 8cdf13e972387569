package dev.chatstore.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads appending to one session at once, whose appends the backend writes in groups: every append is
 * acknowledged with its own messages, seqs are contiguous with no gap or duplicate and each caller's batch is
 * contiguous, the counters describe the log, and a duplicate ID or the message limit fails only the append it
 * belongs to.
 */
class ConcurrentAppendTest {

    private static final int THREADS = 16;
    private static final int APPENDS_PER_THREAD = 40;

    private final TestStores stores = new TestStores();
    private final List<ChatStore> opened = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void cleanUp() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        opened.forEach(ChatStore::close);
        stores.close();
    }

    static List<String> databases() {
        return TestStores.databases();
    }

    private ChatStore open(String url, long maxMessages) {
        ChatStore store = ChatStore.builder().config(ChatStoreConfig.isolated().url(url)
                .set("limits.max-messages-per-session", maxMessages).build())
                .provider(new JdbcBackendProvider()).open();
        opened.add(store);
        return store;
    }

    /** Runs {@code task(thread, i)} APPENDS_PER_THREAD times on each of THREADS threads, started together. */
    private void hammer(Task task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                    task.run(thread, i);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
    }

    @FunctionalInterface
    private interface Task {
        void run(int thread, int i) throws Exception;
    }

    @ParameterizedTest
    @MethodSource("databases")
    void concurrentAppendsToOneSessionAreAllAcknowledgedWithContiguousSeqs(String database) throws Exception {
        String url = stores.newUrl(database);
        ChatStore store = open(url, 1_000_000);
        store.users().create("u");
        Session session = store.sessions().create("u", "busy");
        ConcurrentLinkedQueue<List<Message>> acknowledged = new ConcurrentLinkedQueue<>();

        hammer((thread, i) -> {
            // every third append is a batch of three, the rest single messages
            List<NewMessage> batch = new ArrayList<>();
            for (int k = 0; k < (i % 3 == 0 ? 3 : 1); k++) {
                batch.add(NewMessage.user("thread " + thread + " append " + i + " part " + k)
                        .withId("t" + thread + "-" + i + "-" + k));
            }
            List<Message> stored = store.messages().appendAll("u", session.id(), batch);
            assertThat(stored).extracting(Message::id).containsExactlyElementsOf(
                    batch.stream().map(m -> m.id().orElseThrow()).toList());
            acknowledged.add(stored);
        });

        List<Long> seqs = new ArrayList<>();
        for (List<Message> batch : acknowledged) {
            for (int k = 1; k < batch.size(); k++) {
                assertThat(batch.get(k).seq()).as("a batch's seqs are contiguous").isEqualTo(batch.get(0).seq() + k);
            }
            batch.forEach(m -> seqs.add(m.seq()));
        }
        Collections.sort(seqs);
        long total = seqs.size();
        assertThat(acknowledged).hasSize(THREADS * APPENDS_PER_THREAD);
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        Session after = store.sessions().get("u", session.id()).orElseThrow();
        assertThat(after.messageCount()).isEqualTo(total);
        Message last = store.messages().get("u", session.id(), total).orElseThrow();
        assertThat(after.lastMessageAt()).contains(last.createdAt());
        for (List<Message> batch : acknowledged) {
            for (Message m : batch) {
                assertThat(store.messages().get("u", session.id(), m.seq())).contains(m);
            }
        }
        if (database.equals("postgresql")) {
            // messages written in one transaction share its xmin: fewer transactions than appends means groups formed
            assertThat(TestStores.queryNumber(url, "SELECT count(DISTINCT xmin::text) FROM messages"))
                    .isLessThan(THREADS * APPENDS_PER_THREAD);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aDuplicateIdFailsOnlyItsOwnAppend(String database) throws Exception {
        ChatStore store = open(stores.newUrl(database), 1_000_000);
        store.users().create("u");
        Session session = store.sessions().create("u", "busy");
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();

        // two threads bring each ID: exactly one of them stores it
        hammer((thread, i) -> {
            try {
                String id = "m" + (thread / 2) + "-" + i;
                store.messages().append("u", session.id(), NewMessage.user("hello").withId(id));
                stored.incrementAndGet();
            } catch (DuplicateKeyException e) {
                assertThat(e.getMessage()).contains("/m" + (thread / 2) + "-" + i);
                duplicates.incrementAndGet();
            }
        });

        assertThat(stored.get()).isEqualTo(THREADS / 2 * APPENDS_PER_THREAD);
        assertThat(duplicates.get()).isEqualTo(THREADS / 2 * APPENDS_PER_THREAD);
        assertThat(store.sessions().get("u", session.id()).orElseThrow().messageCount()).isEqualTo(stored.get());
        assertThat(store.messages().last("u", session.id(), 1000)).extracting(Message::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, stored.get()).boxed().toList());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theMessageLimitFailsOnlyTheAppendsPastIt(String database) throws Exception {
        int limit = 100;
        ChatStore store = open(stores.newUrl(database), limit);
        store.users().create("u");
        Session session = store.sessions().create("u", "busy");
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();

        hammer((thread, i) -> {
            try {
                store.messages().append("u", session.id(), NewMessage.user("hello"));
                stored.incrementAndGet();
            } catch (LimitExceededException e) {
                refused.incrementAndGet();
            }
        });

        assertThat(stored.get()).isEqualTo(limit);
        assertThat(refused.get()).isEqualTo(THREADS * APPENDS_PER_THREAD - limit);
        assertThat(store.sessions().get("u", session.id()).orElseThrow().messageCount()).isEqualTo(limit);
        assertThat(store.messages().last("u", session.id(), 1000)).extracting(Message::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, limit).boxed().toList());
    }
}
