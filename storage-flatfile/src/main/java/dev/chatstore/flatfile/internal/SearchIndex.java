package dev.chatstore.flatfile.internal;

import dev.chatstore.api.model.Message;
import dev.chatstore.api.spi.SearchRequest;
import dev.chatstore.api.spi.TextSearch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * One user's full-text index: an in-memory inverted index (word to the messages that contain it), derived from
 * the message logs and brought up to date by reading only what the logs gained since (each log's line count and
 * file identity are remembered, so appends by other processes are picked up and a replaced log is re-read).
 * Words are exactly {@link TextSearch#words}, so the candidates are the matches; results are still checked with
 * {@link SearchRequest#matches} before they are returned.
 */
final class SearchIndex {

    private final int minWordLength;

    private int docs;
    private int[] docOrd = new int[1024];
    private long[] docSeq = new long[1024];
    private long[] docCreated = new long[1024];

    private final List<String> ordSession = new ArrayList<>();
    private final List<Object> ordFileKey = new ArrayList<>();
    private final List<long[]> ordIndexed = new ArrayList<>();
    private final Map<String, Integer> current = new HashMap<>();
    private final Map<String, IntList> postings = new HashMap<>();
    private int staleDocs;

    SearchIndex(int minWordLength) {
        this.minWordLength = minWordLength;
    }

    int minWordLength() {
        return minWordLength;
    }

    private static final class IntList {
        int[] a = new int[4];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }
    }

    /** Brings the index up to date with the user's current logs (session ID to log, already refreshed). */
    synchronized void update(Map<String, MessageLog> logs) {
        for (Map.Entry<String, Integer> e : List.copyOf(current.entrySet())) {
            if (!logs.containsKey(e.getKey())) {
                current.remove(e.getKey());
                staleDocs += (int) ordIndexed.get(e.getValue())[0];
            }
        }
        for (Map.Entry<String, MessageLog> e : logs.entrySet()) {
            String sid = e.getKey();
            MessageLog log = e.getValue();
            MessageLog.State st = log.state();
            Integer ord = current.get(sid);
            if (ord != null && !Objects.equals(ordFileKey.get(ord), st.fileKey())) {
                staleDocs += (int) ordIndexed.get(ord)[0];
                ord = null;
            }
            if (ord == null) {
                ord = ordSession.size();
                ordSession.add(sid);
                ordFileKey.add(st.fileKey());
                ordIndexed.add(new long[]{0});
                current.put(sid, ord);
            }
            long[] indexed = ordIndexed.get(ord);
            if (st.lines() > indexed[0]) {
                int o = ord;
                log.forEach(indexed[0], m -> {
                    add(o, m);
                    indexed[0]++;
                });
            }
        }
        if (staleDocs > 1000 && staleDocs > docs / 2) {
            clear(); // mostly deleted sessions: start over at the next update
            update(logs);
        }
    }

    private void clear() {
        docs = 0;
        staleDocs = 0;
        ordSession.clear();
        ordFileKey.clear();
        ordIndexed.clear();
        current.clear();
        postings.clear();
    }

    private void add(int ord, Message m) {
        if (docs == docOrd.length) {
            int n = docs * 2;
            docOrd = Arrays.copyOf(docOrd, n);
            docSeq = Arrays.copyOf(docSeq, n);
            docCreated = Arrays.copyOf(docCreated, n);
        }
        int doc = docs++;
        docOrd[doc] = ord;
        docSeq[doc] = m.seq();
        docCreated[doc] = m.createdAt().toEpochMilli();
        for (String w : TextSearch.words(m.content(), minWordLength)) {
            postings.computeIfAbsent(w, k -> new IntList()).add(doc);
        }
    }

    /** Session ID and seq of a hit. */
    record Hit(String sessionId, long seq) {
    }

    /** The best {@code want} candidates in result order, or all of them if {@code want} is negative. */
    synchronized List<Hit> candidates(SearchRequest request, int want) {
        List<IntList> lists = new ArrayList<>();
        for (String w : request.words()) {
            IntList l = postings.get(w);
            if (l == null) {
                return List.of();
            }
            lists.add(l);
        }
        if (lists.isEmpty()) {
            return List.of();
        }
        lists.sort(Comparator.comparingInt(l -> l.n));
        Optional<Integer> onlyOrd = request.sessionId().map(current::get);
        if (request.sessionId().isPresent() && onlyOrd.isEmpty()) {
            return List.of();
        }
        Comparator<Integer> order = (x, y) -> {
            int c = Long.compare(docCreated[y], docCreated[x]);
            if (c != 0) {
                return c;
            }
            c = ordSession.get(docOrd[x]).compareTo(ordSession.get(docOrd[y]));
            return c != 0 ? c : Long.compare(docSeq[y], docSeq[x]);
        };
        PriorityQueue<Integer> top = new PriorityQueue<>(order.reversed());
        List<Integer> all = new ArrayList<>();
        IntList first = lists.get(0);
        int[] cursors = new int[lists.size()];
        outer:
        for (int i = 0; i < first.n; i++) {
            int doc = first.a[i];
            for (int k = 1; k < lists.size(); k++) {
                IntList l = lists.get(k);
                int c = cursors[k];
                while (c < l.n && l.a[c] < doc) {
                    c++;
                }
                cursors[k] = c;
                if (c >= l.n) {
                    break outer;
                }
                if (l.a[c] != doc) {
                    continue outer;
                }
            }
            int ord = docOrd[doc];
            if (onlyOrd.isPresent() ? ord != onlyOrd.get() : !Integer.valueOf(ord).equals(current.get(ordSession.get(ord)))) {
                continue;
            }
            if (want < 0) {
                all.add(doc);
            } else {
                top.add(doc);
                if (top.size() > want) {
                    top.poll();
                }
            }
        }
        List<Integer> chosen = want < 0 ? all : new ArrayList<>(top);
        chosen.sort(order);
        List<Hit> hits = new ArrayList<>(chosen.size());
        for (int doc : chosen) {
            hits.add(new Hit(ordSession.get(docOrd[doc]), docSeq[doc]));
        }
        return hits;
    }

    /** Runs the search: candidates from the index, each checked against the one definition of a match. */
    List<Message> search(SearchRequest request, Function<String, MessageLog> logs) {
        List<Hit> best = candidates(request, request.limit());
        List<Message> out = check(best, request, logs);
        if (out.size() < best.size()) {
            out = check(candidates(request, -1), request, logs); // a candidate failed the check: look further
        }
        return out.size() > request.limit() ? out.subList(0, request.limit()) : out;
    }

    private static List<Message> check(List<Hit> hits, SearchRequest request, Function<String, MessageLog> logs) {
        List<Message> out = new ArrayList<>();
        for (Hit h : hits) {
            MessageLog log = logs.apply(h.sessionId());
            if (log == null) {
                continue;
            }
            log.bySeq(h.seq()).filter(m -> request.matches(m.content())).ifPresent(out::add);
            if (out.size() >= request.limit()) {
                break;
            }
        }
        out.sort(TextSearch.RESULT_ORDER);
        return out;
    }
}
