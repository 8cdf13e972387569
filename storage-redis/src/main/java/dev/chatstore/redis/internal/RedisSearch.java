package dev.chatstore.redis.internal;

import dev.chatstore.api.model.Message;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.MessageSearch;
import dev.chatstore.api.spi.SearchRequest;
import dev.chatstore.api.spi.TextSearch;

import java.util.ArrayList;
import java.util.List;

/**
 * Search without RediSearch: the append script keeps, per user and word, a sorted set of message references
 * ({@code <seq>:<sessionId>}) scored by createdAt. A query script walks the smallest of the query words' sets
 * newest-first, keeps the references every other set also holds ({@code ZMSCORE}) and stops once it has the
 * limit and has passed the last hit's time; the hits are then read, put in {@link TextSearch#RESULT_ORDER} and
 * cut to the limit. The index holds exactly the words {@link TextSearch} finds, so the answer is the scan's.
 */
final class RedisSearch implements MessageSearch {

    /** References one script step examines at once. */
    private static final int BATCH = 256;

    private final RedisAccess redis;
    private final Keys keys;
    private final RedisLogs logs;

    RedisSearch(RedisAccess redis, Keys keys, RedisLogs logs) {
        this.redis = redis;
        this.keys = keys;
        this.logs = logs;
    }

    @Override
    public List<Message> search(String userId, SearchRequest request) {
        if (request.words().isEmpty() || request.limit() <= 0) {
            return List.of();
        }
        List<String> wordKeys = request.words().stream().map(w -> keys.word(userId, w)).toList();
        RedisAccess.Reply r = redis.run(RedisScript.SEARCH, wordKeys, List.of(Integer.toString(request.limit()),
                request.sessionId().orElse(""), Integer.toString(BATCH)));
        List<Message> hits = new ArrayList<>();
        for (Object ref : r.orThrow("search").values()) {
            String text = RedisAccess.text(ref);
            int colon = text.indexOf(':');
            long seq = Long.parseLong(text.substring(0, colon));
            String sessionId = text.substring(colon + 1);
            try {
                logs.findBySeq(LogRef.session(userId, sessionId), seq)
                        .filter(m -> request.matches(m.content()))
                        .ifPresent(hits::add);
            } catch (dev.chatstore.api.error.NotFoundException deletedMeanwhile) {
                // the session went away between the query and the read: not a hit any more
            }
        }
        return TextSearch.newestFirst(hits, request.limit());
    }
}
