package dev.chatstore.flatfile.internal;

import dev.chatstore.api.spi.TextSearch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a user's {@link SearchIndex} that is in memory only: the documents of what the logs gained beyond
 * the persisted segments (fewer than {@link SearchIndex#PERSIST_AT} messages, or everything on a store that may not
 * write). Each session gets an ordinal in {@link #docs()}; its range is valid while its log keeps the same file and
 * indexed prefix.
 */
final class SearchTail {

    private final SegmentBuilder docs = new SegmentBuilder();
    private final List<String> sessions = new ArrayList<>();
    private final Map<String, long[]> range = new HashMap<>(); // session -> {ordinal, fromLine, indexedTo}
    private final Map<String, String> fileKeys = new HashMap<>();

    /** The documents, as postings whose slot is the session's ordinal ({@link #owner}). */
    Postings docs() {
        return docs;
    }

    /** The session of a tail ordinal, if its log is still one of the user's. */
    String owner(int ordinal, Map<String, MessageLog> logs) {
        String sessionId = sessions.get(ordinal);
        return logs.containsKey(sessionId) ? sessionId : null;
    }

    /**
     * The tail brought up to date with the plan: the same one extended by what the logs gained, or a new one when a
     * log was replaced or its indexed part moved.
     */
    static SearchTail update(SearchTail tail, List<SearchIndex.Entry> plan, int minWordLength) {
        if (tail != null) {
            for (SearchIndex.Entry e : plan) {
                long[] r = tail.range.get(e.sessionId());
                if (r != null && (r[1] != e.fromLine() || r[2] > e.lines()
                        || !e.fileKey().equals(tail.fileKeys.get(e.sessionId())))) {
                    tail = null; // a log was replaced or a slot changed: start the tail over
                    break;
                }
            }
        }
        if (tail == null) {
            tail = new SearchTail();
        }
        SearchTail t = tail;
        for (SearchIndex.Entry e : plan) {
            long[] r = t.range.get(e.sessionId());
            if (r == null) {
                r = new long[]{t.sessions.size(), e.fromLine(), e.fromLine()};
                t.sessions.add(e.sessionId());
                t.range.put(e.sessionId(), r);
                t.fileKeys.put(e.sessionId(), e.fileKey());
            }
            long want = e.lines() - r[2];
            if (want > 0) {
                long[] range = r;
                int ord = (int) r[0];
                long[] taken = {0};
                e.log().forEach(r[2], m -> {
                    if (taken[0] < want) {
                        t.docs.add(ord, m.seq(), m.createdAt().toEpochMilli(), TextSearch.words(m.content(),
                                minWordLength));
                        taken[0]++;
                    }
                });
                range[2] += taken[0];
            }
        }
        return t;
    }
}
