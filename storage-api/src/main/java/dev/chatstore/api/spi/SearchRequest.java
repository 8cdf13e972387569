package dev.chatstore.api.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A search as the backend receives it: the query already split into normalised words (see {@link TextSearch}),
 * each at least the configured minimum length, never empty.
 *
 * @param words         the query words, lowercase NFC, distinct
 * @param minWordLength the configured minimum word length the words were filtered with
 * @param sessionId     restrict to this session of the user
 * @param limit         the maximum number of results
 */
public record SearchRequest(List<String> words, int minWordLength, Optional<String> sessionId, int limit) {

    public SearchRequest {
        words = List.copyOf(words);
        Objects.requireNonNull(sessionId, "sessionId");
    }

    /** Whether a message text matches this request. */
    public boolean matches(String content) {
        return TextSearch.matches(content, words, minWordLength);
    }
}
