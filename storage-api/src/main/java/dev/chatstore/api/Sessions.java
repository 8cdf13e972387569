package dev.chatstore.api;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.Session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Chat sessions. Every call names the user; a session of another user behaves as if it did not exist.
 * Obtained from {@link ChatStore#sessions()}.
 */
public final class Sessions {

    private static final int GENERATED_ID_ATTEMPTS = 3;

    private final StoreCore core;

    Sessions(StoreCore core) {
        this.core = core;
    }

    /**
     * Creates a session for an existing user, generating its ID ({@code chat_session_YYYYMMDD_HHMMSS_<random>})
     * unless the request names one.
     *
     * @throws NotFoundException                                  if the user does not exist
     * @throws dev.chatstore.api.error.DuplicateKeyException      if the user already has that session ID
     * @throws dev.chatstore.api.error.LimitExceededException     past {@code limits.max-sessions-per-user}
     */
    public Session create(String userId, NewSession request) {
        Validator.id("userId", userId);
        request.id().ifPresent(id -> Validator.id("sessionId", id));
        Validator.label("title", request.title());
        request.model().ifPresent(m -> Validator.label("model", m));
        request.provider().ifPresent(p -> Validator.label("provider", p));
        Validator.json("metadata", request.metadata(), core.config.maxJsonBytes());
        Instant now = core.now();
        for (int attempt = 1; ; attempt++) {
            String id = request.id().orElseGet(() -> core.ids.sessionId(now));
            Session session = new Session(id, userId, request.title(), request.model(), request.provider(), false,
                    request.metadata(), 0, Optional.empty(), now, now, 1);
            try {
                core.backend.sessions().insert(session, core.config.maxSessionsPerUser());
                return session;
            } catch (DuplicateKeyException e) {
                // A generated ID has 50 random bits; should two ever meet, draw again rather than fail the caller.
                if (request.id().isPresent() || attempt == GENERATED_ID_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * The session the request names by ID, created from the request if the user does not have it yet: the "run my
     * app twice" path. An existing session is returned as stored (title, model and metadata are not changed).
     *
     * @throws dev.chatstore.api.error.ValidationException if the request names no ID (there would be nothing to find)
     * @throws NotFoundException                          if the user does not exist
     */
    public Session getOrCreate(String userId, NewSession request) {
        Validator.id("userId", userId);
        String id = request.id().orElseThrow(() -> new dev.chatstore.api.error.ValidationException("sessionId",
                "getOrCreate needs a session ID (NewSession.withId); create() generates one"));
        Validator.id("sessionId", id);
        Optional<Session> existing = core.backend.sessions().find(userId, id);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return create(userId, request);
        } catch (DuplicateKeyException raced) {
            return core.backend.sessions().find(userId, id).orElseThrow(() -> raced);
        }
    }

    /** Creates a session with just a title. */
    public Session create(String userId, String title) {
        return create(userId, NewSession.titled(title));
    }

    /** The session, or empty if the user has none with that ID. */
    public Optional<Session> get(String userId, String sessionId) {
        Validator.id("userId", userId);
        Validator.id("sessionId", sessionId);
        return core.backend.sessions().find(userId, sessionId);
    }

    /**
     * Stores {@code modified}'s title, model, provider, archived flag and metadata if the stored session is still
     * at {@code modified.version()}. Returns the new state.
     *
     * @throws OptimisticConflictException if someone updated the session since it was read
     * @throws NotFoundException           if the session does not exist
     */
    public Session update(Session modified) {
        validate(modified);
        Session current = core.requireSession(modified.userId(), modified.id());
        if (current.version() != modified.version()) {
            throw new OptimisticConflictException("session", modified.userId() + "/" + modified.id(),
                    modified.version(), current.version());
        }
        return write(current, modified);
    }

    /** Applies {@code change} to the current session and stores it, retrying over concurrent updates. */
    public Session update(String userId, String sessionId, UnaryOperator<Session> change) {
        return StoreCore.retryOnConflict("update of session " + sessionId, () -> {
            Session current = core.requireSession(userId, sessionId);
            Session modified = change.apply(current);
            validate(modified);
            return write(current, modified);
        });
    }

    /** Deletes the session with its messages, documents and contexts. */
    public boolean delete(String userId, String sessionId) {
        Validator.id("userId", userId);
        Validator.id("sessionId", sessionId);
        return core.backend.sessions().delete(userId, sessionId);
    }

    /** The user's newest sessions, {@code paging.session-default-limit} of them. */
    public List<Session> list(String userId) {
        return list(userId, 0, core.config.sessionDefaultLimit());
    }

    /** The user's sessions, updatedAt descending then ID; an offset past the end gives an empty list. */
    public List<Session> list(String userId, int offset, int limit) {
        Validator.id("userId", userId);
        return core.backend.sessions().list(userId, Validator.offset("offset", offset), core.limit(limit));
    }

    public long count(String userId) {
        Validator.id("userId", userId);
        return core.backend.sessions().count(userId);
    }

    private void validate(Session s) {
        Validator.id("userId", s.userId());
        Validator.id("sessionId", s.id());
        Validator.label("title", s.title());
        s.model().ifPresent(m -> Validator.label("model", m));
        s.provider().ifPresent(p -> Validator.label("provider", p));
        Validator.json("metadata", s.metadata(), core.config.maxJsonBytes());
    }

    private Session write(Session current, Session modified) {
        Session next = new Session(current.id(), current.userId(), modified.title(), modified.model(),
                modified.provider(), modified.archived(), modified.metadata(), current.messageCount(),
                current.lastMessageAt(), current.createdAt(), StoreCore.later(current.updatedAt(), core.now()),
                current.version() + 1);
        return core.backend.sessions().update(next, current.version());
    }
}
