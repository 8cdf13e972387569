package dev.chatstore.api.spi;

import dev.chatstore.api.model.User;

import java.util.List;
import java.util.Optional;

/** Users, ordered by ID (code-point order) when listed. */
public interface UserRepository {

    /** @throws dev.chatstore.api.error.DuplicateKeyException if the ID exists */
    void insert(User user);

    Optional<User> find(String userId);

    /**
     * Compare-and-set: stores {@code next} (displayName, profile, updatedAt, version) if the stored version is
     * {@code expectedVersion}, and returns the stored result.
     *
     * @throws dev.chatstore.api.error.NotFoundException            if the user does not exist
     * @throws dev.chatstore.api.error.OptimisticConflictException if the stored version differs
     */
    User update(User next, long expectedVersion);

    /** Deletes the user and everything under it (sessions, messages, documents, contexts, personas, credentials). */
    boolean delete(String userId);

    /** Users by ID ascending; an offset past the end gives an empty list. */
    List<User> list(int offset, int limit);

    long count();

    /** Writes the user exactly as given, replacing any stored one (import, backfill, repair). */
    void restore(User user);
}
