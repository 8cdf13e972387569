package dev.chatstore.api;

import dev.chatstore.api.error.StoreReadOnlyException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
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
import dev.chatstore.api.spi.ForwardingStorageBackend;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.MessageLogs;
import dev.chatstore.api.spi.PanelRepository;
import dev.chatstore.api.spi.PersonaRepository;
import dev.chatstore.api.spi.SessionRepository;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StoredCredential;
import dev.chatstore.api.spi.UserRepository;

import java.time.Instant;
import java.util.List;

/**
 * The backend of a store opened with {@code store.read-only=true}: every read passes, every write fails with
 * {@link StoreReadOnlyException} before the adapter sees it. Adapters also open read-only (no lock file, no
 * recovery that writes); this guard makes the refusal the same on every backend. Its repositories are made once,
 * like the adapter's own.
 */
final class ReadOnlyGuard extends ForwardingStorageBackend {

    private final UserRepository users;
    private final SessionRepository sessions;
    private final MessageLogs logs;
    private final DocumentRepository documents;
    private final ContextRepository contexts;
    private final PanelRepository panels;
    private final PersonaRepository personas;
    private final CredentialRepository credentials;

    ReadOnlyGuard(StorageBackend delegate) {
        super(delegate);
        this.users = new ReadOnlyUsers(delegate.users());
        this.sessions = new ReadOnlySessions(delegate.sessions());
        this.logs = new ReadOnlyLogs(delegate.logs());
        this.documents = new ReadOnlyDocuments(delegate.documents());
        this.contexts = new ReadOnlyContexts(delegate.contexts());
        this.panels = new ReadOnlyPanels(delegate.panels());
        this.personas = new ReadOnlyPersonas(delegate.personas());
        this.credentials = new ReadOnlyCredentials(delegate.credentials());
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

    private static StoreReadOnlyException refused(String operation) {
        return new StoreReadOnlyException(operation);
    }

    private static final class ReadOnlyUsers extends ForwardingUsers {

        ReadOnlyUsers(UserRepository delegate) {
            super(delegate);
        }

        @Override
        public void insert(User user) {
            throw refused("creating user " + user.id());
        }

        @Override
        public User update(User next, long expectedVersion) {
            throw refused("updating user " + next.id());
        }

        @Override
        public boolean delete(String userId) {
            throw refused("deleting user " + userId);
        }

        @Override
        public void restore(User user) {
            throw refused("restoring user " + user.id());
        }
    }

    private static final class ReadOnlySessions extends ForwardingSessions {

        ReadOnlySessions(SessionRepository delegate) {
            super(delegate);
        }

        @Override
        public void insert(Session session, int maxSessionsPerUser) {
            throw refused("creating a session");
        }

        @Override
        public Session update(Session next, long expectedVersion) {
            throw refused("updating session " + next.id());
        }

        @Override
        public boolean delete(String userId, String sessionId) {
            throw refused("deleting session " + sessionId);
        }

        @Override
        public void restore(Session session) {
            throw refused("restoring session " + session.id());
        }
    }

    private static final class ReadOnlyLogs extends ForwardingLogs {

        ReadOnlyLogs(MessageLogs delegate) {
            super(delegate);
        }

        @Override
        public List<Message> append(LogRef log, List<Message> messages, long maxMessages) {
            throw refused("appending to " + log);
        }

        @Override
        public void restore(LogRef log, List<Message> messages) {
            throw refused("restoring messages of " + log);
        }
    }

    private static final class ReadOnlyDocuments extends ForwardingDocuments {

        ReadOnlyDocuments(DocumentRepository delegate) {
            super(delegate);
        }

        @Override
        public Document save(String userId, Upload upload) {
            throw refused("saving document " + upload.name());
        }

        @Override
        public Document updateAnalysis(String userId, String sessionId, String name, JsonObject analysis) {
            throw refused("updating document " + name);
        }

        @Override
        public boolean delete(String userId, String sessionId, String name) {
            throw refused("deleting document " + name);
        }
    }

    private static final class ReadOnlyContexts extends ForwardingContexts {

        ReadOnlyContexts(ContextRepository delegate) {
            super(delegate);
        }

        @Override
        public void setCurrent(String userId, String sessionId, SituationalContext context) {
            throw refused("setting the context of " + sessionId);
        }

        @Override
        public void addSnapshot(String userId, String sessionId, SituationalContext snapshot, int keep) {
            throw refused("saving a context snapshot of " + sessionId);
        }
    }

    private static final class ReadOnlyPanels extends ForwardingPanels {

        ReadOnlyPanels(PanelRepository delegate) {
            super(delegate);
        }

        @Override
        public void insert(Panel panel) {
            throw refused("creating a panel");
        }

        @Override
        public boolean delete(String panelId) {
            throw refused("deleting panel " + panelId);
        }

        @Override
        public void saveInsight(Insight insight) {
            throw refused("saving an insight");
        }

        @Override
        public long purgeInsightsBefore(Instant cutoff) {
            throw refused("purging insights");
        }

        @Override
        public void restore(Panel panel) {
            throw refused("restoring panel " + panel.id());
        }

        @Override
        public void restoreInsight(Insight insight) {
            throw refused("restoring an insight");
        }
    }

    private static final class ReadOnlyPersonas extends ForwardingPersonas {

        ReadOnlyPersonas(PersonaRepository delegate) {
            super(delegate);
        }

        @Override
        public void insert(Persona persona) {
            throw refused("creating persona " + persona.id());
        }

        @Override
        public Persona update(Persona next, long expectedVersion) {
            throw refused("updating persona " + next.id());
        }

        @Override
        public boolean delete(PersonaScope scope, String personaId) {
            throw refused("deleting persona " + personaId);
        }

        @Override
        public void restore(Persona persona) {
            throw refused("restoring persona " + persona.id());
        }
    }

    private static final class ReadOnlyCredentials extends ForwardingCredentials {

        ReadOnlyCredentials(CredentialRepository delegate) {
            super(delegate);
        }

        @Override
        public void put(StoredCredential credential) {
            throw refused("storing a credential");
        }

        @Override
        public boolean delete(String userId, String provider) {
            throw refused("deleting a credential");
        }
    }
}
