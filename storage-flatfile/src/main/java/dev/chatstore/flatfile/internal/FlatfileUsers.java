package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.Orderings;
import dev.chatstore.api.spi.UserRepository;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.chatstore.flatfile.internal.StoreLocks.Level;

/**
 * Users: {@code users/<user>/user.json}; everything of a user lives under that directory, so deleting a user is
 * one atomic rename of it (then the removal of the renamed tree).
 */
final class FlatfileUsers implements UserRepository {

    private final FlatfileStore store;
    private final StoreLayout layout;
    private final java.util.function.Consumer<String> forgetUser;

    /** {@code forgetUser}: drops what other repositories cache about a deleted user (indexes). */
    FlatfileUsers(FlatfileStore store, java.util.function.Consumer<String> forgetUser) {
        this.store = store;
        this.layout = store.layout;
        this.forgetUser = forgetUser;
    }

    @Override
    public void insert(User user) {
        store.locked(Level.USER, FlatfileStore.userKey(user.id()), () -> {
            Path file = layout.userFile(user.id());
            if (Files.exists(file)) {
                throw new DuplicateKeyException("user", user.id());
            }
            store.mkdirs(file.getParent());
            store.write(file, Json.user(user));
            return null;
        });
    }

    @Override
    public Optional<User> find(String userId) {
        store.checkOpen();
        return FlatfileStore.read(layout.userFile(userId), Json::user).filter(u -> u.id().equals(userId));
    }

    @Override
    public User update(User next, long expectedVersion) {
        return store.locked(Level.USER, FlatfileStore.userKey(next.id()), () -> {
            User cur = find(next.id()).orElseThrow(() -> new NotFoundException("user", next.id()));
            if (cur.version() != expectedVersion) {
                throw new OptimisticConflictException("user", next.id(), expectedVersion, cur.version());
            }
            store.write(layout.userFile(next.id()), Json.user(next));
            return next;
        });
    }

    @Override
    public boolean delete(String userId) {
        return store.locked(Level.USER, FlatfileStore.userKey(userId), () -> {
            if (!Files.exists(layout.userFile(userId))) {
                return false;
            }
            store.removeTree(layout.userDir(userId));
            forgetUser.accept(userId);
            return true;
        });
    }

    /** Every user; the directory names are encoded, so the order comes from the IDs inside the files. */
    private List<User> all() {
        store.checkOpen();
        List<User> out = new ArrayList<>();
        for (Path dir : FlatfileStore.children(layout.usersDir(), true, "")) {
            FlatfileStore.read(dir.resolve(StoreLayout.USER_FILE), Json::user).ifPresent(out::add);
        }
        out.sort((a, b) -> Orderings.CODE_POINTS.compare(a.id(), b.id()));
        return out;
    }

    @Override
    public List<User> list(String afterUserId, int limit) {
        return all().stream().filter(u -> Orderings.CODE_POINTS.compare(u.id(), afterUserId) > 0).limit(limit)
                .toList();
    }

    @Override
    public long count() {
        store.checkOpen();
        long n = 0;
        for (Path dir : FlatfileStore.children(layout.usersDir(), true, "")) {
            if (Files.exists(dir.resolve(StoreLayout.USER_FILE))) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void restore(User user) {
        store.locked(Level.USER, FlatfileStore.userKey(user.id()), () -> {
            Path file = layout.userFile(user.id());
            store.mkdirs(file.getParent());
            store.write(file, Json.user(user));
            return null;
        });
    }
}
