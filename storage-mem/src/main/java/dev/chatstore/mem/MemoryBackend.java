package dev.chatstore.mem;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.HealthReport;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.ContextRepository;
import dev.chatstore.api.spi.CredentialRepository;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.MessageLogs;
import dev.chatstore.api.spi.Orderings;
import dev.chatstore.api.spi.PanelRepository;
import dev.chatstore.api.spi.PersonaRepository;
import dev.chatstore.api.spi.SessionRepository;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StoredCredential;
import dev.chatstore.api.spi.UserRepository;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The in-memory reference backend. One read-write lock guards the whole store: simple enough to be obviously
 * correct, which is what a reference is for. Records are immutable, so reads hand them out directly.
 */
final class MemoryBackend implements StorageBackend {

    private final String url;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<String, UserData> users = new TreeMap<>(Orderings.CODE_POINTS);
    private final TreeMap<String, Persona> globalPersonas = new TreeMap<>(Orderings.CODE_POINTS);
    private final TreeMap<String, PanelData> panels = new TreeMap<>(Orderings.CODE_POINTS);
    private volatile boolean closed;

    private final UserRepository userRepository = new Users();
    private final SessionRepository sessionRepository = new Sessions();
    private final MessageLogs logRepository = new Logs();
    private final DocumentRepository documentRepository = new Documents();
    private final ContextRepository contextRepository = new Contexts();
    private final PanelRepository panelRepository = new Panels();
    private final PersonaRepository personaRepository = new Personas();
    private final CredentialRepository credentialRepository = new Credentials();

    MemoryBackend(String url) {
        this.url = url;
    }

    private static final class UserData {
        User user;
        final TreeMap<String, SessionData> sessions = new TreeMap<>(Orderings.CODE_POINTS);
        final TreeMap<String, Persona> personas = new TreeMap<>(Orderings.CODE_POINTS);
        final TreeMap<String, StoredCredential> credentials = new TreeMap<>(Orderings.CODE_POINTS);

        UserData(User user) {
            this.user = user;
        }
    }

    /** A message log: a session's or a panel's. */
    private static final class Log {
        final ArrayList<Message> messages = new ArrayList<>();
        final HashMap<String, Long> seqById = new HashMap<>();

        List<Message> append(String owner, List<Message> drafts, long max) {
            long next = messages.size() + 1L;
            if (messages.size() + (long) drafts.size() > max) {
                throw new LimitExceededException("limits.max-messages-per-session", max, messages.size() + (long) drafts.size());
            }
            for (Message m : drafts) {
                if (seqById.containsKey(m.id())) {
                    throw new DuplicateKeyException("message", owner + "/" + m.id());
                }
            }
            List<Message> stored = new ArrayList<>(drafts.size());
            for (Message m : drafts) {
                Message s = m.withSeq(next++);
                messages.add(s);
                seqById.put(s.id(), s.seq());
                stored.add(s);
            }
            return stored;
        }

        /** Writes at the given seqs; the core checked contiguity and that occupied seqs keep their IDs. */
        void restore(String owner, List<Message> given) {
            for (Message m : given) {
                Long at = seqById.get(m.id());
                if (at != null && at != m.seq()) {
                    throw new DuplicateKeyException("message", owner + "/" + m.id());
                }
            }
            for (Message m : given) {
                int index = (int) (m.seq() - 1);
                if (index < messages.size()) {
                    seqById.remove(messages.get(index).id());
                    messages.set(index, m);
                } else if (index == messages.size()) {
                    messages.add(m);
                } else {
                    throw new ValidationException("message.seq", "restoring seq " + m.seq() + " would leave a gap after seq "
                            + messages.size());
                }
                seqById.put(m.id(), m.seq());
            }
        }

        List<Message> after(long afterSeq, int limit) {
            if (afterSeq >= messages.size()) {
                return List.of();
            }
            int from = (int) afterSeq;
            return List.copyOf(messages.subList(from, (int) Math.min(messages.size(), (long) from + limit)));
        }

        List<Message> last(int n) {
            return List.copyOf(messages.subList(Math.max(0, messages.size() - n), messages.size()));
        }

        Optional<Message> bySeq(long seq) {
            return seq >= 1 && seq <= messages.size() ? Optional.of(messages.get((int) (seq - 1))) : Optional.empty();
        }
    }

    private static final class Snapshot {
        final SituationalContext context;
        final long order;

        Snapshot(SituationalContext context, long order) {
            this.context = context;
            this.order = order;
        }
    }

    private static final Comparator<Snapshot> NEWEST_FIRST = Comparator
            .comparing((Snapshot s) -> s.context.capturedAt(), Comparator.reverseOrder())
            .thenComparing(s -> s.order, Comparator.reverseOrder());

    private static final class StoredDocument {
        final Document document;
        final byte[] bytes;

        StoredDocument(Document document, byte[] bytes) {
            this.document = document;
            this.bytes = bytes;
        }
    }

    private static final class SessionData {
        Session session;
        final Log log = new Log();
        final TreeMap<String, StoredDocument> documents = new TreeMap<>(Orderings.CODE_POINTS);
        SituationalContext current;
        final ArrayList<Snapshot> history = new ArrayList<>();
        long snapshotCounter;

        SessionData(Session session) {
            this.session = session;
        }
    }

    private static final class PanelData {
        Panel panel;
        final Log log = new Log();
        final TreeMap<String, Insight> insights = new TreeMap<>(Orderings.CODE_POINTS);

        PanelData(Panel panel) {
            this.panel = panel;
        }
    }

    // ---- locking -------------------------------------------------------------------------------------------

    private <T> T read(Supplier<T> action) {
        checkOpen();
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(Supplier<T> action) {
        checkOpen();
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageUnavailableException("the mem: store " + url + " is closed");
        }
    }

    private UserData user(String userId) {
        UserData u = users.get(userId);
        if (u == null) {
            throw new NotFoundException("user", userId);
        }
        return u;
    }

    private SessionData session(String userId, String sessionId) {
        UserData u = users.get(userId);
        SessionData s = u == null ? null : u.sessions.get(sessionId);
        if (s == null) {
            throw new NotFoundException("session", userId + "/" + sessionId);
        }
        return s;
    }

    private PanelData panel(String panelId) {
        PanelData p = panels.get(panelId);
        if (p == null) {
            throw new NotFoundException("panel", panelId);
        }
        return p;
    }

    private static <T> List<T> page(List<T> all, int offset, int limit) {
        if (offset >= all.size()) {
            return List.of();
        }
        return List.copyOf(all.subList(offset, (int) Math.min(all.size(), (long) offset + limit)));
    }

    // ---- StorageBackend ------------------------------------------------------------------------------------

    @Override
    public String name() {
        return "mem";
    }

    @Override
    public UserRepository users() {
        return userRepository;
    }

    @Override
    public SessionRepository sessions() {
        return sessionRepository;
    }

    @Override
    public MessageLogs logs() {
        return logRepository;
    }

    @Override
    public DocumentRepository documents() {
        return documentRepository;
    }

    @Override
    public ContextRepository contexts() {
        return contextRepository;
    }

    @Override
    public PanelRepository panels() {
        return panelRepository;
    }

    @Override
    public PersonaRepository personas() {
        return personaRepository;
    }

    @Override
    public CredentialRepository credentials() {
        return credentialRepository;
    }

    @Override
    public HealthReport health() {
        long start = System.nanoTime();
        if (closed) {
            return new HealthReport("mem", false, false, OptionalLong.empty(), Duration.ZERO, Optional.of("closed"));
        }
        long size = read(() -> {
            long bytes = 0;
            for (UserData u : users.values()) {
                for (SessionData s : u.sessions.values()) {
                    for (Message m : s.log.messages) {
                        bytes += m.content().length() * 2L;
                    }
                    for (StoredDocument d : s.documents.values()) {
                        bytes += d.bytes.length;
                    }
                }
            }
            return bytes;
        });
        return new HealthReport("mem", true, true, OptionalLong.of(size), Duration.ofNanos(System.nanoTime() - start),
                Optional.empty());
    }

    @Override
    public void close() {
        closed = true;
    }

    // ---- repositories --------------------------------------------------------------------------------------

    private final class Users implements UserRepository {
        @Override
        public void insert(User user) {
            write(() -> {
                if (users.containsKey(user.id())) {
                    throw new DuplicateKeyException("user", user.id());
                }
                users.put(user.id(), new UserData(user));
                return null;
            });
        }

        @Override
        public Optional<User> find(String userId) {
            return read(() -> Optional.ofNullable(users.get(userId)).map(u -> u.user));
        }

        @Override
        public User update(User next, long expectedVersion) {
            return write(() -> {
                UserData u = user(next.id());
                if (u.user.version() != expectedVersion) {
                    throw new OptimisticConflictException("user", next.id(), expectedVersion, u.user.version());
                }
                u.user = next;
                return next;
            });
        }

        @Override
        public boolean delete(String userId) {
            return write(() -> users.remove(userId) != null);
        }

        @Override
        public List<User> list(String afterUserId, int limit) {
            return read(() -> users.tailMap(afterUserId, false).values().stream().limit(limit).map(u -> u.user).toList());
        }

        @Override
        public long count() {
            return read(() -> (long) users.size());
        }

        @Override
        public void restore(User user) {
            write(() -> {
                UserData existing = users.get(user.id());
                if (existing == null) {
                    users.put(user.id(), new UserData(user));
                } else {
                    existing.user = user;
                }
                return null;
            });
        }
    }

    private final class Sessions implements SessionRepository {
        @Override
        public void insert(Session session, int maxSessionsPerUser) {
            write(() -> {
                UserData u = user(session.userId());
                if (u.sessions.containsKey(session.id())) {
                    throw new DuplicateKeyException("session", session.userId() + "/" + session.id());
                }
                if (u.sessions.size() >= maxSessionsPerUser) {
                    throw new LimitExceededException("limits.max-sessions-per-user", maxSessionsPerUser, u.sessions.size() + 1L);
                }
                u.sessions.put(session.id(), new SessionData(session));
                return null;
            });
        }

        @Override
        public Optional<Session> find(String userId, String sessionId) {
            return read(() -> Optional.ofNullable(users.get(userId)).map(u -> u.sessions.get(sessionId)).map(s -> s.session));
        }

        @Override
        public Session update(Session next, long expectedVersion) {
            return write(() -> {
                SessionData s = session(next.userId(), next.id());
                Session cur = s.session;
                if (cur.version() != expectedVersion) {
                    throw new OptimisticConflictException("session", next.userId() + "/" + next.id(), expectedVersion, cur.version());
                }
                s.session = new Session(cur.id(), cur.userId(), next.title(), next.model(), next.provider(), next.archived(),
                        next.metadata(), cur.messageCount(), cur.lastMessageAt(), cur.createdAt(),
                        later(cur.updatedAt(), next.updatedAt()), next.version());
                return s.session;
            });
        }

        @Override
        public boolean delete(String userId, String sessionId) {
            return write(() -> {
                UserData u = users.get(userId);
                return u != null && u.sessions.remove(sessionId) != null;
            });
        }

        @Override
        public List<Session> list(String userId, int offset, int limit) {
            return read(() -> {
                UserData u = users.get(userId);
                if (u == null) {
                    return List.of();
                }
                List<Session> all = u.sessions.values().stream().map(s -> s.session)
                        .sorted(Orderings.SESSIONS_NEWEST_FIRST)
                        .toList();
                return page(all, offset, limit);
            });
        }

        @Override
        public List<Session> listById(String userId, String afterSessionId, int limit) {
            return read(() -> {
                UserData u = users.get(userId);
                return u == null ? List.<Session>of() : u.sessions.tailMap(afterSessionId, false).values().stream()
                        .limit(limit).map(s -> s.session).toList();
            });
        }

        @Override
        public long count(String userId) {
            return read(() -> {
                UserData u = users.get(userId);
                return u == null ? 0L : u.sessions.size();
            });
        }

        @Override
        public void restore(Session session) {
            write(() -> {
                UserData u = user(session.userId());
                SessionData s = u.sessions.computeIfAbsent(session.id(), id -> new SessionData(session));
                s.session = withLogCounters(session, s.log);
                return null;
            });
        }
    }

    /** The session with messageCount and lastMessageAt as its log holds them. */
    private static Session withLogCounters(Session s, Log log) {
        int n = log.messages.size();
        Optional<Instant> lastAt = n == 0 ? Optional.empty() : Optional.of(log.messages.get(n - 1).createdAt());
        return new Session(s.id(), s.userId(), s.title(), s.model(), s.provider(), s.archived(), s.metadata(), n, lastAt,
                s.createdAt(), s.updatedAt(), s.version());
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private final class Logs implements MessageLogs {
        /** The log's messages and owner, looked up under the caller's lock. */
        private Log log(LogRef ref) {
            if (ref instanceof LogRef.SessionLog s) {
                return session(s.userId(), s.sessionId()).log;
            }
            return panel(((LogRef.PanelLog) ref).panelId()).log;
        }

        @Override
        public List<Message> append(LogRef ref, List<Message> drafts, long maxMessages) {
            return write(() -> {
                List<Message> stored = log(ref).append(ref.toString(), drafts, maxMessages);
                Message lastOne = stored.get(stored.size() - 1);
                Instant newest = stored.stream().map(Message::createdAt).max(Comparator.naturalOrder()).orElseThrow();
                if (ref instanceof LogRef.SessionLog sl) {
                    SessionData s = session(sl.userId(), sl.sessionId());
                    Session cur = s.session;
                    s.session = new Session(cur.id(), cur.userId(), cur.title(), cur.model(), cur.provider(),
                            cur.archived(), cur.metadata(), lastOne.seq(), Optional.of(lastOne.createdAt()),
                            cur.createdAt(), later(cur.updatedAt(), newest), cur.version());
                } else {
                    PanelData p = panel(((LogRef.PanelLog) ref).panelId());
                    Panel cur = p.panel;
                    p.panel = new Panel(cur.id(), cur.type(), cur.personas(), cur.config(), cur.createdAt(),
                            later(cur.updatedAt(), newest));
                }
                return stored;
            });
        }

        @Override
        public Optional<Message> findBySeq(LogRef ref, long seq) {
            return read(() -> log(ref).bySeq(seq));
        }

        @Override
        public Optional<Message> findById(LogRef ref, String messageId) {
            return read(() -> {
                Log log = log(ref);
                Long seq = log.seqById.get(messageId);
                return seq == null ? Optional.empty() : log.bySeq(seq);
            });
        }

        @Override
        public List<Message> after(LogRef ref, long afterSeq, int limit) {
            return read(() -> log(ref).after(afterSeq, limit));
        }

        @Override
        public List<Message> last(LogRef ref, int n) {
            return read(() -> log(ref).last(n));
        }

        @Override
        public void restore(LogRef ref, List<Message> messages) {
            write(() -> {
                log(ref).restore(ref.toString(), messages);
                if (ref instanceof LogRef.SessionLog sl) {
                    SessionData s = session(sl.userId(), sl.sessionId());
                    s.session = withLogCounters(s.session, s.log);
                }
                return null;
            });
        }
    }

    private final class Documents implements DocumentRepository {
        @Override
        public Document save(String userId, Upload upload) {
            read(() -> session(userId, upload.sessionId())); // fail fast before reading the bytes
            byte[] bytes;
            try {
                bytes = upload.content().readAllBytes();
            } catch (IOException e) {
                throw new StorageIOException("cannot read the content of document " + upload.name() + ": " + e.getMessage(), e);
            }
            Document document = new Document(upload.sessionId(), upload.name(), upload.mimeType(), upload.content().size(),
                    upload.content().sha256(), upload.uploadedAt(), upload.analysis(), upload.metadata());
            return write(() -> {
                session(userId, upload.sessionId()).documents.put(upload.name(), new StoredDocument(document, bytes));
                return document;
            });
        }

        @Override
        public Optional<Document> find(String userId, String sessionId, String name) {
            return read(() -> Optional.ofNullable(session(userId, sessionId).documents.get(name)).map(d -> d.document));
        }

        @Override
        public Optional<InputStream> open(String userId, String sessionId, String name) {
            return read(() -> Optional.ofNullable(session(userId, sessionId).documents.get(name))
                    .map(d -> new ByteArrayInputStream(d.bytes)));
        }

        @Override
        public List<Document> list(String userId, String sessionId) {
            return read(() -> session(userId, sessionId).documents.values().stream().map(d -> d.document).toList());
        }

        @Override
        public Document updateAnalysis(String userId, String sessionId, String name, JsonObject analysis) {
            return write(() -> {
                SessionData s = session(userId, sessionId);
                StoredDocument d = s.documents.get(name);
                if (d == null) {
                    throw new NotFoundException("document", userId + "/" + sessionId + "/" + name);
                }
                Document updated = d.document.withAnalysis(analysis);
                s.documents.put(name, new StoredDocument(updated, d.bytes));
                return updated;
            });
        }

        @Override
        public boolean delete(String userId, String sessionId, String name) {
            return write(() -> session(userId, sessionId).documents.remove(name) != null);
        }
    }

    private final class Contexts implements ContextRepository {
        @Override
        public void setCurrent(String userId, String sessionId, SituationalContext context) {
            write(() -> {
                session(userId, sessionId).current = context;
                return null;
            });
        }

        @Override
        public Optional<SituationalContext> current(String userId, String sessionId) {
            return read(() -> Optional.ofNullable(session(userId, sessionId).current));
        }

        @Override
        public void addSnapshot(String userId, String sessionId, SituationalContext snapshot, int keep) {
            write(() -> {
                SessionData s = session(userId, sessionId);
                s.history.add(new Snapshot(snapshot, ++s.snapshotCounter));
                if (s.history.size() > keep) {
                    s.history.sort(NEWEST_FIRST);
                    s.history.subList(keep, s.history.size()).clear();
                }
                return null;
            });
        }

        @Override
        public List<SituationalContext> history(String userId, String sessionId, int limit) {
            return read(() -> session(userId, sessionId).history.stream().sorted(NEWEST_FIRST).limit(limit)
                    .map(s -> s.context).toList());
        }
    }

    private final class Panels implements PanelRepository {
        @Override
        public void insert(Panel panel) {
            write(() -> {
                if (panels.containsKey(panel.id())) {
                    throw new DuplicateKeyException("panel", panel.id());
                }
                panels.put(panel.id(), new PanelData(panel));
                return null;
            });
        }

        @Override
        public Optional<Panel> find(String panelId) {
            return read(() -> Optional.ofNullable(panels.get(panelId)).map(p -> p.panel));
        }

        @Override
        public List<Panel> listById(String afterPanelId, int limit) {
            return read(() -> panels.tailMap(afterPanelId, false).values().stream().limit(limit).map(p -> p.panel)
                    .toList());
        }

        @Override
        public boolean delete(String panelId) {
            return write(() -> panels.remove(panelId) != null);
        }

        @Override
        public void saveInsight(Insight insight) {
            write(() -> {
                PanelData p = panel(insight.panelId());
                if (p.insights.containsKey(insight.id())) {
                    throw new DuplicateKeyException("insight", insight.panelId() + "/" + insight.id());
                }
                p.insights.put(insight.id(), insight);
                return null;
            });
        }

        @Override
        public List<Insight> insights(String panelId, int limit) {
            return read(() -> panel(panelId).insights.values().stream()
                    .sorted(Orderings.INSIGHTS_NEWEST_FIRST)
                    .limit(limit).toList());
        }

        @Override
        public long purgeInsightsBefore(Instant cutoff) {
            return write(() -> {
                long removed = 0;
                for (PanelData p : panels.values()) {
                    int before = p.insights.size();
                    p.insights.values().removeIf(i -> i.createdAt().isBefore(cutoff));
                    removed += before - p.insights.size();
                }
                return removed;
            });
        }

        @Override
        public void restore(Panel panel) {
            write(() -> {
                PanelData existing = panels.get(panel.id());
                if (existing == null) {
                    panels.put(panel.id(), new PanelData(panel));
                } else {
                    existing.panel = panel;
                }
                return null;
            });
        }

        @Override
        public void restoreInsight(Insight insight) {
            write(() -> {
                panel(insight.panelId()).insights.put(insight.id(), insight);
                return null;
            });
        }
    }

    private final class Personas implements PersonaRepository {
        private TreeMap<String, Persona> scope(PersonaScope scope, boolean mustExist) {
            if (scope.isGlobal()) {
                return globalPersonas;
            }
            UserData u = users.get(scope.userId().get());
            if (u == null) {
                if (mustExist) {
                    throw new NotFoundException("user", scope.userId().get());
                }
                return new TreeMap<>(Orderings.CODE_POINTS);
            }
            return u.personas;
        }

        @Override
        public void insert(Persona persona) {
            write(() -> {
                TreeMap<String, Persona> map = scope(persona.scope(), true);
                if (map.containsKey(persona.id())) {
                    throw new DuplicateKeyException("persona", persona.scope() + "/" + persona.id());
                }
                map.put(persona.id(), persona);
                return null;
            });
        }

        @Override
        public Persona update(Persona next, long expectedVersion) {
            return write(() -> {
                TreeMap<String, Persona> map = scope(next.scope(), true);
                Persona cur = map.get(next.id());
                if (cur == null) {
                    throw new NotFoundException("persona", next.scope() + "/" + next.id());
                }
                if (cur.version() != expectedVersion) {
                    throw new OptimisticConflictException("persona", next.scope() + "/" + next.id(), expectedVersion, cur.version());
                }
                map.put(next.id(), next);
                return next;
            });
        }

        @Override
        public Optional<Persona> find(PersonaScope scope, String personaId) {
            return read(() -> Optional.ofNullable(scope(scope, false).get(personaId)));
        }

        @Override
        public List<Persona> list(PersonaScope scope) {
            return read(() -> List.copyOf(scope(scope, false).values()));
        }

        @Override
        public boolean delete(PersonaScope scope, String personaId) {
            return write(() -> scope(scope, false).remove(personaId) != null);
        }

        @Override
        public void restore(Persona persona) {
            write(() -> {
                scope(persona.scope(), true).put(persona.id(), persona);
                return null;
            });
        }
    }

    private final class Credentials implements CredentialRepository {
        @Override
        public void put(StoredCredential credential) {
            write(() -> {
                user(credential.userId()).credentials.put(credential.provider(), credential);
                return null;
            });
        }

        @Override
        public Optional<StoredCredential> find(String userId, String provider) {
            return read(() -> Optional.ofNullable(users.get(userId)).map(u -> u.credentials.get(provider)));
        }

        @Override
        public List<StoredCredential> list(String userId) {
            return read(() -> {
                UserData u = users.get(userId);
                return u == null ? List.<StoredCredential>of() : List.copyOf(u.credentials.values());
            });
        }

        @Override
        public boolean delete(String userId, String provider) {
            return write(() -> {
                UserData u = users.get(userId);
                return u != null && u.credentials.remove(provider) != null;
            });
        }
    }
}
