package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads at once against one store. (Many processes at once is each file-based adapter's own test: it
 * needs the adapter's own way to open one store from two JVMs.)
 */
public abstract class ConcurrencyContract extends TckSupport {

    private static final int THREADS = 16;

    @Test
    @DisplayName("§4 seq: 16 threads appending to one session get contiguous seqs with no gap and no duplicate")
    void concurrentAppendsGetContiguousSeqs() throws Exception {
        Session s = userWithSession("alice");
        int perThread = 50;
        List<Message> all = runConcurrently(THREADS, t -> {
            List<Message> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(store.messages().append("alice", s.id(), NewMessage.user("t" + t + " m" + i)));
            }
            return mine;
        });
        int total = THREADS * perThread;
        assertThat(all).extracting(Message::seq).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        List<Message> stored = store.messages().page("alice", s.id(), 0, total);
        assertThat(stored).hasSize(total);
        assertThat(stored).containsExactlyInAnyOrderElementsOf(all);
        assertThat(store.sessions().get("alice", s.id()).orElseThrow().messageCount()).isEqualTo(total);
        // each thread's own messages keep its order
        for (int t = 0; t < THREADS; t++) {
            String prefix = "t" + t + " ";
            List<String> order = stored.stream().map(Message::content).filter(c -> c.startsWith(prefix)).toList();
            assertThat(order).hasSize(perThread);
            for (int i = 0; i < perThread; i++) {
                assertThat(order.get(i)).isEqualTo(prefix + "m" + i);
            }
        }
    }

    @Test
    @DisplayName("§4 seq: concurrent batch appends are atomic and each batch's seqs are consecutive")
    void concurrentBatchesAreAtomicAndConsecutive() throws Exception {
        Session s = userWithSession("alice");
        int batches = 20;
        int batchSize = 5;
        List<List<Message>> results = runConcurrently(8, t -> {
            List<List<Message>> mine = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                List<NewMessage> batch = new ArrayList<>();
                for (int i = 0; i < batchSize; i++) {
                    batch.add(NewMessage.user("t" + t + " b" + b + " i" + i));
                }
                mine.add(store.messages().appendAll("alice", s.id(), batch));
            }
            return mine;
        });
        for (List<Message> batch : results) {
            long first = batch.get(0).seq();
            for (int i = 0; i < batch.size(); i++) {
                assertThat(batch.get(i).seq()).isEqualTo(first + i);
            }
        }
        long total = 8L * batches * batchSize;
        assertThat(results.stream().flatMap(List::stream).map(Message::seq).toList())
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    }

    @Test
    @DisplayName("§4 Limits: concurrent appends never exceed the per-session limit")
    void concurrentAppendsRespectTheLimit() throws Exception {
        ChatStore small = open(b -> b.set(Setting.MAX_MESSAGES_PER_SESSION, 100));
        small.users().create("bob");
        Session s = small.sessions().create("bob", "limited");
        AtomicInteger rejected = new AtomicInteger();
        List<Message> ok = runConcurrently(8, t -> {
            List<Message> mine = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                try {
                    mine.add(small.messages().append("bob", s.id(), NewMessage.user("x")));
                } catch (LimitExceededException e) {
                    rejected.incrementAndGet();
                }
            }
            return mine;
        });
        assertThat(ok).hasSize(100);
        assertThat(rejected.get()).isEqualTo(60);
        assertThat(ok).extracting(Message::seq)
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(small.messages().count("bob", s.id())).isEqualTo(100);
    }

    @Test
    @DisplayName("§4 Limits: concurrent session creation never exceeds the per-user limit")
    void concurrentSessionCreationRespectsTheLimit() throws Exception {
        ChatStore small = open(b -> b.set(Setting.MAX_SESSIONS_PER_USER, 10));
        small.users().create("bob");
        List<Session> created = runConcurrently(8, t -> {
            List<Session> mine = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                try {
                    mine.add(small.sessions().create("bob", "s" + t + "-" + i));
                } catch (LimitExceededException expected) {
                    // counted below
                }
            }
            return mine;
        });
        assertThat(created).hasSize(10);
        assertThat(small.sessions().count("bob")).isEqualTo(10);
    }

    @Test
    @DisplayName("concurrent creation of one user ID: exactly one succeeds, the others get DuplicateKeyException")
    void concurrentCreateOfSameUser() throws Exception {
        AtomicInteger duplicates = new AtomicInteger();
        List<String> winners = runConcurrently(8, t -> {
            try {
                store.users().create("same-id", "thread " + t, dev.chatstore.api.json.JsonObject.empty());
                return List.of("thread " + t);
            } catch (DuplicateKeyException e) {
                duplicates.incrementAndGet();
                return List.of();
            }
        });
        assertThat(winners).hasSize(1);
        assertThat(duplicates.get()).isEqualTo(7);
        assertThat(store.users().get("same-id").orElseThrow().displayName()).isEqualTo(winners.get(0));
    }

    @Test
    @DisplayName("§4 seq: concurrent appends to a panel get contiguous seqs")
    void concurrentPanelAppends() throws Exception {
        Panel panel = store.panels().create("debate", List.of("optimist", "skeptic"));
        List<Message> all = runConcurrently(8, t -> {
            List<Message> mine = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                mine.add(store.panels().append(panel.id(), NewMessage.of(t % 2 == 0 ? "optimist" : "skeptic", "p" + i)));
            }
            return mine;
        });
        assertThat(all).extracting(Message::seq)
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
        assertThat(store.panels().messages(panel.id(), 0, 1000)).hasSize(200);
    }

    @Test
    @DisplayName("§4 seq: appends to different sessions of one user run side by side, each contiguous")
    void concurrentAppendsToDifferentSessions() throws Exception {
        user("alice");
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sessions.add(store.sessions().create("alice", "s" + i));
        }
        runConcurrently(8, t -> {
            for (int i = 0; i < 40; i++) {
                store.messages().append("alice", sessions.get(t).id(), NewMessage.user("m" + i));
            }
            return List.of();
        });
        for (Session s : sessions) {
            assertThat(store.messages().page("alice", s.id(), 0, 100)).extracting(Message::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
        }
    }

    /** A task run by one of the threads; {@code thread} is its index. */
    @FunctionalInterface
    protected interface ThreadTask<T> {
        List<T> run(int thread) throws Exception;
    }

    /** Runs the task on {@code threads} threads released at once, and gathers what they return. */
    protected static <T> List<T> runConcurrently(int threads, ThreadTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<T>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                Callable<List<T>> c = () -> {
                    start.await();
                    return task.run(index);
                };
                futures.add(pool.submit(c));
            }
            start.countDown();
            List<T> all = Collections.synchronizedList(new ArrayList<>());
            for (Future<List<T>> f : futures) {
                all.addAll(f.get(5, TimeUnit.MINUTES));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
