package dev.chatstore.api.spi;

import dev.chatstore.api.model.User;

import java.util.List;
import java.util.Optional;

/** Users, keyed by ID and listed in ID order ({@link Orderings#CODE_POINTS}). */
public interface UserRepository {

    /** @throws dev.chatstore.api.error.DuplicateKeyException if the ID exists */
    void insert(User user);

    Optional<User> find(String userId);

    /**
     * Compare-and-set: stores {@code next} (displayName, profile, updatedAt, version) if the stored version is
     * {@code expectedVersion}, and returns the stored result. A lost compare-and-set is reported at once; the core
     * decides whether and when to retry.
     *
     * @throws dev.chatstore.api.error.NotFoundException            if the user does not exist
     * @throws dev.chatstore.api.error.OptimisticConflictException if the stored version differs
     */
    User update(User next, long expectedVersion);

    /** Deletes the user and everything under it (sessions, messages, documents, contexts, personas, credentials). */
    boolean delete(String userId);

    /**
     * A keyset page: the users whose ID sorts after {@code afterUserId} ({@code ""} for the first page), in ID
     * order, at most {@code limit}. Walking the pages sees every user that exists for the whole walk exactly once,
     * whatever is written meanwhile.
     */
    List<User> list(String afterUserId, int limit);

    /** The number of users. The default counts by walking {@link #list}. */
    default long count() {
        long n = 0;
        String after = "";
        while (true) {
            List<User> page = list(after, 1000);
            n += page.size();
            if (page.size() < 1000) {
                return n;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** Writes the user exactly as given, replacing any stored one (import, backfill, repair). */
    void restore(User user);
}
