package dev.chatstore.mongo.internal;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.spi.ContextRepository;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static dev.chatstore.mongo.internal.BsonMapping.sessionKey;

/**
 * The situational context lives in the session's document: {@code context} (the current one) and
 * {@code contextHistory} (at most {@code keep} snapshots, newest first, each with the counter value {@code n} it
 * was added under). Adding a snapshot is a compare-and-set on {@code contextCounter}, so adding and pruning are one
 * atomic single-document update, and deleting the session removes its context with it.
 */
public final class MongoContexts implements ContextRepository {

    private static final Comparator<Document> NEWEST_FIRST = Comparator
            .comparing((Document d) -> d.get("context", Document.class).getDate("capturedAt"), Comparator.reverseOrder())
            .thenComparing(d -> BsonMapping.longValue(d, "n"), Comparator.reverseOrder());

    private final MongoStore store;

    public MongoContexts(MongoStore store) {
        this.store = store;
    }

    private static Bson id(String userId, String sessionId) {
        return Filters.eq("_id", sessionKey(userId, sessionId));
    }

    private Document sessionDoc(String userId, String sessionId, String... fields) {
        Document d = store.sessions.find(id(userId, sessionId)).projection(Projections.include(fields)).first();
        if (d == null) {
            throw new NotFoundException("session", sessionKey(userId, sessionId));
        }
        return d;
    }

    @Override
    public void setCurrent(String userId, String sessionId, SituationalContext context) {
        store.run("set the context of " + sessionKey(userId, sessionId), () -> {
            if (store.sessions.updateOne(id(userId, sessionId), Updates.set("context", BsonMapping.context(context)))
                    .getMatchedCount() == 0) {
                throw new NotFoundException("session", sessionKey(userId, sessionId));
            }
        });
    }

    @Override
    public Optional<SituationalContext> current(String userId, String sessionId) {
        return store.call("read the context of " + sessionKey(userId, sessionId), () -> Optional.ofNullable(
                sessionDoc(userId, sessionId, "context").get("context", Document.class)).map(BsonMapping::context));
    }

    @Override
    public void addSnapshot(String userId, String sessionId, SituationalContext snapshot, int keep) {
        store.run("add a context snapshot to " + sessionKey(userId, sessionId), () -> {
            for (int attempt = 0; attempt < 1000; attempt++) {
                Document d = sessionDoc(userId, sessionId, "contextHistory", "contextCounter");
                long counter = BsonMapping.longValue(d, "contextCounter");
                List<Document> history = new ArrayList<>(d.getList("contextHistory", Document.class, List.of()));
                history.add(new Document("n", counter + 1).append("context", BsonMapping.context(snapshot)));
                history.sort(NEWEST_FIRST);
                List<Document> kept = history.subList(0, Math.min(keep, history.size()));
                Bson unchanged = Filters.and(id(userId, sessionId), counter == 0
                        ? Filters.exists("contextCounter", false) : Filters.eq("contextCounter", counter));
                if (store.sessions.updateOne(unchanged, Updates.combine(Updates.set("contextHistory", kept),
                        Updates.set("contextCounter", counter + 1))).getMatchedCount() > 0) {
                    return;
                }
                Thread.onSpinWait();
            }
            throw new StorageUnavailableException("too many concurrent snapshots of " + sessionKey(userId, sessionId));
        });
    }

    @Override
    public List<SituationalContext> history(String userId, String sessionId, int limit) {
        return store.call("read the context history of " + sessionKey(userId, sessionId), () -> {
            List<Document> history = sessionDoc(userId, sessionId, "contextHistory")
                    .getList("contextHistory", Document.class, List.of());
            return history.stream().limit(limit).map(h -> BsonMapping.context(h.get("context", Document.class)))
                    .toList();
        });
    }
}
