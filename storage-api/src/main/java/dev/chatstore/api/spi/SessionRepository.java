package dev.chatstore.api.spi;

import dev.chatstore.api.model.Session;

import java.util.List;
import java.util.Optional;

/** Sessions, keyed by (userId, sessionId). */
public interface SessionRepository {

    /**
     * @throws dev.chatstore.api.error.NotFoundException       if the user does not exist
     * @throws dev.chatstore.api.error.DuplicateKeyException   if the user already has a session with that ID
     * @throws dev.chatstore.api.error.LimitExceededException  if the user already has {@code maxSessionsPerUser}
     */
    void insert(Session session, int maxSessionsPerUser);

    Optional<Session> find(String userId, String sessionId);

    /**
     * Compare-and-set on the version: writes title, model, provider, archived, metadata and version from
     * {@code next}, sets updatedAt to the later of the stored one and {@code next.updatedAt()}, leaves
     * messageCount and lastMessageAt as stored, and returns the stored result.
     *
     * @throws dev.chatstore.api.error.NotFoundException            if the session does not exist
     * @throws dev.chatstore.api.error.OptimisticConflictException if the stored version differs
     */
    Session update(Session next, long expectedVersion);

    /** Deletes the session with its messages, documents and contexts. */
    boolean delete(String userId, String sessionId);

    /** The user's sessions by updatedAt descending, then ID ascending. Unknown user: empty. */
    List<Session> list(String userId, int offset, int limit);

    long count(String userId);

    /** Writes the session exactly as given, counters included (import, backfill, repair). The user must exist. */
    void restore(Session session);
}
