package dev.chatstore.api;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.internal.PortableFormat;
import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.StoredCredential;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Exact copies in and out of a store, for tools that move data (import, backfill, verify, repair): keyset scans that
 * walk a live store without skipping or repeating a record, and restores that write records exactly as given (IDs,
 * seqs, versions, timestamps included). Obtained from {@link ChatStore#transfer()}.
 *
 * <p>Restores are validated here, once for every backend: IDs and fields as for ordinary writes, and for message
 * logs the rules that keep a log a log:
 * <ul>
 *   <li>a batch's seqs are consecutive and ascending, its message IDs distinct;</li>
 *   <li>it starts at most one past the log's last seq (a restore never leaves a gap);</li>
 *   <li>a message landing on an occupied seq must carry the ID stored there; it then replaces that message, so
 *       re-copying a record changes nothing and a restore never moves an ID to another seq
 *       ({@link DuplicateKeyException} otherwise, and also when a new message's ID is used elsewhere in the log);</li>
 *   <li>a session's messageCount and lastMessageAt always describe its log as stored: a restored session keeps
 *       its log's counters, and restored messages update them.</li>
 * </ul>
 * A failed restore writes nothing of its batch.
 */
public final class Transfer {

    private static final int PAGE = 1000;

    private final StoreCore core;

    Transfer(StoreCore core) {
        this.core = core;
    }

    /** Users whose ID sorts after {@code afterUserId} ({@code ""} to start), in ID order, at most {@code limit}. */
    public List<User> usersAfter(String afterUserId, int limit) {
        return core.backend.users().list(after("afterUserId", afterUserId), core.limit(limit));
    }

    /** The user's sessions whose ID sorts after {@code afterSessionId} ({@code ""} to start), in ID order. */
    public List<Session> sessionsAfter(String userId, String afterSessionId, int limit) {
        Validator.id("userId", userId);
        return core.backend.sessions().listById(userId, after("afterSessionId", afterSessionId), core.limit(limit));
    }

    /** Panels whose ID sorts after {@code afterPanelId} ({@code ""} to start), in ID order. */
    public List<Panel> panelsAfter(String afterPanelId, int limit) {
        return core.backend.panels().listById(after("afterPanelId", afterPanelId), core.limit(limit));
    }

    /** Writes the user exactly as given, replacing a stored one. */
    public void restoreUser(User user) {
        Validator.id("user.id", user.id());
        Validator.label("user.displayName", user.displayName());
        Validator.json("user.profile", user.profile(), core.config.maxJsonBytes());
        instants(user.createdAt(), user.updatedAt());
        version(user.version());
        core.backend.users().restore(user);
    }

    /** Writes the session exactly as given (its counters excepted: they describe its log). The user must exist. */
    public void restoreSession(Session session) {
        Validator.id("session.userId", session.userId());
        Validator.id("session.id", session.id());
        Validator.label("session.title", session.title());
        session.model().ifPresent(v -> Validator.label("session.model", v));
        session.provider().ifPresent(v -> Validator.label("session.provider", v));
        Validator.json("session.metadata", session.metadata(), core.config.maxJsonBytes());
        instants(session.createdAt(), session.updatedAt());
        version(session.version());
        core.backend.sessions().restore(session);
    }

    /** Writes messages of a session's log at their seqs; see the class comment for the rules. */
    public void restoreMessages(String userId, String sessionId, List<Message> messages) {
        Validator.id("userId", userId);
        Validator.id("sessionId", sessionId);
        restoreLog(LogRef.session(userId, sessionId), messages);
    }

    /** Writes the panel exactly as given. */
    public void restorePanel(Panel panel) {
        Validator.id("panel.id", panel.id());
        Validator.label("panel.type", panel.type());
        panel.personas().forEach(p -> Validator.id("panel.personas", p));
        Validator.json("panel.config", panel.config(), core.config.maxJsonBytes());
        instants(panel.createdAt(), panel.updatedAt());
        core.backend.panels().restore(panel);
    }

    /** Writes messages of a panel's log at their seqs; see the class comment for the rules. */
    public void restorePanelMessages(String panelId, List<Message> messages) {
        Validator.id("panelId", panelId);
        restoreLog(LogRef.panel(panelId), messages);
    }

    /** Writes the insight exactly as given, replacing one with the same ID. */
    public void restoreInsight(Insight insight) {
        Validator.id("insight.id", insight.id());
        Validator.id("insight.panelId", insight.panelId());
        Validator.json("insight.content", insight.content(), core.config.maxJsonBytes());
        millis("insight.createdAt", insight.createdAt());
        core.backend.panels().restoreInsight(insight);
    }

    /** Writes the persona exactly as given. A user-scoped persona needs its user. */
    public void restorePersona(Persona persona) {
        Validator.id("persona.id", persona.id());
        persona.scope().userId().ifPresent(u -> Validator.id("persona.scope", u));
        Validator.json("persona.data", persona.data(), core.config.maxJsonBytes());
        instants(persona.createdAt(), persona.updatedAt());
        version(persona.version());
        core.backend.personas().restore(persona);
    }

    /** Writes an encrypted credential exactly as given (it stays encrypted under its key ID). */
    public void restoreCredential(StoredCredential credential) {
        Validator.id("credential.userId", credential.userId());
        Validator.id("credential.provider", credential.provider());
        instants(credential.createdAt(), credential.updatedAt());
        core.backend.credentials().put(credential);
    }

    /** The log rules of the class comment, then the backend's write. */
    void restoreLog(LogRef log, List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        Set<String> ids = new HashSet<>();
        long expected = messages.get(0).seq();
        if (expected < 1) {
            throw new ValidationException("message.seq", "must be at least 1, got " + expected);
        }
        for (Message m : messages) {
            validate(log, m);
            if (m.seq() != expected) {
                throw new ValidationException("message.seq", "restore of " + log + " needs consecutive seqs: expected "
                        + expected + ", got " + m.seq());
            }
            if (!ids.add(m.id())) {
                throw new DuplicateKeyException("message", log.logId() + "/" + m.id());
            }
            expected++;
        }
        List<Message> tail = core.backend.logs().last(log, 1);
        long lastSeq = tail.isEmpty() ? 0 : tail.get(0).seq();
        long first = messages.get(0).seq();
        if (first > lastSeq + 1) {
            throw new ValidationException("message.seq", "restore of " + log + " starts at seq " + first
                    + " but the log ends at seq " + lastSeq + "; a restore must not leave a gap");
        }
        long overlapEnd = Math.min(lastSeq, messages.get(messages.size() - 1).seq());
        long cursor = first - 1;
        while (cursor < overlapEnd) {
            List<Message> stored = core.backend.logs().after(log, cursor, (int) Math.min(PAGE, overlapEnd - cursor));
            if (stored.isEmpty()) {
                break;
            }
            for (Message s : stored) {
                Message given = messages.get((int) (s.seq() - first));
                if (!given.id().equals(s.id())) {
                    throw new DuplicateKeyException("message seq", log.logId() + "/" + s.seq() + " (holds "
                            + s.id() + ", the restore brings " + given.id() + ")");
                }
            }
            cursor = stored.get(stored.size() - 1).seq();
        }
        core.backend.logs().restore(log, List.copyOf(messages));
    }

    private void validate(LogRef log, Message m) {
        Validator.id("message.id", m.id());
        if (!m.sessionId().equals(log.logId())) {
            throw new ValidationException("message.sessionId", "'" + Validator.printable(m.sessionId())
                    + "' does not name the log it is restored into (" + log + ")");
        }
        if (m.role().isEmpty()) {
            throw new ValidationException("message.role", "must not be empty");
        }
        Validator.label("message.role", m.role());
        Validator.text("message.content", m.content());
        millis("message.createdAt", m.createdAt());
        for (String a : m.attachments()) {
            Validator.documentName("message.attachments", a);
        }
        Validator.json("message.metadata", m.metadata(), core.config.maxJsonBytes());
        m.usage().ifPresent(Messages::normaliseUsage);
    }

    private static String after(String field, String after) {
        if (after == null) {
            throw new ValidationException(field, "must not be null; use \"\" to start");
        }
        return after.isEmpty() ? after : Validator.id(field, after);
    }

    private static void instants(java.time.Instant createdAt, java.time.Instant updatedAt) {
        millis("createdAt", createdAt);
        millis("updatedAt", updatedAt);
    }

    /** Stored timestamps have millisecond precision; a restore that brings more would not round-trip exactly. */
    private static void millis(String field, java.time.Instant t) {
        if (!Validator.instant(field, t).equals(t)) {
            throw new ValidationException(field, t + " has sub-millisecond digits; stored timestamps are milliseconds");
        }
    }

    private static void version(long version) {
        if (version < 1) {
            throw new ValidationException("version", "must be at least 1, got " + version);
        }
    }

    /** These restores as the portable format's import writes through them ({@link ChatStore#importFrom}). */
    PortableFormat.Restorer asRestorer() {
        return new PortableFormat.Restorer() {
            @Override
            public void restoreUser(User user) {
                Transfer.this.restoreUser(user);
            }

            @Override
            public void restoreCredential(StoredCredential credential) {
                Transfer.this.restoreCredential(credential);
            }

            @Override
            public void restorePersona(Persona persona) {
                Transfer.this.restorePersona(persona);
            }

            @Override
            public void restoreSession(Session session) {
                Transfer.this.restoreSession(session);
            }

            @Override
            public void restorePanel(Panel panel) {
                Transfer.this.restorePanel(panel);
            }

            @Override
            public void restoreInsight(Insight insight) {
                Transfer.this.restoreInsight(insight);
            }

            @Override
            public void restoreMessages(String userId, String sessionId, List<Message> messages) {
                Transfer.this.restoreMessages(userId, sessionId, messages);
            }

            @Override
            public void restorePanelMessages(String panelId, List<Message> messages) {
                Transfer.this.restorePanelMessages(panelId, messages);
            }
        };
    }
}
