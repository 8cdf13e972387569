package dev.chatstore.mongo.internal;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.spi.MessageSearch;
import dev.chatstore.api.spi.SearchRequest;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Search with the contract's exact semantics. Each session message stores the core tokenizer's words of its content
 * in {@code words}; a query is {@code {user, words: {$all: queryWords}}} sorted by (createdAt desc, sid asc, seq
 * desc), which the index (user, words, createdAt desc) serves. MongoDB's {@code $text} is not used: it ORs terms,
 * stems, drops stop words and cannot serve this order. Hits above their session's committed seq (an append in flight,
 * the remains of a crashed one) are skipped, as every reader skips them.
 */
public final class MongoSearch implements MessageSearch {

    private final MongoStore store;

    public MongoSearch(MongoStore store) {
        this.store = store;
    }

    @Override
    public List<Message> search(String userId, SearchRequest request) {
        return store.call("search the messages of " + userId, () -> {
            if (request.words().isEmpty() || request.limit() <= 0) {
                return List.of();
            }
            List<Bson> filters = new ArrayList<>(List.of(Filters.eq("user", userId),
                    Filters.all("words", request.words())));
            request.sessionId().ifPresent(s -> filters.add(Filters.eq("sid", s)));
            Map<String, Long> committed = new HashMap<>();
            List<Message> hits = new ArrayList<>();
            for (Document d : store.messages.find(Filters.and(filters)).projection(Projections.exclude("words"))
                    .sort(Sorts.orderBy(Sorts.descending("createdAt"), Sorts.ascending("sid"), Sorts.descending("seq")))
                    .batchSize(Math.min(request.limit() + 16, 1000))) {
                String sid = d.getString("sid");
                long last = committed.computeIfAbsent(sid, s -> lastSeq(userId, s));
                if (BsonMapping.longValue(d, "seq") <= last) {
                    hits.add(BsonMapping.message(d));
                    if (hits.size() >= request.limit()) {
                        break;
                    }
                }
            }
            return hits;
        });
    }

    /** The session's committed last seq; 0 (nothing visible) for a session deleted meanwhile. */
    private long lastSeq(String userId, String sessionId) {
        Document s = store.sessions.find(Filters.eq("_id", BsonMapping.sessionKey(userId, sessionId)))
                .projection(Projections.include("lastSeq")).first();
        return s == null ? 0 : BsonMapping.longValue(s, "lastSeq");
    }
}
