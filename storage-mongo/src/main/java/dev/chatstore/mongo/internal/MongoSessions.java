package dev.chatstore.mongo.internal;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.SessionRepository;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.chatstore.mongo.internal.BsonMapping.date;
import static dev.chatstore.mongo.internal.BsonMapping.sessionKey;

/**
 * Sessions: one document each in {@code sessions}, {@code _id = "<user>/<session>"}, with {@code user} and
 * {@code sid} indexed uniquely and (user, updatedAt desc, sid) for the newest-first list. The document is also its
 * log's commit pointer ({@code lastSeq}, {@code pending}, see {@link MongoLogs}) and holds the situational context
 * ({@code context}, {@code contextHistory}, see {@link MongoContexts}), which listings leave out.
 */
public final class MongoSessions implements SessionRepository {

    /** What a session listing reads: everything but the context and the commit pointer's reservation. */
    static final Bson SESSION_FIELDS = Projections.exclude("context", "contextHistory", "contextCounter", "pending");

    private final MongoStore store;

    public MongoSessions(MongoStore store) {
        this.store = store;
    }

    @Override
    public void insert(Session session, int maxSessionsPerUser) {
        String key = sessionKey(session.userId(), session.id());
        store.run("create session " + key, () -> {
            // The limit is a conditional increment on the user's counter: atomic on one document, so concurrent
            // creations (from any number of processes) can never pass it.
            UpdateResult counted = store.users.updateOne(Filters.and(Filters.eq("_id", session.userId()),
                    Filters.lt("sessionCount", (long) maxSessionsPerUser)), Updates.inc("sessionCount", 1L));
            if (counted.getMatchedCount() == 0) {
                Document user = store.users.find(Filters.eq("_id", session.userId())).first();
                if (user == null) {
                    throw new NotFoundException("user", session.userId());
                }
                if (store.sessions.countDocuments(Filters.eq("_id", key)) > 0) {
                    throw new DuplicateKeyException("session", key);
                }
                throw new LimitExceededException("limits.max-sessions-per-user", maxSessionsPerUser,
                        BsonMapping.longValue(user, "sessionCount") + 1);
            }
            try {
                store.sessions.insertOne(BsonMapping.sessionFields(session).append("_id", key).append("lastSeq", 0L));
            } catch (RuntimeException e) {
                store.users.updateOne(Filters.eq("_id", session.userId()), Updates.inc("sessionCount", -1L));
                if (MongoExceptionTranslator.isDuplicateKey(e)) {
                    throw new DuplicateKeyException("session", key, e);
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<Session> find(String userId, String sessionId) {
        return store.call("read session " + sessionKey(userId, sessionId), () -> Optional.ofNullable(
                store.sessions.find(Filters.eq("_id", sessionKey(userId, sessionId))).projection(SESSION_FIELDS)
                        .first()).map(BsonMapping::session));
    }

    @Override
    public Session update(Session next, long expectedVersion) {
        String key = sessionKey(next.userId(), next.id());
        return store.call("update session " + key, () -> {
            List<Bson> updates = new ArrayList<>(List.of(
                    Updates.set("title", next.title()),
                    Updates.set("archived", next.archived()),
                    Updates.set("metadata", next.metadata().toJson()),
                    Updates.set("version", next.version()),
                    Updates.max("updatedAt", date(next.updatedAt()))));
            updates.add(next.model().map(m -> Updates.set("model", m)).orElse(Updates.unset("model")));
            updates.add(next.provider().map(p -> Updates.set("provider", p)).orElse(Updates.unset("provider")));
            Document before = store.sessions.findOneAndUpdate(Filters.and(Filters.eq("_id", key),
                    Filters.eq("version", expectedVersion)), Updates.combine(updates),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE).projection(SESSION_FIELDS));
            if (before == null) {
                Document current = store.sessions.find(Filters.eq("_id", key))
                        .projection(Projections.include("version")).first();
                if (current == null) {
                    throw new NotFoundException("session", key);
                }
                throw new OptimisticConflictException("session", key, expectedVersion,
                        BsonMapping.longValue(current, "version"));
            }
            // The stored result, computed from the state our update replaced (atomic with it).
            Session old = BsonMapping.session(before);
            Instant updatedAt = old.updatedAt().isAfter(next.updatedAt()) ? old.updatedAt() : next.updatedAt();
            return new Session(old.id(), old.userId(), next.title(), next.model(), next.provider(), next.archived(),
                    next.metadata(), old.messageCount(), old.lastMessageAt(), old.createdAt(), updatedAt,
                    next.version());
        });
    }

    @Override
    public boolean delete(String userId, String sessionId) {
        String key = sessionKey(userId, sessionId);
        return store.call("delete session " + key, () -> {
            boolean deleted = store.sessions.deleteOne(Filters.eq("_id", key)).getDeletedCount() > 0;
            // The log is invisible from here on (no owner); its messages and documents follow.
            store.messages.deleteMany(Filters.eq("log", BsonMapping.logKey(LogRef.session(userId, sessionId))));
            MongoUsers.deleteDocuments(store, Filters.and(Filters.eq("user", userId), Filters.eq("sid", sessionId)));
            if (deleted) {
                store.users.updateOne(Filters.eq("_id", userId), Updates.inc("sessionCount", -1L));
            }
            return deleted;
        });
    }

    @Override
    public List<Session> listById(String userId, String afterSessionId, int limit) {
        return store.call("list sessions of " + userId, () -> {
            List<Session> out = new ArrayList<>();
            for (Document d : store.sessions.find(Filters.and(Filters.eq("user", userId),
                    Filters.gt("sid", afterSessionId))).projection(SESSION_FIELDS).sort(Sorts.ascending("sid"))
                    .limit(limit)) {
                out.add(BsonMapping.session(d));
            }
            return out;
        });
    }

    @Override
    public List<Session> list(String userId, int offset, int limit) {
        return store.call("list sessions of " + userId, () -> {
            List<Session> out = new ArrayList<>();
            for (Document d : store.sessions.find(Filters.eq("user", userId)).projection(SESSION_FIELDS)
                    .sort(Sorts.orderBy(Sorts.descending("updatedAt"), Sorts.ascending("sid")))
                    .skip(offset).limit(limit)) {
                out.add(BsonMapping.session(d));
            }
            return out;
        });
    }

    @Override
    public long count(String userId) {
        return store.call("count sessions of " + userId, () -> store.sessions.countDocuments(Filters.eq("user", userId)));
    }

    @Override
    public void restore(Session session) {
        String key = sessionKey(session.userId(), session.id());
        store.run("restore session " + key, () -> {
            if (store.users.countDocuments(Filters.eq("_id", session.userId())) == 0) {
                throw new NotFoundException("user", session.userId());
            }
            Document fields = BsonMapping.sessionFields(session);
            List<Bson> updates = new ArrayList<>(List.of(new Document("$set", fields),
                    Updates.setOnInsert("lastSeq", 0L)));
            if (session.model().isEmpty()) {
                updates.add(Updates.unset("model"));
            }
            if (session.provider().isEmpty()) {
                updates.add(Updates.unset("provider"));
            }
            UpdateResult r = store.sessions.updateOne(Filters.eq("_id", key), Updates.combine(updates),
                    new UpdateOptions().upsert(true));
            if (r.getUpsertedId() != null) {
                store.users.updateOne(Filters.eq("_id", session.userId()), Updates.inc("sessionCount", 1L));
            }
        });
    }
}
