package dev.chatstore.api.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which messages to total: one user's (optionally one session's), created in {@code [from, to)}.
 *
 * @param userId    the user
 * @param sessionId one session of that user, or all of them
 * @param from      inclusive lower bound on createdAt, or unbounded
 * @param to        exclusive upper bound on createdAt, or unbounded
 */
public record UsageQuery(String userId, Optional<String> sessionId, Optional<Instant> from, Optional<Instant> to) {

    public UsageQuery {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    public static UsageQuery forUser(String userId) {
        return new UsageQuery(userId, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static UsageQuery forSession(String userId, String sessionId) {
        return new UsageQuery(userId, Optional.of(sessionId), Optional.empty(), Optional.empty());
    }

    /** Restricts to messages created at or after {@code newFrom} and before {@code newTo}. */
    public UsageQuery between(Instant newFrom, Instant newTo) {
        return new UsageQuery(userId, sessionId, Optional.of(newFrom), Optional.of(newTo));
    }

    public UsageQuery since(Instant newFrom) {
        return new UsageQuery(userId, sessionId, Optional.of(newFrom), to);
    }

    public UsageQuery until(Instant newTo) {
        return new UsageQuery(userId, sessionId, from, Optional.of(newTo));
    }
}
