package dev.chatstore.flatfile.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.Orderings;
import dev.chatstore.api.spi.SessionRepository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static dev.chatstore.flatfile.internal.StoreLocks.Level;

/**
 * Sessions: {@code users/<user>/sessions/<session>/session.json} beside the session's log. Appends never rewrite
 * {@code session.json}: it records {@code countersAtSeq}, the log's last seq when its counters were written, and
 * a reader adds what the log holds beyond it ({@link #derive}). Listing goes through the user's derived
 * {@link SessionIndex} so it does not parse every file and open every log.
 */
final class FlatfileSessions implements SessionRepository {

    private final FlatfileStore store;
    private final StoreLayout layout;
    /** Parsed {@code session.json} files, valid while the file's identity, mtime and size are unchanged. */
    private final Map<Path, CachedSession> cache = new ConcurrentHashMap<>();
    private final Map<String, SessionIndex> indexes = new ConcurrentHashMap<>();

    FlatfileSessions(FlatfileStore store) {
        this.store = store;
        this.layout = store.layout;
        store.onRemove(dir -> cache.keySet().removeIf(p -> p.startsWith(dir)));
    }

    /** {@code session.json} as parsed, with the log seq its counters were written at. */
    record SessionFile(Session base, long countersAtSeq) {
    }

    private record CachedSession(Object key, SessionFile file) {
    }

    // ---- the files -----------------------------------------------------------------------------------------

    Optional<SessionFile> readFile(Path dir) {
        Path file = StoreLayout.sessionFile(dir);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            cache.remove(dir);
            return Optional.empty();
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", file, e);
        }
        Object key = List.of(String.valueOf(attrs.fileKey()), attrs.lastModifiedTime(), attrs.size());
        CachedSession c = cache.get(dir);
        if (c != null && c.key().equals(key)) {
            return Optional.of(c.file());
        }
        Optional<SessionFile> parsed = FlatfileStore.read(file, n -> new SessionFile(Json.session(n),
                Json.longValue(n, "countersAtSeq", 0)));
        parsed.ifPresent(f -> cache.put(dir, new CachedSession(key, f)));
        return parsed;
    }

    void writeFile(Path dir, Session s, long countersAtSeq) {
        ObjectNode n = Json.session(s);
        n.put("countersAtSeq", countersAtSeq);
        store.write(StoreLayout.sessionFile(dir), n);
        cache.remove(dir);
    }

    /** The session with its counters brought up to date from the log. */
    static Session derive(SessionFile f, MessageLog.State st) {
        Session b = f.base();
        if (st.lastSeq() <= f.countersAtSeq()) {
            return b;
        }
        Instant updated = st.maxCreatedAt().map(m -> later(b.updatedAt(), m)).orElse(b.updatedAt());
        return new Session(b.id(), b.userId(), b.title(), b.model(), b.provider(), b.archived(), b.metadata(),
                b.messageCount() + (st.lastSeq() - f.countersAtSeq()),
                st.lastCreatedAt().or(b::lastMessageAt), b.createdAt(), updated, b.version());
    }

    /** The session with messageCount and lastMessageAt exactly as its log holds them. */
    static Session withLogCounters(Session s, MessageLog.State st) {
        return new Session(s.id(), s.userId(), s.title(), s.model(), s.provider(), s.archived(), s.metadata(),
                st.lastSeq(), st.lastCreatedAt(), s.createdAt(), s.updatedAt(), s.version());
    }

    static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The directory of an existing session. */
    Path existing(String userId, String sessionId) {
        Path dir = layout.sessionDir(userId, sessionId);
        if (!Files.exists(StoreLayout.sessionFile(dir))) {
            throw new NotFoundException("session", userId + "/" + sessionId);
        }
        return dir;
    }

    private Optional<Session> load(String userId, String sessionId) {
        Path dir = layout.sessionDir(userId, sessionId);
        Optional<SessionFile> f = readFile(dir);
        if (f.isEmpty() || !f.get().base().userId().equals(userId) || !f.get().base().id().equals(sessionId)) {
            return Optional.empty();
        }
        Optional<MessageLog> log = store.view(dir);
        if (log.isEmpty()) {
            throw new StorageCorruptionException(StoreLayout.logFile(dir).toString(), -1,
                    "the session's message log is missing");
        }
        return Optional.of(derive(f.get(), log.get().state()));
    }

    /** Every session of a user (newest first), through the user's session index. */
    List<Session> all(String userId) {
        SessionIndex index = indexes.computeIfAbsent(userId, u -> new SessionIndex(layout.userDir(u), store.io,
                !store.readOnly()));
        return index.all(dir -> {
            Optional<SessionFile> f = readFile(dir);
            if (f.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(derive(f.get(), existingLog(dir, true).state()));
        });
    }

    /**
     * The log of a session whose {@code session.json} exists; a missing log is damage naming it, never "no
     * messages" or "no session" (issue 15). {@code tailOnly}: check only its tail the first time.
     */
    MessageLog existingLog(Path dir, boolean tailOnly) {
        Optional<MessageLog> log = tailOnly ? store.tailView(dir) : store.view(dir);
        if (log.isEmpty()) {
            throw new StorageCorruptionException(StoreLayout.logFile(dir).toString(), -1,
                    "the session's message log is missing");
        }
        return log.get();
    }

    /** Forgets a user's session index (the user was deleted, or the index is being rebuilt). */
    void forgetIndex(String userId) {
        indexes.remove(userId);
    }

    private long countDirs(String userId) {
        long n = 0;
        for (Path dir : FlatfileStore.children(layout.sessionsDir(userId), true, "")) {
            if (Files.exists(StoreLayout.sessionFile(dir))) {
                n++;
            }
        }
        return n;
    }

    // ---- SessionRepository ---------------------------------------------------------------------------------

    @Override
    public void insert(Session session, int maxSessionsPerUser) {
        store.locked(Level.USER, FlatfileStore.userKey(session.userId()), () -> {
            if (!Files.exists(layout.userFile(session.userId()))) {
                throw new NotFoundException("user", session.userId());
            }
            Path dir = layout.sessionDir(session.userId(), session.id());
            if (Files.exists(StoreLayout.sessionFile(dir))) {
                throw new DuplicateKeyException("session", session.userId() + "/" + session.id());
            }
            long count = countDirs(session.userId());
            if (count >= maxSessionsPerUser) {
                throw new LimitExceededException("limits.max-sessions-per-user", maxSessionsPerUser, count + 1);
            }
            try (StoreLocks.Held held = store.lockerFor(dir).lock()) {
                if (Files.exists(dir)) {
                    store.removeTree(dir); // a half-created session from a crash: nothing in it was ever visible
                }
                store.mkdirs(dir.getParent());
                store.mkdirs(dir);
                store.createEmptyLog(dir);
                writeFile(dir, session, 0);
            }
            return null;
        });
    }

    @Override
    public Optional<Session> find(String userId, String sessionId) {
        store.checkOpen();
        return load(userId, sessionId);
    }

    @Override
    public Session update(Session next, long expectedVersion) {
        Path dir = layout.sessionDir(next.userId(), next.id());
        store.checkWritable();
        try (StoreLocks.Held held = store.lockerFor(dir).lock()) {
            Optional<SessionFile> f = readFile(dir);
            if (f.isEmpty()) {
                throw new NotFoundException("session", next.userId() + "/" + next.id());
            }
            MessageLog log = store.logFor(dir);
            log.refresh(true);
            MessageLog.State st = log.state();
            Session cur = derive(f.get(), st);
            if (cur.version() != expectedVersion) {
                throw new OptimisticConflictException("session", next.userId() + "/" + next.id(), expectedVersion,
                        cur.version());
            }
            Session stored = new Session(cur.id(), cur.userId(), next.title(), next.model(), next.provider(),
                    next.archived(), next.metadata(), cur.messageCount(), cur.lastMessageAt(), cur.createdAt(),
                    later(cur.updatedAt(), next.updatedAt()), next.version());
            writeFile(dir, stored, st.lastSeq());
            return stored;
        }
    }

    @Override
    public boolean delete(String userId, String sessionId) {
        return store.locked(Level.USER, FlatfileStore.userKey(userId), () -> {
            Path dir = layout.sessionDir(userId, sessionId);
            try (StoreLocks.Held held = store.lockerFor(dir).lock()) {
                if (!Files.exists(StoreLayout.sessionFile(dir))) {
                    return false;
                }
                store.removeTree(dir);
                return true;
            }
        });
    }

    @Override
    public List<Session> listById(String userId, String afterSessionId, int limit) {
        store.checkOpen();
        return all(userId).stream()
                .filter(s -> Orderings.CODE_POINTS.compare(s.id(), afterSessionId) > 0)
                .sorted((a, b) -> Orderings.CODE_POINTS.compare(a.id(), b.id()))
                .limit(limit)
                .toList();
    }

    @Override
    public List<Session> list(String userId, int offset, int limit) {
        store.checkOpen();
        List<Session> all = all(userId); // newest first, in Orderings.SESSIONS_NEWEST_FIRST
        if (offset >= all.size()) {
            return List.of();
        }
        return List.copyOf(all.subList(offset, (int) Math.min(all.size(), (long) offset + limit)));
    }

    @Override
    public long count(String userId) {
        store.checkOpen();
        return countDirs(userId);
    }

    @Override
    public void restore(Session session) {
        store.locked(Level.USER, FlatfileStore.userKey(session.userId()), () -> {
            if (!Files.exists(layout.userFile(session.userId()))) {
                throw new NotFoundException("user", session.userId());
            }
            Path dir = layout.sessionDir(session.userId(), session.id());
            try (StoreLocks.Held held = store.lockerFor(dir).lock()) {
                store.mkdirs(dir.getParent());
                store.mkdirs(dir);
                store.createEmptyLog(dir);
                MessageLog log = store.logFor(dir);
                log.refresh(true);
                MessageLog.State st = log.state();
                writeFile(dir, withLogCounters(session, st), st.lastSeq());
            }
            return null;
        });
    }
}
