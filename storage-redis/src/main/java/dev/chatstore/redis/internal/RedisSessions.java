package dev.chatstore.redis.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.SessionRepository;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions: a hash per session and two sorted sets per user, by ID (score 0, so the order is the bytes' = code
 * points') and by recency (score -updatedAt ms, so ascending is newest first and equal times order by ID). The
 * scripts that change updatedAt (update, append, restore) move the session in the recency set in the same step.
 */
final class RedisSessions implements SessionRepository {

    private final RedisAccess redis;
    private final Keys keys;

    RedisSessions(RedisAccess redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public void insert(Session session, int maxSessionsPerUser) {
        String u = session.userId();
        List<Object> args = new ArrayList<>(List.of(session.id(), Integer.toString(maxSessionsPerUser),
                Long.toString(-session.updatedAt().toEpochMilli())));
        args.addAll(RedisRecords.session(session));
        args.addAll(List.of("messageCount", "0"));
        RedisAccess.Reply r = redis.run(RedisScript.SESSION_INSERT, List.of(keys.user(u),
                keys.session(u, session.id()), keys.sessionsById(u), keys.sessionsByRecency(u)), args);
        if (r.failed("NOTFOUND")) {
            throw new NotFoundException("user", u);
        }
        if (r.failed("DUP")) {
            throw new DuplicateKeyException("session", u + "/" + session.id());
        }
        if (r.failed("LIMIT")) {
            throw new LimitExceededException("limits.max-sessions-per-user", maxSessionsPerUser,
                    Long.parseLong(r.text(1)));
        }
        r.orThrow("session insert");
    }

    @Override
    public Optional<Session> find(String userId, String sessionId) {
        Map<String, String> h = redis.call("find session", j -> j.hgetAll(keys.session(userId, sessionId)));
        return h.isEmpty() ? Optional.empty() : Optional.of(RedisRecords.session(h));
    }

    @Override
    public Session update(Session next, long expectedVersion) {
        String u = next.userId();
        List<String> fields = RedisRecords.session(next);
        // updatedAt is the script's to decide (the later of stored and given); createdAt stays as stored.
        List<Object> set = new ArrayList<>();
        for (int i = 0; i < fields.size(); i += 2) {
            String f = fields.get(i);
            if (!f.equals("updatedAt") && !f.equals("updatedAtMs") && !f.equals("createdAt") && !f.equals("id")
                    && !f.equals("userId")) {
                set.add(f);
                set.add(fields.get(i + 1));
            }
        }
        List<Object> args = new ArrayList<>(List.of(next.id(), Long.toString(expectedVersion),
                Long.toString(next.updatedAt().toEpochMilli()), next.updatedAt().toString(),
                Integer.toString(set.size() / 2)));
        args.addAll(set);
        if (next.model().isEmpty()) {
            args.add("model");
        }
        if (next.provider().isEmpty()) {
            args.add("provider");
        }
        RedisAccess.Reply r = redis.run(RedisScript.SESSION_UPDATE,
                List.of(keys.session(u, next.id()), keys.sessionsByRecency(u)), args);
        if (r.failed("NOTFOUND")) {
            throw new NotFoundException("session", u + "/" + next.id());
        }
        if (r.failed("CONFLICT")) {
            throw new OptimisticConflictException("session", u + "/" + next.id(), expectedVersion,
                    Long.parseLong(r.text(0)));
        }
        return RedisRecords.session(RedisAccess.hash(r.orThrow("session update").values()));
    }

    @Override
    public boolean delete(String userId, String sessionId) {
        RedisAccess.Reply r = redis.run(RedisScript.SESSION_DELETE, List.of(keys.session(userId, sessionId)),
                List.of(keys.userBase(userId), sessionId));
        return "1".equals(r.orThrow("session delete").text(0));
    }

    @Override
    public List<Session> listById(String userId, String afterSessionId, int limit) {
        return page(userId, keys.sessionsById(userId), "id", afterSessionId, limit);
    }

    @Override
    public List<Session> list(String userId, int offset, int limit) {
        return page(userId, keys.sessionsByRecency(userId), "recent", Integer.toString(offset), limit);
    }

    @Override
    public long count(String userId) {
        return redis.call("count sessions", j -> j.zcard(keys.sessionsById(userId)));
    }

    private List<Session> page(String userId, String index, String mode, String from, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        RedisAccess.Reply r = redis.run(RedisScript.SESSION_LIST, List.of(index),
                List.of(keys.userBase(userId), mode, from, Integer.toString(limit)));
        return RedisAccess.countedHashes(r.orThrow("session list").values()).stream()
                .map(RedisRecords::session).toList();
    }

    @Override
    public void restore(Session session) {
        String u = session.userId();
        List<Object> args = new ArrayList<>(List.of(session.id(), Long.toString(-session.updatedAt().toEpochMilli())));
        args.addAll(RedisRecords.session(session));
        RedisAccess.Reply r = redis.run(RedisScript.SESSION_RESTORE, List.of(keys.user(u),
                keys.session(u, session.id()), keys.sessionsById(u), keys.sessionsByRecency(u)), args);
        if (r.failed("NOTFOUND")) {
            throw new NotFoundException("user", u);
        }
        r.orThrow("session restore");
    }
}
