package dev.chatstore.redis.internal;

import dev.chatstore.api.model.Message;
import dev.chatstore.api.spi.MessageSearch;
import dev.chatstore.api.spi.SearchRequest;
import dev.chatstore.api.spi.TextSearch;

import java.util.ArrayList;
import java.util.List;

/**
 * Search without RediSearch: the append script keeps, per user and word, a sorted set of message references
 * ({@code <seq>:<sessionId>}) scored by createdAt. A query script walks the smallest of the query words' sets
 * newest-first, keeps the references every other set also holds ({@code ZMSCORE}) and stops once it has the
 * limit and has passed the last hit's time, reading each hit's stream entry in the same step; the hits are then
 * put in {@link TextSearch#RESULT_ORDER} and cut to the limit. The index holds exactly the words {@link TextSearch} finds, so the answer is the scan's.
 */
final class RedisSearch implements MessageSearch {

    /** References one script step examines at once. */
    private static final int BATCH = 256;

    private final RedisAccess redis;
    private final Keys keys;
    RedisSearch(RedisAccess redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public List<Message> search(String userId, SearchRequest request) {
        if (request.words().isEmpty() || request.limit() <= 0) {
            return List.of();
        }
        List<String> wordKeys = request.words().stream().map(w -> keys.word(userId, w)).toList();
        RedisAccess.Reply r = redis.run(RedisScript.SEARCH, wordKeys, List.of(Integer.toString(request.limit()),
                request.sessionId().orElse(""), Integer.toString(BATCH), keys.userBase(userId)));
        List<Object> values = r.orThrow("search").values();
        List<Message> hits = new ArrayList<>();
        for (int i = 0; i + 1 < values.size(); i += 2) {
            String ref = RedisAccess.text(values.get(i));
            if (!(values.get(i + 1) instanceof List<?> fields)) {
                continue; // an index entry without its message would be a bug; the scan's answer would not have it
            }
            int colon = ref.indexOf(':');
            Message m = RedisRecords.message(ref.substring(colon + 1), Long.parseLong(ref.substring(0, colon)),
                    RedisAccess.hash(fields));
            if (request.matches(m.content())) {
                hits.add(m);
            }
        }
        return TextSearch.newestFirst(hits, request.limit());
    }
}
