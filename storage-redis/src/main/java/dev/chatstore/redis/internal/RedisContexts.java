package dev.chatstore.redis.internal;

import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.spi.ContextRepository;

import java.util.List;
import java.util.Optional;

/**
 * Contexts: the current one as a JSON string key; snapshots in a sorted set scored by capturedAt (ms) whose members
 * start with a 20-digit insertion number, so equal times order by insertion and the newest-first read is one
 * {@code ZREVRANGE}. Adding a snapshot and pruning to {@code keep} is one script.
 */
final class RedisContexts implements ContextRepository {

    private final RedisAccess redis;
    private final Keys keys;

    RedisContexts(RedisAccess redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public void setCurrent(String userId, String sessionId, SituationalContext context) {
        check(userId, sessionId, redis.run(RedisScript.CTX_WRITE, List.of(keys.session(userId, sessionId),
                keys.currentContext(userId, sessionId)), List.of("current", RedisRecords.context(context))));
    }

    @Override
    public Optional<SituationalContext> current(String userId, String sessionId) {
        RedisAccess.Reply r = check(userId, sessionId, redis.run(RedisScript.CTX_READ,
                List.of(keys.session(userId, sessionId), keys.currentContext(userId, sessionId)), List.of("current")));
        String json = r.values().isEmpty() ? null : r.text(0);
        return Optional.ofNullable(json).map(RedisRecords::context);
    }

    @Override
    public void addSnapshot(String userId, String sessionId, SituationalContext snapshot, int keep) {
        check(userId, sessionId, redis.run(RedisScript.CTX_WRITE, List.of(keys.session(userId, sessionId),
                keys.snapshots(userId, sessionId)), List.of("snapshot", RedisRecords.context(snapshot),
                Long.toString(snapshot.capturedAt().toEpochMilli()), Integer.toString(Math.max(0, keep)))));
    }

    @Override
    public List<SituationalContext> history(String userId, String sessionId, int limit) {
        if (limit <= 0) {
            current(userId, sessionId);
            return List.of();
        }
        RedisAccess.Reply r = check(userId, sessionId, redis.run(RedisScript.CTX_READ,
                List.of(keys.session(userId, sessionId), keys.snapshots(userId, sessionId)),
                List.of("history", Integer.toString(limit))));
        return r.values().stream().map(v -> RedisRecords.context(RedisAccess.text(v))).toList();
    }

    private static RedisAccess.Reply check(String userId, String sessionId, RedisAccess.Reply r) {
        if (r.failed("NOTFOUND")) {
            throw new NotFoundException("session", userId + "/" + sessionId);
        }
        return r.orThrow("context");
    }
}
