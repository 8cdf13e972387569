package dev.chatstore.flatfile.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
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

    /** The title of a session whose {@code session.json} {@code check --salvage} recreated from its log. */
    static final String RECOVERED_TITLE = "recovered";

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
        Optional<SessionFile> parsed = FlatfileStore.read(file, FlatfileSessions::decode);
        parsed.ifPresent(f -> cache.put(dir, new CachedSession(key, f)));
        return parsed;
    }

    static SessionFile decode(com.fasterxml.jackson.databind.JsonNode n) {
        return new SessionFile(Json.session(n), Json.longValue(n, "countersAtSeq", 0));
    }

    void writeFile(Path dir, Session s, long countersAtSeq) {
        ObjectNode n = Json.session(s);
        n.put("countersAtSeq", countersAtSeq);
        store.write(StoreLayout.sessionFile(dir), n);
        cache.remove(dir);
    }

    /**
     * The session with its counters as its log holds them. The file's counters are used as they are only when they
     * describe the log ({@code countersAtSeq} is its last seq, {@code messageCount} that seq, {@code lastMessageAt}
     * its last record's createdAt); otherwise messageCount is the log's last seq and lastMessageAt its last record's
     * createdAt, so a {@code session.json} that claims more than its log holds (salvage cut the log's end, a hand
     * edit, a restored backup) never shows through (issue 8 item 3). updatedAt takes in records appended since.
     */
    static Session derive(SessionFile f, MessageLog.State st) {
        Session b = f.base();
        if (st.lastSeq() == f.countersAtSeq() && b.messageCount() == st.lastSeq()
                && b.lastMessageAt().equals(st.lastCreatedAt())) {
            return b;
        }
        Instant updated = st.lastSeq() > f.countersAtSeq()
                ? st.maxCreatedAt().map(m -> later(b.updatedAt(), m)).orElse(b.updatedAt()) : b.updatedAt();
        return new Session(b.id(), b.userId(), b.title(), b.model(), b.provider(), b.archived(), b.metadata(),
                st.lastSeq(), st.lastCreatedAt(), b.createdAt(), updated, b.version());
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

    /**
     * {@code check --repair}, under the session's lock: rewrites {@code session.json} (atomically) with the counters
     * the log holds. False if there is no {@code session.json}.
     */
    boolean repairCounters(Path dir, MessageLog.State st) {
        Optional<SessionFile> f = readFile(dir);
        f.ifPresent(file -> writeFile(dir, derive(file, st), st.lastSeq()));
        return f.isPresent();
    }

    /**
     * {@code check --salvage}: a log whose {@code session.json} is missing (salvage moved a damaged one aside)
     * gets a minimal one, so that its messages are visible again: the session ID from the records, the user from
     * the directory's {@code user.json}, the title "recovered", the counters from the log, createdAt the first
     * record's. Returns what was done, or why not.
     */
    LogAudit.Recovery recoverFromLog(Path dir) {
        Path userDir = dir.getParent().getParent();
        Optional<String> userId = Json.readFile(userDir.resolve(StoreLayout.USER_FILE))
                .map(n -> n.path("id").asText(""));
        if (userId.isEmpty() || userId.get().isEmpty()) {
            return LogAudit.Recovery.notDone(userDir.resolve(StoreLayout.USER_FILE)
                    + " is missing; restore the user first");
        }
        return store.locked(Level.USER, FlatfileStore.userKey(userId.get()), () -> store.withLogLocked(dir, log -> {
            if (Files.exists(StoreLayout.sessionFile(dir))) {
                return LogAudit.Recovery.notDone(StoreLayout.SESSION_FILE + " exists again");
            }
            MessageLog.State st = log.state();
            if (st.lines() == 0) {
                return LogAudit.Recovery.notDone("the log holds no record to recover the session from");
            }
            Message first = log.readLines(0, 1).get(0);
            if (!layout.sessionDir(userId.get(), first.sessionId()).equals(dir)) {
                return LogAudit.Recovery.notDone("its records belong to session '" + first.sessionId() + "', whose"
                        + " directory is " + layout.sessionDir(userId.get(), first.sessionId()));
            }
            Session s = new Session(first.sessionId(), userId.get(), RECOVERED_TITLE, Optional.empty(),
                    Optional.empty(), false, JsonObject.empty(), st.lastSeq(), st.lastCreatedAt(),
                    first.createdAt(), st.maxCreatedAt().orElse(first.createdAt()), 1);
            writeFile(dir, s, st.lastSeq());
            return new LogAudit.Recovery(true, "recreated " + StoreLayout.SESSION_FILE + " from the log (session '"
                    + s.id() + "' of user '" + s.userId() + "', " + st.lines() + " record(s), title '" + RECOVERED_TITLE
                    + "')");
        }).orElse(LogAudit.Recovery.notDone("the log is gone")));
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
