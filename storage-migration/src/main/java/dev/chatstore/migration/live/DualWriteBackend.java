package dev.chatstore.migration.live;

import dev.chatstore.api.error.StorageUnavailableException;
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
import dev.chatstore.api.spi.DocumentContent;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.spi.ForwardingStorageBackend;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.MessageLogs;
import dev.chatstore.api.spi.PanelRepository;
import dev.chatstore.api.spi.PersonaRepository;
import dev.chatstore.api.spi.SessionRepository;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StoredCredential;
import dev.chatstore.api.spi.UserRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A backend that writes to two: the primary answers every call, and every write that succeeded on the primary is
 * applied to the secondary with the primary's result (same IDs, seqs, versions and timestamps), so the secondary
 * becomes an exact copy of what was written through it. Reads, search, usage, health and maintenance are the
 * primary's.
 *
 * <p>A write and its mirror run under one lock per {@link SyncKey} (striped), so writes to one key reach both stores
 * in the same order. A write the primary refuses never reaches the secondary. A write the secondary refuses or
 * fails follows the {@link FailurePolicy}; with {@link FailurePolicy#JOURNAL} its key is in the
 * {@link RepairJournal} before the call returns, and {@link StoreSync} (through {@code repair}) later copies the
 * key's current state from the primary. A message append reaches the secondary as an append of the primary's stored
 * messages when the secondary's log ends just before them (the same seqs result), else as a restore at the primary's
 * seqs plus a copy of the owner's row; a secondary whose log is behind (it missed an earlier write) is not written,
 * and the key is journaled.
 *
 * <p>Closing closes both stores and the journal.
 */
public final class DualWriteBackend extends ForwardingStorageBackend {

    private static final Logger LOG = LoggerFactory.getLogger(DualWriteBackend.class);

    private final StorageBackend primary;
    private final StorageBackend secondary;
    private final FailurePolicy policy;
    private final Optional<RepairJournal> journal;
    private final KeyLocks locks;
    private final AtomicLong failures = new AtomicLong();

    private final UserRepository users;
    private final SessionRepository sessions;
    private final MessageLogs logs;
    private final DocumentRepository documents;
    private final ContextRepository contexts;
    private final PanelRepository panels;
    private final PersonaRepository personas;
    private final CredentialRepository credentials;

    /**
     * @param journal where failed keys go; required unless the policy is {@link FailurePolicy#COUNT}
     */
    public DualWriteBackend(StorageBackend primary, StorageBackend secondary, FailurePolicy policy,
                            Optional<RepairJournal> journal) {
        this(primary, secondary, policy, journal, new KeyLocks());
    }

    /** As above, sharing the key locks with another dual-write backend over the same two stores. */
    public DualWriteBackend(StorageBackend primary, StorageBackend secondary, FailurePolicy policy,
                            Optional<RepairJournal> journal, KeyLocks locks) {
        super(primary);
        this.locks = Objects.requireNonNull(locks, "locks");
        this.primary = primary;
        this.secondary = Objects.requireNonNull(secondary, "secondary");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.journal = Objects.requireNonNull(journal, "journal");
        if (policy != FailurePolicy.COUNT && journal.isEmpty()) {
            throw new dev.chatstore.api.error.StorageConfigurationException("failure policy " + policy
                    + " needs a repair journal");
        }
        this.users = new Users(primary.users());
        this.sessions = new Sessions(primary.sessions());
        this.logs = new Logs(primary.logs());
        this.documents = new Documents(primary.documents());
        this.contexts = new Contexts(primary.contexts());
        this.panels = new Panels(primary.panels());
        this.personas = new Personas(primary.personas());
        this.credentials = new Credentials(primary.credentials());
    }

    /** The store that answers. */
    public StorageBackend primary() {
        return primary;
    }

    /** The store every write is copied to. */
    public StorageBackend secondary() {
        return secondary;
    }

    /** How many writes failed on the secondary since this backend was opened. */
    public long secondaryFailures() {
        return failures.get();
    }

    @Override
    public UserRepository users() {
        return users;
    }

    @Override
    public SessionRepository sessions() {
        return sessions;
    }

    @Override
    public MessageLogs logs() {
        return logs;
    }

    @Override
    public DocumentRepository documents() {
        return documents;
    }

    @Override
    public ContextRepository contexts() {
        return contexts;
    }

    @Override
    public PanelRepository panels() {
        return panels;
    }

    @Override
    public PersonaRepository personas() {
        return personas;
    }

    @Override
    public CredentialRepository credentials() {
        return credentials;
    }

    @Override
    public HealthReport health() {
        HealthReport p = primary.health();
        HealthReport s = secondary.health();
        if (s.reachable() && s.writable()) {
            return p;
        }
        return new HealthReport(p.backend(), p.reachable(), p.writable(), p.sizeBytes(), p.latency(),
                Optional.of("secondary " + s.backend() + " unhealthy: " + s.detail().orElse("no detail")
                        + p.detail().map(d -> "; " + d).orElse("")));
    }

    @Override
    public void close() {
        try {
            primary.close();
        } finally {
            try {
                secondary.close();
            } finally {
                journal.ifPresent(RepairJournal::close);
            }
        }
    }

    /** Runs the primary write and its mirror under the key's lock; the primary's result is returned. */
    private <T> T write(SyncKey key, Supplier<T> onPrimary, java.util.function.Consumer<T> onSecondary) {
        ReentrantLock lock = locks.of(key);
        lock.lock();
        try {
            T result = onPrimary.get();
            try {
                onSecondary.accept(result);
            } catch (RuntimeException e) {
                secondaryFailed(key, e);
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    private void write(SyncKey key, Runnable onPrimary, Runnable onSecondary) {
        write(key, () -> {
            onPrimary.run();
            return Boolean.TRUE;
        }, ignored -> onSecondary.run());
    }

    private void secondaryFailed(SyncKey key, RuntimeException e) {
        failures.incrementAndGet();
        String cause = e.getClass().getSimpleName() + ": " + e.getMessage();
        switch (policy) {
            case COUNT -> LOG.warn("secondary write failed for {} (counted, not journaled): {}", key.toJson(), cause);
            case JOURNAL -> {
                LOG.warn("secondary write failed for {}; journaled for repair: {}", key.toJson(), cause);
                journal.orElseThrow().record(key, cause);
            }
            case FAIL -> {
                journal.orElseThrow().record(key, cause);
                throw new StorageUnavailableException("the write reached the primary but not the secondary ("
                        + key.toJson() + " is journaled for repair): " + cause, e);
            }
        }
    }

    private static SyncKey keyOf(LogRef log) {
        if (log instanceof LogRef.SessionLog s) {
            return SyncKey.session(s.userId(), s.sessionId());
        }
        return SyncKey.panel(((LogRef.PanelLog) log).panelId());
    }

    private static SyncKey keyOf(PersonaScope scope) {
        return scope.userId().map(SyncKey::user).orElse(SyncKey.globalPersonas());
    }

    private final class Users extends ForwardingUsers {
        Users(UserRepository delegate) {
            super(delegate);
        }

        @Override
        public void insert(User user) {
            write(SyncKey.user(user.id()), () -> super.insert(user), () -> secondary.users().restore(user));
        }

        @Override
        public User update(User next, long expectedVersion) {
            return write(SyncKey.user(next.id()), () -> super.update(next, expectedVersion),
                    stored -> secondary.users().restore(stored));
        }

        @Override
        public boolean delete(String userId) {
            return write(SyncKey.user(userId), () -> super.delete(userId), deleted -> secondary.users().delete(userId));
        }

        @Override
        public void restore(User user) {
            write(SyncKey.user(user.id()), () -> super.restore(user), () -> secondary.users().restore(user));
        }
    }

    private final class Sessions extends ForwardingSessions {
        Sessions(SessionRepository delegate) {
            super(delegate);
        }

        @Override
        public void insert(Session session, int maxSessionsPerUser) {
            write(SyncKey.session(session.userId(), session.id()), () -> super.insert(session, maxSessionsPerUser),
                    () -> secondary.sessions().restore(session));
        }

        @Override
        public Session update(Session next, long expectedVersion) {
            return write(SyncKey.session(next.userId(), next.id()), () -> super.update(next, expectedVersion),
                    stored -> secondary.sessions().restore(stored));
        }

        @Override
        public boolean delete(String userId, String sessionId) {
            return write(SyncKey.session(userId, sessionId), () -> super.delete(userId, sessionId),
                    deleted -> secondary.sessions().delete(userId, sessionId));
        }

        @Override
        public void restore(Session session) {
            write(SyncKey.session(session.userId(), session.id()), () -> super.restore(session),
                    () -> secondary.sessions().restore(session));
        }
    }

    private final class Logs extends ForwardingLogs {
        Logs(MessageLogs delegate) {
            super(delegate);
        }

        @Override
        public List<Message> append(LogRef log, List<Message> messages, long maxMessages) {
            return write(keyOf(log), () -> super.append(log, messages, maxMessages), stored -> {
                List<Message> tail = secondary.logs().last(log, 1);
                long last = tail.isEmpty() ? 0 : tail.get(0).seq();
                long first = stored.get(0).seq();
                if (last != first - 1) {
                    // behind (missed a write) or ahead (a backfill copied these already): seqs decide, not append
                    mirrorAtSeqs(log, stored);
                    copyOwnerRow(log);
                    return;
                }
                // In step: an append gives the same seqs and moves counters and updatedAt in one write, as on the
                // primary. Should a backfill restore these messages between the check and the append, the append
                // refuses their IDs (DuplicateKeyException) and writes nothing; the key is journaled.
                List<Message> mirrored = secondary.logs().append(log, stored, Long.MAX_VALUE);
                for (int i = 0; i < stored.size(); i++) {
                    if (mirrored.size() != stored.size() || mirrored.get(i).seq() != stored.get(i).seq()) {
                        throw new IllegalStateException("the secondary's " + log + " stored message "
                                + stored.get(i).id() + " at another seq than the primary's " + stored.get(i).seq());
                    }
                }
            });
        }

        /** An append moved the owner's updatedAt: copy the primary's row as it is now. */
        private void copyOwnerRow(LogRef log) {
            if (log instanceof LogRef.SessionLog s) {
                primary.sessions().find(s.userId(), s.sessionId()).ifPresent(secondary.sessions()::restore);
            } else {
                primary.panels().find(log.logId()).ifPresent(secondary.panels()::restore);
            }
        }

        /**
         * Writes the primary's messages at the primary's seqs. Not an append on the secondary: another process (a
         * backfill, a repair) may be copying the same log, and an append would put a message at whatever seq the
         * secondary's log happens to end, which is wrong whenever the secondary is behind. A secondary that is
         * behind (a gap) is left alone and the failure journaled; one that already holds the seqs (copied
         * meanwhile) gets the same messages again, which changes nothing.
         */
        private void mirrorAtSeqs(LogRef log, List<Message> stored) {
            if (stored.isEmpty()) {
                return;
            }
            List<Message> tail = secondary.logs().last(log, 1);
            long last = tail.isEmpty() ? 0 : tail.get(0).seq();
            long first = stored.get(0).seq();
            if (first > last + 1) {
                throw new IllegalStateException("the secondary's " + log + " ends at seq " + last
                        + ", before the appended seq " + first + "; it missed earlier writes");
            }
            secondary.logs().restore(log, stored);
        }

        @Override
        public void restore(LogRef log, List<Message> messages) {
            // The core checked the batch against the primary; the secondary must not end up with a gap.
            write(keyOf(log), () -> super.restore(log, messages), () -> mirrorAtSeqs(log, messages));
        }
    }

    private final class Documents extends ForwardingDocuments {
        Documents(DocumentRepository delegate) {
            super(delegate);
        }

        @Override
        public Document save(String userId, Upload upload) {
            return write(SyncKey.session(userId, upload.sessionId()), () -> super.save(userId, upload),
                    saved -> copyDocument(primary, secondary, userId, saved));
        }

        @Override
        public Document updateAnalysis(String userId, String sessionId, String name, JsonObject analysis) {
            return write(SyncKey.session(userId, sessionId), () -> super.updateAnalysis(userId, sessionId, name,
                    analysis), stored -> secondary.documents().updateAnalysis(userId, sessionId, name, analysis));
        }

        @Override
        public boolean delete(String userId, String sessionId, String name) {
            return write(SyncKey.session(userId, sessionId), () -> super.delete(userId, sessionId, name),
                    deleted -> secondary.documents().delete(userId, sessionId, name));
        }
    }

    /** Copies a stored document (bytes and metadata) from one store to another. */
    static void copyDocument(StorageBackend from, StorageBackend to, String userId, Document doc) {
        InputStream bytes = from.documents().open(userId, doc.sessionId(), doc.name())
                .orElseThrow(() -> new dev.chatstore.api.error.NotFoundException("document",
                        userId + "/" + doc.sessionId() + "/" + doc.name()));
        try (DocumentContent content = new DocumentContent(bytes, Long.MAX_VALUE, "limits.max-document-bytes")) {
            Document copied = to.documents().save(userId, new DocumentRepository.Upload(doc.sessionId(), doc.name(),
                    doc.mimeType(), doc.uploadedAt(), doc.analysis(), doc.metadata(), content));
            if (copied.size() != doc.size() || !copied.sha256().equals(doc.sha256())) {
                throw new IllegalStateException("document " + doc.name() + " changed while it was copied");
            }
        } catch (java.io.IOException e) {
            throw new dev.chatstore.api.error.StorageIOException("cannot copy document " + doc.name() + ": "
                    + e.getMessage(), e);
        }
    }

    private final class Contexts extends ForwardingContexts {
        Contexts(ContextRepository delegate) {
            super(delegate);
        }

        @Override
        public void setCurrent(String userId, String sessionId, SituationalContext context) {
            write(SyncKey.session(userId, sessionId), () -> super.setCurrent(userId, sessionId, context),
                    () -> secondary.contexts().setCurrent(userId, sessionId, context));
        }

        @Override
        public void addSnapshot(String userId, String sessionId, SituationalContext snapshot, int keep) {
            write(SyncKey.session(userId, sessionId), () -> super.addSnapshot(userId, sessionId, snapshot, keep),
                    () -> secondary.contexts().addSnapshot(userId, sessionId, snapshot, keep));
        }
    }

    private final class Panels extends ForwardingPanels {
        Panels(PanelRepository delegate) {
            super(delegate);
        }

        @Override
        public void insert(Panel panel) {
            write(SyncKey.panel(panel.id()), () -> super.insert(panel), () -> secondary.panels().restore(panel));
        }

        @Override
        public boolean delete(String panelId) {
            return write(SyncKey.panel(panelId), () -> super.delete(panelId),
                    deleted -> secondary.panels().delete(panelId));
        }

        @Override
        public void saveInsight(Insight insight) {
            write(SyncKey.panel(insight.panelId()), () -> super.saveInsight(insight),
                    () -> secondary.panels().restoreInsight(insight));
        }

        @Override
        public long purgeInsightsBefore(Instant cutoff) {
            return write(SyncKey.allPanels(), () -> super.purgeInsightsBefore(cutoff),
                    purged -> secondary.panels().purgeInsightsBefore(cutoff));
        }

        @Override
        public void restore(Panel panel) {
            write(SyncKey.panel(panel.id()), () -> super.restore(panel), () -> secondary.panels().restore(panel));
        }

        @Override
        public void restoreInsight(Insight insight) {
            write(SyncKey.panel(insight.panelId()), () -> super.restoreInsight(insight),
                    () -> secondary.panels().restoreInsight(insight));
        }
    }

    private final class Personas extends ForwardingPersonas {
        Personas(PersonaRepository delegate) {
            super(delegate);
        }

        @Override
        public void insert(Persona persona) {
            write(keyOf(persona.scope()), () -> super.insert(persona), () -> secondary.personas().restore(persona));
        }

        @Override
        public Persona update(Persona next, long expectedVersion) {
            return write(keyOf(next.scope()), () -> super.update(next, expectedVersion),
                    stored -> secondary.personas().restore(stored));
        }

        @Override
        public boolean delete(PersonaScope scope, String personaId) {
            return write(keyOf(scope), () -> super.delete(scope, personaId),
                    deleted -> secondary.personas().delete(scope, personaId));
        }

        @Override
        public void restore(Persona persona) {
            write(keyOf(persona.scope()), () -> super.restore(persona), () -> secondary.personas().restore(persona));
        }
    }

    private final class Credentials extends ForwardingCredentials {
        Credentials(CredentialRepository delegate) {
            super(delegate);
        }

        @Override
        public void put(StoredCredential credential) {
            write(SyncKey.user(credential.userId()), () -> super.put(credential),
                    () -> secondary.credentials().put(credential));
        }

        @Override
        public boolean delete(String userId, String provider) {
            return write(SyncKey.user(userId), () -> super.delete(userId, provider),
                    deleted -> secondary.credentials().delete(userId, provider));
        }
    }
}
