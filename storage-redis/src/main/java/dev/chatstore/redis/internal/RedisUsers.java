package dev.chatstore.redis.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.UserRepository;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Users: one hash per user under its hash tag, plus the global ID listing {@code {idx}:users} (another slot). The
 * hash is the truth; the listing is written around it so that it never misses a user that exists: an insert adds
 * the ID before and after creating the hash, a delete removes it after deleting the user and adds it back if the
 * user exists again by then. A listed ID without a user (a crash between the two steps) is skipped when listing.
 */
final class RedisUsers implements UserRepository {

    private final RedisAccess redis;
    private final Keys keys;

    RedisUsers(RedisAccess redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public void insert(User user) {
        index(user.id());
        RedisAccess.Reply r = redis.run(RedisScript.USER_INSERT, List.of(keys.user(user.id())),
                RedisRecords.user(user));
        if (r.failed("DUP")) {
            throw new DuplicateKeyException("user", user.id());
        }
        r.orThrow("user insert");
        index(user.id());
    }

    @Override
    public Optional<User> find(String userId) {
        Map<String, String> h = redis.call("find user", j -> j.hgetAll(keys.user(userId)));
        return h.isEmpty() ? Optional.empty() : Optional.of(RedisRecords.user(h));
    }

    @Override
    public User update(User next, long expectedVersion) {
        List<Object> args = new ArrayList<>();
        args.add(Long.toString(expectedVersion));
        args.addAll(RedisRecords.user(next));
        RedisAccess.Reply r = redis.run(RedisScript.VERSIONED_UPDATE, List.of(keys.user(next.id())), args);
        if (r.failed("NOTFOUND")) {
            throw new NotFoundException("user", next.id());
        }
        if (r.failed("CONFLICT")) {
            throw new OptimisticConflictException("user", next.id(), expectedVersion, Long.parseLong(r.text(0)));
        }
        return RedisRecords.user(RedisAccess.hash(r.orThrow("user update").values()));
    }

    @Override
    public boolean delete(String userId) {
        RedisAccess.Reply r = redis.run(RedisScript.USER_DELETE, List.of(keys.user(userId)),
                List.of(keys.userBase(userId)));
        boolean deleted = "1".equals(r.orThrow("user delete").text(0));
        redis.call("unlist user", j -> j.zrem(keys.usersIndex(), userId));
        if (redis.call("check user", j -> j.exists(keys.user(userId)))) {
            index(userId); // re-created meanwhile: keep it listed
        }
        return deleted;
    }

    @Override
    public List<User> list(String afterUserId, int limit) {
        List<User> out = new ArrayList<>(Math.min(limit, 1000));
        String after = afterUserId;
        while (out.size() < limit) {
            int want = Math.min(1000, limit - out.size());
            String from = after.isEmpty() ? "-" : "(" + after;
            List<String> ids = redis.call("list users", j -> j.zrangeByLex(keys.usersIndex(), from, "+", 0, want));
            for (String id : ids) {
                find(id).ifPresent(out::add);
            }
            if (ids.size() < want) {
                break;
            }
            after = ids.get(ids.size() - 1);
        }
        return out;
    }

    @Override
    public void restore(User user) {
        index(user.id());
        redis.run(RedisScript.USER_RESTORE, List.of(keys.user(user.id())), RedisRecords.user(user))
                .orThrow("user restore");
        index(user.id());
    }

    private void index(String userId) {
        redis.call("list user", j -> j.zadd(keys.usersIndex(), 0, userId));
    }
}
