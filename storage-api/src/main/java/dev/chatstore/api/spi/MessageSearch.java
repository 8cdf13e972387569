package dev.chatstore.api.spi;

import dev.chatstore.api.model.Message;

import java.util.List;

/**
 * A backend's native full-text search. Optional: a backend without one ({@link StorageBackend#search()} empty) is
 * searched by the core, which scans the user's logs with {@link TextSearch}. A native index may only narrow the
 * candidates; the answer must equal the scan's.
 */
public interface MessageSearch {

    /**
     * The user's session messages (all sessions, or the request's one) that match, in
     * {@link TextSearch#RESULT_ORDER}, at most {@code request.limit()}.
     */
    List<Message> search(String userId, SearchRequest request);
}
