package dev.chatstore.api.spi;

import dev.chatstore.api.model.Session;

import java.util.ArrayList;
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
     * messageCount and lastMessageAt as stored, and returns the stored result. A lost compare-and-set is reported
     * at once; the core decides whether and when to retry.
     *
     * @throws dev.chatstore.api.error.NotFoundException            if the session does not exist
     * @throws dev.chatstore.api.error.OptimisticConflictException if the stored version differs
     */
    Session update(Session next, long expectedVersion);

    /** Deletes the session with its messages, documents and contexts. */
    boolean delete(String userId, String sessionId);

    /**
     * A keyset page of the user's sessions in ID order ({@link Orderings#CODE_POINTS}): those whose ID sorts after
     * {@code afterSessionId} ({@code ""} for the first page), at most {@code limit}. Walking the pages sees every
     * session that exists for the whole walk exactly once, whatever is appended meanwhile (unlike
     * {@link #list(String, int, int)}, whose order moves with every append). Unknown user: empty.
     */
    List<Session> listById(String userId, String afterSessionId, int limit);

    /**
     * The user's sessions in {@link Orderings#SESSIONS_NEWEST_FIRST}, skipping {@code offset}, at most
     * {@code limit}. Unknown user: empty. The default sorts the whole keyset walk (a user has at most
     * {@code limits.max-sessions-per-user} sessions); adapters with an index on updatedAt override it.
     */
    default List<Session> list(String userId, int offset, int limit) {
        List<Session> all = new ArrayList<>();
        String after = "";
        while (true) {
            List<Session> page = listById(userId, after, 1000);
            all.addAll(page);
            if (page.size() < 1000) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        all.sort(Orderings.SESSIONS_NEWEST_FIRST);
        return offset >= all.size() ? List.of() : List.copyOf(all.subList(offset, Math.min(all.size(),
                (int) Math.min(Integer.MAX_VALUE, (long) offset + limit))));
    }

    /** The number of the user's sessions. The default counts by walking {@link #listById}. */
    default long count(String userId) {
        long n = 0;
        String after = "";
        while (true) {
            List<Session> page = listById(userId, after, 1000);
            n += page.size();
            if (page.size() < 1000) {
                return n;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /**
     * Writes the session exactly as given (import, backfill, repair), except messageCount and lastMessageAt: those
     * always describe the session's log as stored (0 and empty for a session with no messages yet), so they
     * never claim messages the log does not hold. The user must exist.
     */
    void restore(Session session);
}
