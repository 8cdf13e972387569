package dev.chatstore.api.spi;

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

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A backend that passes every call to another, for decorators (dual writes, metrics, read-only views) that
 * override only what they change. The nested {@code Forwarding*} repositories do the same per repository: a
 * decorator returns its own subclass from, say, {@link #logs()} and inherits the rest.
 */
public abstract class ForwardingStorageBackend implements StorageBackend {

    private final StorageBackend delegate;

    protected ForwardingStorageBackend(StorageBackend delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The backend calls are passed to. */
    protected StorageBackend delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public UserRepository users() {
        return delegate.users();
    }

    @Override
    public SessionRepository sessions() {
        return delegate.sessions();
    }

    @Override
    public MessageLogs logs() {
        return delegate.logs();
    }

    @Override
    public DocumentRepository documents() {
        return delegate.documents();
    }

    @Override
    public ContextRepository contexts() {
        return delegate.contexts();
    }

    @Override
    public PanelRepository panels() {
        return delegate.panels();
    }

    @Override
    public PersonaRepository personas() {
        return delegate.personas();
    }

    @Override
    public CredentialRepository credentials() {
        return delegate.credentials();
    }

    @Override
    public Optional<MessageSearch> search() {
        return delegate.search();
    }

    @Override
    public Optional<UsageTotalsSource> usage() {
        return delegate.usage();
    }

    @Override
    public Optional<StoreMaintenance> maintenance() {
        return delegate.maintenance();
    }

    @Override
    public HealthReport health() {
        return delegate.health();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Passes every call to another {@link UserRepository}. */
    public abstract static class ForwardingUsers implements UserRepository {
        private final UserRepository delegate;

        protected ForwardingUsers(UserRepository delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        @Override
        public void insert(User user) {
            delegate.insert(user);
        }

        @Override
        public Optional<User> find(String userId) {
            return delegate.find(userId);
        }

        @Override
        public User update(User next, long expectedVersion) {
            return delegate.update(next, expectedVersion);
        }

        @Override
        public boolean delete(String userId) {
            return delegate.delete(userId);
        }

        @Override
        public List<User> list(String afterUserId, int limit) {
            return delegate.list(afterUserId, limit);
        }

        @Override
        public long count() {
            return delegate.count();
        }

        @Override
        public void restore(User user) {
            delegate.restore(user);
        }
    }

    /** Passes every call to another {@link SessionRepository}. */
    public abstract static class ForwardingSessions implements SessionRepository {
        private final SessionRepository delegate;

        protected ForwardingSessions(SessionRepository delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        @Override
        public void insert(Session session, int maxSessionsPerUser) {
            delegate.insert(session, maxSessionsPerUser);
        }

        @Override
        public Optional<Session> find(String userId, String sessionId) {
            return delegate.find(userId, sessionId);
        }

        @Override
        public Session update(Session next, long expectedVersion) {
            return delegate.update(next, expectedVersion);
        }

        @Override
        public boolean delete(String userId, String sessionId) {
            return delegate.delete(userId, sessionId);
        }

        @Override
        public List<Session> listById(String userId, String afterSessionId, int limit) {
            return delegate.listById(userId, afterSessionId, limit);
        }

        @Override
        public List<Session> list(String userId, int offset, int limit) {
            return delegate.list(userId, offset, limit);
        }

        @Override
        public long count(String userId) {
            return delegate.count(userId);
        }

        @Override
        public void restore(Session session) {
            delegate.restore(session);
        }
    }

    /** Passes every call to another {@link MessageLogs}. */
    public abstract static class ForwardingLogs implements MessageLogs {
        private final MessageLogs delegate;

        protected ForwardingLogs(MessageLogs delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        @Override
        public List<Message> append(LogRef log, List<Message> messages, long maxMessages) {
            return delegate.append(log, messages, maxMessages);
        }

        @Override
        public Optional<Message> findBySeq(LogRef log, long seq) {
            return delegate.findBySeq(log, seq);
        }

        @Override
        public Optional<Message> findById(LogRef log, String messageId) {
            return delegate.findById(log, messageId);
        }

        @Override
        public List<Message> after(LogRef log, long afterSeq, int limit) {
            return delegate.after(log, afterSeq, limit);
        }

        @Override
        public List<Message> last(LogRef log, int n) {
            return delegate.last(log, n);
        }

        @Override
        public void restore(LogRef log, List<Message> messages) {
            delegate.restore(log, messages);
        }
    }

    /** Passes every call to another {@link DocumentRepository}. */
    public abstract static class ForwardingDocuments implements DocumentRepository {
        private final DocumentRepository delegate;

        protected ForwardingDocuments(DocumentRepository delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        @Override
        public Document save(String userId, Upload upload) {
            return delegate.save(userId, upload);
        }

        @Override
        public Optional<Document> find(String userId, String sessionId, String name) {
            return delegate.find(userId, sessionId, name);
        }

        @Override
        public Optional<InputStream> open(String userId, String sessionId, String name) {
            return delegate.open(userId, sessionId, name);
        }

        @Override
        public List<Document> list(String userId, String sessionId) {
            return delegate.list(userId, sessionId);
        }

        @Override
        public Document updateAnalysis(String userId, String sessionId, String name, JsonObject analysis) {
            return delegate.updateAnalysis(userId, sessionId, name, analysis);
        }

        @Override
        public boolean delete(String userId, String sessionId, String name) {
            return delegate.delete(userId, sessionId, name);
        }
    }

    /** Passes every call to another {@link ContextRepository}. */
    public abstract static class ForwardingContexts implements ContextRepository {
        private final ContextRepository delegate;

        protected ForwardingContexts(ContextRepository delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        @Override
        public void setCurrent(String userId, String sessionId, SituationalContext context) {
            delegate.setCurrent(userId, sessionId, context);
        }

        @Override
        public Optional<SituationalContext> current(String userId, String sessionId) {
            return delegate.current(userId, sessionId);
        }

        @Override
        public void addSnapshot(String userId, String sessionId, SituationalContext snapshot, int keep) {
            delegate.addSnapshot(userId, sessionId, snapshot, keep);
        }

        @Override
        public List<SituationalContext> history(String userId, String sessionId, int limit) {
            return delegate.history(userId, sessionId, limit);
        }
    }

    /** Passes every call to another {@link PanelRepository}. */
    public abstract static class ForwardingPanels implements PanelRepository {
        private final PanelRepository delegate;

        protected ForwardingPanels(PanelRepository delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        @Override
        public void insert(Panel panel) {
            delegate.insert(panel);
        }

        @Override
        public Optional<Panel> find(String panelId) {
            return delegate.find(panelId);
        }

        @Override
        public List<Panel> listById(String afterPanelId, int limit) {
            return delegate.listById(afterPanelId, limit);
        }

        @Override
        public List<Panel> list(int offset, int limit) {
            return delegate.list(offset, limit);
        }

        @Override
        public boolean delete(String panelId) {
            return delegate.delete(panelId);
        }

        @Override
        public void saveInsight(Insight insight) {
            delegate.saveInsight(insight);
        }

        @Override
        public List<Insight> insights(String panelId, int limit) {
            return delegate.insights(panelId, limit);
        }

        @Override
        public long purgeInsightsBefore(Instant cutoff) {
            return delegate.purgeInsightsBefore(cutoff);
        }

        @Override
        public void restore(Panel panel) {
            delegate.restore(panel);
        }

        @Override
        public void restoreInsight(Insight insight) {
            delegate.restoreInsight(insight);
        }
    }

    /** Passes every call to another {@link PersonaRepository}. */
    public abstract static class ForwardingPersonas implements PersonaRepository {
        private final PersonaRepository delegate;

        protected ForwardingPersonas(PersonaRepository delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        @Override
        public void insert(Persona persona) {
            delegate.insert(persona);
        }

        @Override
        public Persona update(Persona next, long expectedVersion) {
            return delegate.update(next, expectedVersion);
        }

        @Override
        public Optional<Persona> find(PersonaScope scope, String personaId) {
            return delegate.find(scope, personaId);
        }

        @Override
        public List<Persona> list(PersonaScope scope) {
            return delegate.list(scope);
        }

        @Override
        public boolean delete(PersonaScope scope, String personaId) {
            return delegate.delete(scope, personaId);
        }

        @Override
        public void restore(Persona persona) {
            delegate.restore(persona);
        }
    }

    /** Passes every call to another {@link CredentialRepository}. */
    public abstract static class ForwardingCredentials implements CredentialRepository {
        private final CredentialRepository delegate;

        protected ForwardingCredentials(CredentialRepository delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        @Override
        public void put(StoredCredential credential) {
            delegate.put(credential);
        }

        @Override
        public Optional<StoredCredential> find(String userId, String provider) {
            return delegate.find(userId, provider);
        }

        @Override
        public List<StoredCredential> list(String userId) {
            return delegate.list(userId);
        }

        @Override
        public boolean delete(String userId, String provider) {
            return delegate.delete(userId, provider);
        }
    }
}
