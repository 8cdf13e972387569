package dev.chatstore.flatfile.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Keeps users' search indexes current while their sessions are appended to, so that no search has to index a
 * store's history first: once {@link #CATCH_UP_AT} messages were appended to a user's sessions by this store, one
 * background thread brings the user's index up to date (a new segment, see {@link SearchIndex}); closing the store
 * waits for it and persists what is left above {@link SearchIndex#PERSIST_AT}. Appends only count; they never wait
 * for indexing.
 */
final class SearchIndexer {

    private static final Logger LOG = LoggerFactory.getLogger(SearchIndexer.class);
    /** Appended messages of one user that start a background catch-up. */
    static final long CATCH_UP_AT = 4096;
    private static final long CLOSE_WAIT_SECONDS = 60;

    private final Consumer<String> catchUp;
    private final String name;
    /** Per user: messages appended by this store since its index was last brought up to date here. */
    private final Map<String, AtomicLong> unindexed = new ConcurrentHashMap<>();
    private final Map<String, Boolean> queued = new ConcurrentHashMap<>();
    private ExecutorService thread; // guarded by this; started on first use
    private boolean closed; // guarded by this

    /**
     * @param catchUp brings one user's index up to date (persisting a gain of at least {@link SearchIndex#PERSIST_AT})
     * @param name    for the thread's name
     */
    SearchIndexer(Consumer<String> catchUp, String name) {
        this.catchUp = catchUp;
        this.name = name;
    }

    /** After {@code messages} were appended to one of the user's sessions by this store. */
    void appended(String userId, int messages) {
        long n = unindexed.computeIfAbsent(userId, u -> new AtomicLong()).addAndGet(messages);
        if (n >= CATCH_UP_AT && queued.putIfAbsent(userId, Boolean.TRUE) == null) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (thread == null) {
                    thread = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "chatstore-search-indexer " + name);
                        t.setDaemon(true);
                        return t;
                    });
                }
                thread.execute(() -> run(userId));
            }
        }
    }

    private void run(String userId) {
        queued.remove(userId); // appends from now on queue the user again
        unindexed.computeIfAbsent(userId, u -> new AtomicLong()).set(0);
        try {
            catchUp.accept(userId);
        } catch (RuntimeException e) {
            // derived data: the next search (or catch-up) indexes what this one could not
            LOG.warn("search index of user {}: cannot bring it up to date ({}); the next search will", userId,
                    e.getMessage());
        }
    }

    /** Forgets a deleted user. */
    void forget(String userId) {
        unindexed.remove(userId);
    }

    /**
     * Before the store closes: waits for the running catch-up (never interrupting it: an interrupt closes the
     * channels it reads) and persists what the users' indexes still lack if it is worth a segment.
     */
    void close() {
        ExecutorService t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            t.shutdown();
            try {
                if (!t.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("search indexer {}: still running after {} s; closing without it", name,
                            CLOSE_WAIT_SECONDS);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (Map.Entry<String, AtomicLong> e : unindexed.entrySet()) {
            if (e.getValue().get() >= SearchIndex.PERSIST_AT) {
                run(e.getKey());
            }
        }
    }
}
