package dev.chatstore.api.model;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A full-text search over one user's messages: {@code SearchQuery.of("postgres index").inSession(id).limit(10)}.
 *
 * <p>The query and the text are split into words (maximal runs of Unicode letters and digits, with combining
 * marks kept inside the word they follow), compared case-insensitively after canonical (NFC) normalisation.
 * Words shorter than {@code search.min-word-length} are ignored. A message matches when it contains every
 * remaining query word as a whole word. A query with no remaining word matches nothing.
 *
 * @param text      the query text
 * @param sessionId restricts the search to one session of the user
 * @param limit     the maximum number of results, or empty for {@code paging.search-default-limit}
 */
public record SearchQuery(String text, Optional<String> sessionId, OptionalInt limit) {

    public SearchQuery {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(limit, "limit");
    }

    public static SearchQuery of(String text) {
        return new SearchQuery(text, Optional.empty(), OptionalInt.empty());
    }

    public SearchQuery inSession(String newSessionId) {
        return new SearchQuery(text, Optional.of(newSessionId), limit);
    }

    public SearchQuery limit(int newLimit) {
        return new SearchQuery(text, sessionId, OptionalInt.of(newLimit));
    }
}
