package dev.chatstore.flatfile.internal;

import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.UsageQuery;
import dev.chatstore.api.model.UsageTotals;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.LogScan;
import dev.chatstore.api.spi.MessageSearch;
import dev.chatstore.api.spi.SearchRequest;
import dev.chatstore.api.spi.TextSearch;
import dev.chatstore.api.spi.UsageAccumulator;
import dev.chatstore.api.spi.UsageTotalsSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static dev.chatstore.flatfile.internal.StoreLocks.Level;

/**
 * The file backend's native search and usage totals. Search goes through each user's derived
 * {@link SearchIndex} ({@code users/<user>/search-index/}); every candidate is read back from its log and checked
 * with {@link SearchRequest#matches}, so the answer is the one {@link LogScan} would give. Usage reads the logs
 * directly, each record checked.
 */
final class FlatfileSearch implements MessageSearch, UsageTotalsSource {

    private final FlatfileStore store;
    private final FlatfileSessions sessions;
    private final Map<String, SearchIndex> indexes = new ConcurrentHashMap<>();
    /** Per user: the session logs as of the last look at every one of them, and what that look was based on. */
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    /**
     * @param logs     session ID to this store's view of its log
     * @param signal   the user's {@link AppendSignals} stamp, taken before the look
     * @param dirStamp the sessions directory's identity and mtime before the look; null if too recent to trust
     */
    private record Known(long serial, Map<String, MessageLog> logs, AppendSignals.Stamp signal, Object dirStamp) {
    }

    private final AtomicLong serials = new AtomicLong();

    /**
     * The logs of a search and their version: the same version means the same views and no append by this store
     * since (the index then need not look at them again).
     */
    private record Current(Map<String, MessageLog> logs, List<Long> version) {
    }

    private final SearchIndexer indexer;

    FlatfileSearch(FlatfileStore store, FlatfileSessions sessions) {
        this.store = store;
        this.sessions = sessions;
        this.indexer = new SearchIndexer(this::catchUp, store.root().toString());
    }

    /** After messages were appended to (or restored into) one of the user's sessions by this store. */
    void appended(String userId, int messages) {
        indexer.appended(userId, messages);
    }

    /** Brings the user's persisted index up to date with the logs now (the {@link SearchIndexer}'s work). */
    private void catchUp(String userId) {
        Supplier<StoreLocks.Held> lock = lock(userId);
        if (lock == null || store.closed()) {
            return;
        }
        index(userId).catchUpNow(currentLogs(userId).logs(), lock);
    }

    /** Before the store closes: lets the indexer finish (see {@link SearchIndexer#close}). */
    void close() {
        indexer.close();
    }

    private SearchIndex index(String userId) {
        return indexes.computeIfAbsent(userId, u -> new SearchIndex(store.layout.userDir(u),
                store.options.minWordLength(), store.io, () -> !store.readOnly() && !store.poison.isSet()));
    }

    /** Forgets a user's index (the user was deleted, or the index is being rebuilt). */
    void forget(String userId) {
        indexes.remove(userId);
        known.remove(userId);
        store.appendSignals.forget(userId);
        indexer.forget(userId);
    }

    /** The cross-process lock under which a user's search index is written; null when the store refuses writes. */
    private Supplier<StoreLocks.Held> lock(String userId) {
        if (store.poison.isSet() || store.readOnly()) {
            return null; // the index is then brought up to date in memory only
        }
        return () -> store.locks.lock(Level.USER, "search/" + userId);
    }

    /**
     * The logs of the user's sessions, by session ID, each current. Without listing the sessions and looking at
     * each log when nothing but this store changed them since the last look: no session was created or deleted
     * (the sessions directory's stamp, trusted only when older than {@link SessionIndex#RACY_MILLIS}) and no other
     * store appended ({@link AppendSignals}); this store's own appends keep its views current.
     */
    private Current currentLogs(String userId) {
        AppendSignals.Stamp signal = store.appendSignals.stamp(userId);
        Object dirStamp = dirStamp(store.layout.sessionsDir(userId));
        Known k = known.get(userId);
        if (k == null || dirStamp == null || !dirStamp.equals(k.dirStamp()) || !signal.onlyOwnSince(k.signal())) {
            k = new Known(serials.incrementAndGet(), userLogs(userId), signal, dirStamp);
            known.put(userId, k);
        }
        return new Current(k.logs(), List.of(k.serial(), signal.own()));
    }

    /** The directory's identity and mtime, or null if it is missing or changed too recently to trust the mtime. */
    private static Object dirStamp(Path dir) {
        try {
            BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class);
            long mtime = a.lastModifiedTime().toMillis();
            if (mtime >= System.currentTimeMillis() - SessionIndex.RACY_MILLIS) {
                return null;
            }
            return List.of(String.valueOf(a.fileKey()), mtime);
        } catch (IOException e) {
            return null;
        }
    }

    /** The logs of the user's sessions, by session ID, each with its tail checked. */
    private Map<String, MessageLog> userLogs(String userId) {
        Map<String, MessageLog> logs = new LinkedHashMap<>();
        for (Session s : sessions.all(userId)) {
            if (s.userId().equals(userId)) {
                logs.put(s.id(), sessions.existingLog(store.layout.sessionDir(userId, s.id()), true));
            }
        }
        return logs;
    }

    @Override
    public List<Message> search(String userId, SearchRequest request) {
        store.checkOpen();
        Current current = currentLogs(userId);
        if (request.minWordLength() < store.options.minWordLength()) {
            return scan(current.logs(), request); // the index skipped shorter words
        }
        return index(userId).search(request, current.logs(), lock(userId), current.version());
    }

    private static List<Message> scan(Map<String, MessageLog> logs, SearchRequest request) {
        List<Message> hits = new ArrayList<>();
        logs.forEach((sid, log) -> {
            if (request.sessionId().isEmpty() || request.sessionId().get().equals(sid)) {
                log.forEach(0, m -> {
                    if (request.matches(m.content())) {
                        hits.add(m);
                    }
                });
            }
        });
        return TextSearch.newestFirst(hits, request.limit());
    }

    @Override
    public List<UsageTotals> usage(UsageQuery query) {
        store.checkOpen();
        UsageAccumulator totals = new UsageAccumulator(query);
        for (Path dir : FlatfileStore.children(store.layout.sessionsDir(query.userId()), true, "")) {
            Optional<FlatfileSessions.SessionFile> f = sessions.readFile(dir);
            if (f.isEmpty() || (query.sessionId().isPresent()
                    && !query.sessionId().get().equals(f.get().base().id()))) {
                continue;
            }
            sessions.existingLog(dir, false).forEach(0, totals::add);
        }
        return totals.totals();
    }

    /**
     * {@code check --repair}: deletes every user's session index and search index and builds them again from the
     * primary files.
     */
    void rebuildDerivedIndexes() {
        store.checkWritable();
        for (Path dir : FlatfileStore.children(store.layout.usersDir(), true, "")) {
            Optional<User> u = FlatfileStore.read(dir.resolve(StoreLayout.USER_FILE), Json::user);
            if (u.isEmpty()) {
                continue;
            }
            String userId = u.get().id();
            try (StoreLocks.Held held = store.locks.lock(Level.USER, "search/" + userId)) {
                SessionIndex.delete(dir);
                SearchIndex.delete(dir);
                sessions.forgetIndex(userId);
                forget(userId);
            }
            index(userId).persistNow(userLogs(userId), lock(userId));
        }
    }
}
