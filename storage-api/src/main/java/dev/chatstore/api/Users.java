package dev.chatstore.api;

import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.User;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Users: the owners of everything else. Obtained from {@link ChatStore#users()}. */
public final class Users {

    private final StoreCore core;

    Users(StoreCore core) {
        this.core = core;
    }

    /**
     * Creates a user at version 1.
     *
     * @throws dev.chatstore.api.error.DuplicateKeyException if the ID is taken
     */
    public User create(String userId, String displayName, JsonObject profile) {
        Validator.id("userId", userId);
        Validator.label("displayName", displayName);
        Validator.json("profile", profile, core.config.maxJsonBytes());
        Instant now = core.now();
        User user = new User(userId, displayName, profile, now, now, 1);
        core.backend.users().insert(user);
        return user;
    }

    /** Creates a user with an empty display name and profile. */
    public User create(String userId) {
        return create(userId, "", JsonObject.empty());
    }

    /**
     * The user, created with this display name and profile if it does not exist yet: the "run my app twice" path.
     * An existing user is returned as stored (its display name and profile are not changed); two callers racing to
     * create the same user both get it.
     */
    public User getOrCreate(String userId, String displayName, JsonObject profile) {
        Validator.id("userId", userId);
        Optional<User> existing = core.backend.users().find(userId);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return create(userId, displayName, profile);
        } catch (dev.chatstore.api.error.DuplicateKeyException raced) {
            return core.backend.users().find(userId).orElseThrow(() -> raced);
        }
    }

    /** {@link #getOrCreate(String, String, JsonObject)} with an empty display name and profile. */
    public User getOrCreate(String userId) {
        return getOrCreate(userId, "", JsonObject.empty());
    }

    public Optional<User> get(String userId) {
        Validator.id("userId", userId);
        return core.backend.users().find(userId);
    }

    /**
     * Stores {@code modified}'s displayName and profile if the stored user is still at {@code modified.version()}
     * (read it, change it with {@code withDisplayName}/{@code withProfile}, update it). Returns the new state.
     *
     * @throws OptimisticConflictException if someone updated the user since it was read
     * @throws NotFoundException           if the user does not exist
     */
    public User update(User modified) {
        validate(modified);
        User current = core.backend.users().find(modified.id())
                .orElseThrow(() -> new NotFoundException("user", modified.id()));
        if (current.version() != modified.version()) {
            throw new OptimisticConflictException("user", modified.id(), modified.version(), current.version());
        }
        return write(current, modified);
    }

    /**
     * Applies {@code change} to the current user and stores the result, re-reading and re-applying it if a
     * concurrent update intervened. Only displayName and profile are taken from the result.
     */
    public User update(String userId, UnaryOperator<User> change) {
        Validator.id("userId", userId);
        return StoreCore.retryOnConflict("update of user " + userId, () -> {
            User current = core.backend.users().find(userId).orElseThrow(() -> new NotFoundException("user", userId));
            User modified = change.apply(current);
            validate(modified);
            return write(current, modified);
        });
    }

    /** Deletes the user with all its sessions, messages, documents, contexts, personas and credentials. */
    public boolean delete(String userId) {
        Validator.id("userId", userId);
        return core.backend.users().delete(userId);
    }

    /** The first page of users by ID, of {@code paging.session-default-limit}. */
    public List<User> list() {
        return list(0, core.config.sessionDefaultLimit());
    }

    /** Users by ID ascending; an offset past the end gives an empty list. */
    public List<User> list(int offset, int limit) {
        int skip = Validator.offset("offset", offset);
        int want = core.limit(limit);
        // The port lists by keyset; an offset is walked past in pages of the largest allowed size.
        List<User> out = new java.util.ArrayList<>(want);
        String after = "";
        int page = core.config.maxPageLimit();
        while (out.size() < want) {
            List<User> users = core.backend.users().list(after, page);
            for (User u : users) {
                if (skip > 0) {
                    skip--;
                } else if (out.size() < want) {
                    out.add(u);
                }
            }
            if (users.size() < page) {
                break;
            }
            after = users.get(users.size() - 1).id();
        }
        return List.copyOf(out);
    }

    public long count() {
        return core.backend.users().count();
    }

    private void validate(User u) {
        Validator.id("userId", u.id());
        Validator.label("displayName", u.displayName());
        Validator.json("profile", u.profile(), core.config.maxJsonBytes());
    }

    private User write(User current, User modified) {
        User next = new User(current.id(), modified.displayName(), modified.profile(), current.createdAt(),
                StoreCore.later(current.updatedAt(), core.now()), current.version() + 1);
        return core.backend.users().update(next, current.version());
    }
}
