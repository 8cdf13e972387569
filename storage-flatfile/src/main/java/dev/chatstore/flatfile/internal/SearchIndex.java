package dev.chatstore.flatfile.internal;

import dev.chatstore.flatfile.internal.SearchManifest.SegmentRef;
import dev.chatstore.flatfile.internal.SearchManifest.Slot;

import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.spi.SearchRequest;
import dev.chatstore.api.spi.TextSearch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One user's full-text index, persisted in {@code users/<user>/search-index/} and derived from the message logs
 * (deleting the directory is always safe; it is rebuilt from the logs).
 *
 * <p>On disk: immutable segments ({@link SearchSegment}) and {@code manifest.json}, replaced atomically, which
 * lists the segments and, per session, the log it indexed: a slot number (the documents' owner in the segments),
 * the log's file identity, how many lines of it are indexed and the ID of the last indexed message. A slot is
 * trusted only while the log has the same identity, at least that many lines, and (checked once per process)
 * the same message at the last indexed line; otherwise its documents are ignored and the log is indexed anew
 * under a new slot. So deleted, replaced or salvaged logs never leak stale hits, and nothing here needs the
 * writers of the logs to know about the index.
 *
 * <p>Indexing is lazy: a search indexes what the logs gained beyond the manifest. Small gains (fewer than
 * {@link #PERSIST_AT} messages) are indexed in memory only; larger ones are written as a new segment under the
 * user's search lock (cross-process), after re-reading the manifest, so two processes never lose each other's
 * segments. Segments are merged when there are more than {@link #MAX_SEGMENTS} or when most documents are dead.
 *
 * <p>Words are exactly {@link TextSearch#words}, so the candidates are the matches; results are still checked
 * with {@link SearchRequest#matches} against the log before they are returned.
 */
final class SearchIndex {

    private static final Logger LOG = LoggerFactory.getLogger(SearchIndex.class);
    static final String DIR = "search-index";
    static final String MANIFEST = "manifest.json";
    static final int PERSIST_AT = 256;
    static final int MAX_SEGMENTS = 10;

    private final Path dir;
    private final int minWordLength;
    private final FileIo io;
    private final BooleanSupplier mayWrite;

    private SearchManifest manifest;
    private List<SearchSegment> segments = List.of();
    /** The open segments by file name (reused by the next manifest that still lists them). */
    private Map<String, SearchSegment> byName = Map.of();
    private final Set<String> validated = new HashSet<>();
    private SearchTail tail;
    /** The logs' version and the manifest the tail and {@link #liveSlots} were last brought up to date with. */
    private Object planVersion;
    private SearchManifest planManifest;
    private Map<Integer, String> liveSlots = Map.of();

    /** @param mayWrite whether this store may write derived files now (not read-only, no failed fsync) */
    SearchIndex(Path userDir, int minWordLength, FileIo io, BooleanSupplier mayWrite) {
        this.dir = userDir.resolve(DIR);
        this.minWordLength = minWordLength;
        this.io = io;
        this.mayWrite = mayWrite;
    }

    int minWordLength() {
        return minWordLength;
    }

    /** Session ID and seq of a hit. */
    record Hit(String sessionId, long seq) {
    }

    // ---- manifest -----------------------------------------------------------------------------------------

    /** The manifest on disk with its segments opened; an absent or damaged one reads as empty. */
    private void load() {
        Path file = dir.resolve(MANIFEST);
        for (int attempt = 0; ; attempt++) {
            Object stamp;
            try {
                stamp = SearchManifest.stamp(file);
            } catch (NoSuchFileException e) {
                use(SearchManifest.empty(minWordLength, manifest == null ? 0 : manifest.generation()), List.of());
                return;
            } catch (IOException e) {
                LOG.warn("{}: cannot read ({}); searching without it", file, e.getMessage());
                use(SearchManifest.empty(minWordLength, 0), List.of());
                return;
            }
            if (manifest != null && stamp.equals(manifest.stamp())) {
                return;
            }
            try {
                SearchManifest m = SearchManifest.parse(file, stamp, minWordLength);
                List<SearchSegment> open = new ArrayList<>();
                Map<String, SearchSegment> names = new HashMap<>();
                SegmentChecks checks = SegmentChecks.read(dir);
                for (SegmentRef ref : m.segments()) {
                    // segments are immutable and uniquely named: one this process opened before is reused
                    SearchSegment s = byName.get(ref.file());
                    if (s == null) {
                        s = openChecked(ref.file(), checks);
                    }
                    names.put(ref.file(), s);
                    if (s.docs() != ref.docs()) {
                        throw new SearchSegment.Damaged(ref.file() + " holds " + s.docs() + " documents, the manifest"
                                + " says " + ref.docs());
                    }
                    open.add(s);
                }
                if (mayWrite.getAsBoolean()) {
                    checks.saveIfChanged(names.keySet(), io);
                }
                use(m, open);
                byName = names;
                return;
            } catch (NoSuchFileException e) {
                if (attempt == 0) {
                    continue; // replaced by another process while we read it: read the new one
                }
                LOG.warn("{}: {} is missing; the index will be rebuilt from the logs", file, e.getMessage());
            } catch (IOException | SearchSegment.Damaged | StorageException | IllegalArgumentException e) {
                LOG.warn("{}: damaged ({}); the index will be rebuilt from the logs", file, e.getMessage());
            }
            use(new SearchManifest(stamp, manifest == null ? 0 : manifest.generation(), minWordLength, List.of(), Map.of(),
                    0, 0), List.of());
            byName = Map.of();
            return;
        }
    }

    /** Opens a segment, checking its whole checksum unless {@code checks} vouches for its unchanged file. */
    private SearchSegment openChecked(String name, SegmentChecks checks) throws IOException, SearchSegment.Damaged {
        Path segFile = dir.resolve(name);
        String segStamp = SegmentChecks.stamp(segFile);
        boolean known = checks.verified(name, segStamp);
        SearchSegment s = SearchSegment.open(segFile, !known);
        if (!known) {
            checks.verifiedNow(name, segStamp, Files.getLastModifiedTime(segFile).toMillis());
        }
        return s;
    }

    /** Adopts a manifest; the in-memory tail stays valid for every log whose first unindexed line is unchanged. */
    private void use(SearchManifest m, List<SearchSegment> open) {
        manifest = m;
        segments = open;
    }

    // ---- which lines of which log are indexed -------------------------------------------------------------

    /** Per session: the trusted slot (or null) and the first line not covered by it. */
    record Entry(String sessionId, MessageLog log, Slot slot, long fromLine, long lines, String fileKey) {
    }

    private List<Entry> plan(Map<String, MessageLog> logs) {
        List<Entry> out = new ArrayList<>(logs.size());
        for (Map.Entry<String, MessageLog> e : logs.entrySet()) {
            MessageLog.State st = e.getValue().state();
            String key = String.valueOf(st.fileKey());
            Slot s = manifest.bySession().get(e.getKey());
            boolean ok = s != null && s.fileKey().equals(key) && st.lines() >= s.lines() && sameLastLine(s, e.getValue());
            out.add(new Entry(e.getKey(), e.getValue(), ok ? s : null, ok ? s.lines() : 0, st.lines(), key));
        }
        return out;
    }

    private boolean sameLastLine(Slot s, MessageLog log) {
        if (s.lines() == 0) {
            return true;
        }
        String key = s.slot() + "/" + s.fileKey() + "/" + s.lines() + "/" + s.lastId();
        if (validated.contains(key)) {
            return true;
        }
        List<Message> m = log.readLines(s.lines() - 1, s.lines());
        boolean same = m.size() == 1 && m.get(0).id().equals(s.lastId());
        if (same) {
            validated.add(key);
        }
        return same;
    }

    private static long delta(List<Entry> plan) {
        long d = 0;
        for (Entry e : plan) {
            d += e.lines() - e.fromLine();
        }
        return d;
    }

    // ---- persisting ---------------------------------------------------------------------------------------

    /**
     * Writes what the logs gained as a new segment (merging segments when there are too many) and a new manifest.
     * Under the user's search lock; the manifest is re-read first.
     */
    private void persist(Map<String, MessageLog> logs) throws IOException {
        load();
        List<Entry> plan = plan(logs);
        if (!forcePersist && delta(plan) < PERSIST_AT && segments.size() <= MAX_SEGMENTS) {
            return; // another process did it meanwhile
        }
        io.createDirectories(dir);
        long generation = manifest.generation() + 1;
        int nextSlot = manifest.nextSlot();
        Map<String, Slot> slots = new LinkedHashMap<>();
        SegmentBuilder b = new SegmentBuilder();
        Progress progress = new Progress(delta(plan), plan.size());
        for (Entry e : plan) {
            int slotNo = e.slot() != null ? e.slot().slot() : nextSlot++;
            String[] lastId = {e.slot() != null ? e.slot().lastId() : ""};
            long[] taken = {0};
            long want = e.lines() - e.fromLine();
            if (want > 0) {
                e.log().forEach(e.fromLine(), m -> {
                    if (taken[0] < want) {
                        b.add(slotNo, m.seq(), m.createdAt().toEpochMilli(), TextSearch.words(m.content(),
                                minWordLength));
                        lastId[0] = m.id();
                        taken[0]++;
                        progress.indexed();
                    }
                });
            }
            slots.put(e.sessionId(), new Slot(slotNo, e.sessionId(), e.fileKey(), e.fromLine() + taken[0], lastId[0]));
        }
        long deadDocs = manifest.deadDocs();
        Set<Integer> live = new HashSet<>();
        for (Slot s : slots.values()) {
            live.add(s.slot());
        }
        for (Slot old : manifest.bySession().values()) {
            if (!live.contains(old.slot())) {
                deadDocs += old.lines();
            }
        }
        List<SegmentRef> refs = new ArrayList<>(manifest.segments());
        if (b.docs() > 0) {
            refs.add(SegmentFiles.write(io, dir, b, generation));
        }
        long total = 0;
        for (SegmentRef r : refs) {
            total += r.docs();
        }
        if (refs.size() > MAX_SEGMENTS || (deadDocs > 1000 && deadDocs * 2 > total)) {
            List<SearchSegment> all = new ArrayList<>(segments);
            if (b.docs() > 0) {
                all.add(SegmentFiles.openWritten(dir, refs.get(refs.size() - 1)));
            }
            boolean everything = deadDocs * 2 > total;
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < refs.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingInt(i -> refs.get(i).docs()));
            int mergeCount = everything ? refs.size() : refs.size() - MAX_SEGMENTS / 2;
            Set<Integer> merged = new HashSet<>(order.subList(0, Math.min(refs.size(), Math.max(2, mergeCount))));
            SegmentBuilder m = new SegmentBuilder();
            for (int i : order) {
                if (merged.contains(i)) {
                    SegmentFiles.mergeInto(m, all.get(i), live);
                }
            }
            List<SegmentRef> kept = new ArrayList<>();
            for (int i = 0; i < refs.size(); i++) {
                if (!merged.contains(i)) {
                    kept.add(refs.get(i));
                }
            }
            if (m.docs() > 0) {
                kept.add(SegmentFiles.write(io, dir, m, generation));
            }
            refs.clear();
            refs.addAll(kept);
            if (everything) {
                deadDocs = 0;
            }
        }
        SearchManifest.write(io, dir.resolve(MANIFEST), generation, minWordLength, refs, slots, nextSlot, deadDocs);
        SegmentFiles.removeUnlisted(dir, refs);
        LOG.debug("{}: generation {} with {} segment(s)", dir, generation, refs.size());
        progress.done();
        load();
    }

    /**
     * INFO lines while a big gain is indexed (a store whose index is missing or older than its logs, e.g. one
     * written before the index existed): how many messages of how many sessions, and how far it got.
     */
    private final class Progress {
        private static final long BIG = 50_000;
        private static final long EVERY = 100_000;
        private final long total;
        private final long started = System.nanoTime();
        private long done;

        Progress(long total, int sessions) {
            this.total = total;
            if (total >= BIG) {
                LOG.info("{}: indexing {} message(s) of {} session(s) that the search index does not cover yet",
                        dir, total, sessions);
            }
        }

        void indexed() {
            done++;
            if (total >= BIG && done % EVERY == 0) {
                LOG.info("{}: indexed {} of {} message(s)", dir, done, total);
            }
        }

        void done() {
            if (total >= BIG) {
                LOG.info("{}: indexed {} message(s) in {} ms", dir, done, (System.nanoTime() - started) / 1_000_000);
            }
        }
    }

    // ---- searching ----------------------------------------------------------------------------------------

    /**
     * Brings the index up to date with the user's logs (session ID to log, each with a known state) and returns
     * the best {@code want} candidates in result order (all of them if {@code want} is negative).
     *
     * @param lock    the user's search lock, or null when this store may not write (then everything new stays in
     *                memory)
     * @param version equal to the previous call's when no log in {@code logs} changed since (then, if the manifest
     *                is the same too, nothing is re-planned: a search costs the same whatever the number of
     *                sessions); null if unknown
     */
    synchronized List<Hit> candidates(SearchRequest request, int want, Map<String, MessageLog> logs,
                                      Supplier<StoreLocks.Held> lock, Object version) {
        load();
        if (version == null || !version.equals(planVersion) || manifest != planManifest || tail == null) {
            catchUp(logs, lock);
            planVersion = version;
            planManifest = manifest;
        }
        return best(request, want, logs);
    }

    /** Brings the index up to date with the logs, persisting a gain of at least {@link #PERSIST_AT} messages. */
    synchronized void catchUpNow(Map<String, MessageLog> logs, Supplier<StoreLocks.Held> lock) {
        load();
        catchUp(logs, lock);
        planVersion = null; // the next search plans again
    }

    /** Indexes what the logs gained (persisting a large gain) and notes which slot belongs to which session. */
    private void catchUp(Map<String, MessageLog> logs, Supplier<StoreLocks.Held> lock) {
        List<Entry> plan = plan(logs);
        if (lock != null && (delta(plan) >= PERSIST_AT || segments.size() > MAX_SEGMENTS)) {
            try (StoreLocks.Held held = lock.get()) {
                persist(logs);
            } catch (IOException | StorageException e) {
                LOG.warn("{}: cannot update the search index ({}); searching with an in-memory index", dir,
                        e.getMessage());
            }
            load();
            plan = plan(logs);
        }
        tail = SearchTail.update(tail, plan, minWordLength);
        Map<Integer, String> live = new HashMap<>();
        for (Entry e : plan) {
            if (e.slot() != null) {
                live.put(e.slot().slot(), e.sessionId());
            }
        }
        liveSlots = live;
    }

    /** The best {@code want} candidates in result order (all if negative) from the segments and the tail. */
    private List<Hit> best(SearchRequest request, int want, Map<String, MessageLog> logs) {
        Optional<String> only = request.sessionId();
        List<Candidate> found = new ArrayList<>();
        PriorityQueue<Candidate> top = new PriorityQueue<>(ORDER.reversed());
        List<Postings> sources = new ArrayList<>(segments);
        sources.add(tail.docs());
        for (int i = 0; i < sources.size(); i++) {
            Postings p = sources.get(i);
            Function<Integer, String> owner = i < segments.size() ? liveSlots::get
                    : ord -> tail.owner(ord, logs);
            for (int doc : intersect(p, request.words())) {
                String sid = owner.apply(p.slot(doc));
                if (sid == null || (only.isPresent() && !only.get().equals(sid))) {
                    continue;
                }
                Candidate c = new Candidate(p.createdAt(doc), sid, p.seq(doc));
                if (want < 0) {
                    found.add(c);
                } else {
                    top.add(c);
                    if (top.size() > want) {
                        top.poll();
                    }
                }
            }
        }
        List<Candidate> chosen = want < 0 ? found : new ArrayList<>(top);
        chosen.sort(ORDER);
        List<Hit> hits = new ArrayList<>(chosen.size());
        for (Candidate c : chosen) {
            hits.add(new Hit(c.sessionId(), c.seq()));
        }
        return hits;
    }

    private record Candidate(long createdAt, String sessionId, long seq) {
    }

    private static final Comparator<Candidate> ORDER = Comparator.comparingLong(Candidate::createdAt).reversed()
            .thenComparing(Candidate::sessionId, dev.chatstore.api.spi.Orderings.CODE_POINTS).thenComparing(Comparator.comparingLong(Candidate::seq).reversed());

    private static int[] intersect(Postings p, List<String> words) {
        if (words.isEmpty()) {
            return new int[0];
        }
        List<int[]> lists = new ArrayList<>();
        for (String w : words) {
            int[] l = p.postings(w);
            if (l == null) {
                return new int[0];
            }
            lists.add(l);
        }
        lists.sort(Comparator.comparingInt(l -> l.length));
        int[] first = lists.get(0);
        int[] out = new int[first.length];
        int n = 0;
        int[] cursors = new int[lists.size()];
        outer:
        for (int doc : first) {
            for (int k = 1; k < lists.size(); k++) {
                int[] l = lists.get(k);
                int c = cursors[k];
                while (c < l.length && l[c] < doc) {
                    c++;
                }
                cursors[k] = c;
                if (c >= l.length) {
                    break outer;
                }
                if (l[c] != doc) {
                    continue outer;
                }
            }
            out[n++] = doc;
        }
        return Arrays.copyOf(out, n);
    }

    /** Runs the search: candidates from the index, each checked against the one definition of a match. */
    List<Message> search(SearchRequest request, Map<String, MessageLog> logs, Supplier<StoreLocks.Held> lock,
                         Object version) {
        List<Hit> best = candidates(request, request.limit(), logs, lock, version);
        List<Message> out = check(best, request, logs);
        if (out.size() < best.size()) {
            // a candidate failed: look further
            out = check(candidates(request, -1, logs, lock, version), request, logs);
        }
        return out.size() > request.limit() ? out.subList(0, request.limit()) : out;
    }

    private static List<Message> check(List<Hit> hits, SearchRequest request, Map<String, MessageLog> logs) {
        List<Message> out = new ArrayList<>();
        for (Hit h : hits) {
            MessageLog log = logs.get(h.sessionId());
            if (log == null) {
                continue;
            }
            LogLookups.bySeq(log, h.seq()).filter(m -> request.matches(m.content())).ifPresent(out::add);
            if (out.size() >= request.limit()) {
                break;
            }
        }
        out.sort(TextSearch.RESULT_ORDER);
        return out;
    }

    /** Deletes the persisted index (check --repair, before a rebuild). */
    static void delete(Path userDir) {
        Path d = userDir.resolve(DIR);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
            for (Path p : ds) {
                AtomicFiles.deleteQuietly(p);
            }
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            LOG.warn("{}: cannot list: {}", d, e.getMessage());
        }
        AtomicFiles.deleteQuietly(d);
    }

    /** Builds (or brings up to date) the persisted index now, whatever the size of the gain (check --repair). */
    synchronized void persistNow(Map<String, MessageLog> logs, Supplier<StoreLocks.Held> lock) {
        try (StoreLocks.Held held = lock.get()) {
            load();
            io.createDirectories(dir);
            forcePersist = true;
            persist(logs);
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("write the search index in", dir, e);
        } finally {
            forcePersist = false;
        }
    }

    private boolean forcePersist;
}
