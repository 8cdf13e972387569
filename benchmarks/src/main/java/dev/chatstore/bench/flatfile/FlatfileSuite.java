package dev.chatstore.bench.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.SearchQuery;
import dev.chatstore.api.spi.SearchRequest;
import dev.chatstore.api.spi.TextSearch;
import dev.chatstore.bench.BenchSettings;
import dev.chatstore.bench.BenchmarkSuite;
import dev.chatstore.bench.Result;
import dev.chatstore.bench.Scenario;
import dev.chatstore.bench.Timer;
import dev.chatstore.bench.Workspace;
import dev.chatstore.flatfile.FlatfileBackendProvider;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The CONTRACT §8 flatfile lines, each beside its baseline. */
public final class FlatfileSuite implements BenchmarkSuite {

    @Override
    public String name() {
        return "flatfile";
    }

    @Override
    public List<Scenario> scenarios(BenchSettings s) {
        return List.of(appendVsRawFsync(s), deepVsShallowAppend(s), lastFiftyBigVsSmall(s),
                ColdPathScenarios.coldVsWarmLastFifty(s), writers(s), search(s), ColdPathScenarios.coldVsWarmSearch(s),
                ColdPathScenarios.searchManySessionsVsOne(s), listSessions(s));
    }

    // ---- shared helpers ------------------------------------------------------------------------------------

    static final String[] VOCABULARY = vocabulary(2000);

    private static String[] vocabulary(int n) {
        Random r = new Random(7);
        String[] words = new String[n];
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            int len = 4 + r.nextInt(6);
            for (int k = 0; k < len; k++) {
                b.append((char) ('a' + r.nextInt(26)));
            }
            words[i] = b.toString();
        }
        return words;
    }

    /** A chat-sized message (about 150-250 characters) of vocabulary words. */
    static String text(Random r, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(VOCABULARY[r.nextInt(VOCABULARY.length)]);
        }
        return b.toString();
    }

    static ChatStore open(Path dir, Durability durability) {
        return ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir.resolve("data"))
                        .durability(durability)
                        .set("limits.max-messages-per-session", 10_000_000)
                        .set("paging.max-limit", 100_000)
                        .build())
                .provider(new FlatfileBackendProvider()).open();
    }

    /** Appends {@code n} messages quickly (durability none, batches of 1000) to build a large session. */
    static void fill(Path dir, String user, String session, long n, Random r) {
        try (ChatStore store = open(dir, Durability.NONE)) {
            if (store.users().get(user).isEmpty()) {
                store.users().create(user);
            }
            if (store.sessions().get(user, session).isEmpty()) {
                store.sessions().create(user, NewSession.titled("bench").withId(session));
            }
            long done = store.messages().count(user, session);
            List<NewMessage> batch = new ArrayList<>(1000);
            while (done < n) {
                batch.clear();
                for (int i = 0; i < 1000 && done + i < n; i++) {
                    batch.add(NewMessage.user(text(r, 24)));
                }
                store.messages().appendAll(user, session, batch);
                done += batch.size();
            }
        }
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String us(Timer t) {
        return t.toString();
    }

    abstract static class Named implements Scenario {
        private final String name;
        private final String target;

        Named(String name, String target) {
            this.name = name;
            this.target = target;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String target() {
            return target;
        }
    }

    // ---- 1. append with sync vs raw write + fsync -----------------------------------------------------------

    static Scenario appendVsRawFsync(BenchSettings s) {
        return new Named("append-sync-vs-raw-fsync",
                "flatfile append with sync durability within 1.3x of a raw write + fsync of the same bytes") {
            @Override
            public Result run(Workspace w) throws Exception {
                Random r = new Random(1);
                int n = s.iterations();
                int blocks = 20;
                int per = Math.max(1, n / blocks);
                Path rawFile = w.dir().resolve("raw.jsonl");
                List<Timer> storeBlocks = new ArrayList<>();
                List<Timer> rawBlocks = new ArrayList<>();
                byte[] line;
                try (ChatStore cs = open(w.dir(), Durability.SYNC);
                     FileChannel ch = FileChannel.open(rawFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    cs.users().create("u");
                    String sid = cs.sessions().create("u", NewSession.titled("t").withId("s")).id();
                    Timer.measure(50, 0, i -> cs.messages().append("u", sid, NewMessage.user(text(r, 24))));
                    List<String> lines = Files.readAllLines(w.dir().resolve("data/users/u/sessions/s/messages.jsonl"));
                    line = (lines.get(lines.size() - 1) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    AtomicLong pos = new AtomicLong();
                    Timer.Op rawOp = i -> {
                        ByteBuffer bb = ByteBuffer.wrap(line);
                        while (bb.hasRemaining()) {
                            pos.addAndGet(ch.write(bb, pos.get()));
                        }
                        ch.force(false);
                    };
                    Timer.measure(50, 0, rawOp);
                    // interleaved blocks, so that the disk's and the machine's noise hits both sides alike
                    for (int b = 0; b < blocks; b++) {
                        storeBlocks.add(Timer.measure(0, per, i -> cs.messages().append("u", sid,
                                NewMessage.user(text(r, 24)))));
                        rawBlocks.add(Timer.measure(0, per, rawOp));
                    }
                }
                Timer store = Timer.combine(storeBlocks);
                Timer raw = Timer.combine(rawBlocks);
                NaiveJsonStore naive = new NaiveJsonStore(w.dir().resolve("naive.json"));
                Timer naiveT = Timer.measure(0, Math.min(n, 1000), i -> naive.append("user", text(r, 24)));
                double ratio = store.meanMicros() / raw.meanMicros();
                return new Result()
                        .row("Chatstore append, durability sync (" + line.length + "-byte line)", us(store))
                        .row("baseline: raw FileChannel write + force(false) of the same bytes", us(raw))
                        .row("naive store (rewrite whole JSON + fsync), first " + Math.min(n, 1000) + " appends",
                                us(naiveT))
                        .ratio("append / raw write+fsync (mean)", ratio, ratio <= 1.3);
            }
        };
    }

    // ---- 2. append #100,000 vs #10 ---------------------------------------------------------------------------

    static Scenario deepVsShallowAppend(BenchSettings s) {
        return new Named("append-at-" + s.deepAppendAt() + "-vs-10",
                "append cost at message " + s.deepAppendAt() + " within 1.2x of the cost at message 10") {
            @Override
            public Result run(Workspace w) throws Exception {
                Random r = new Random(2);
                int n = Math.max(50, s.iterations() / 4);
                fill(w.dir(), "u", "deep", s.deepAppendAt() - 1, r);
                Timer shallow;
                Timer deep;
                try (ChatStore cs = open(w.dir(), Durability.SYNC)) {
                    List<String> shallowSessions = new ArrayList<>();
                    for (int k = 0; k < n + 10; k++) {
                        String sid = "shallow-" + k;
                        cs.sessions().create("u", NewSession.titled("t").withId(sid));
                        List<NewMessage> nine = new ArrayList<>();
                        for (int i = 0; i < 9; i++) {
                            nine.add(NewMessage.user(text(r, 24)));
                        }
                        cs.messages().appendAll("u", sid, nine);
                        shallowSessions.add(sid);
                    }
                    // first touch (checks the log) and fsync of the pages the fast fill left dirty, untimed
                    cs.messages().last("u", "deep", 1);
                    Timer.measure(20, 0, i -> cs.messages().append("u", "deep", NewMessage.user(text(r, 24))));
                    // interleaved blocks: each shallow op is append #10 of its own session; the deep ones run from
                    // #deepAppendAt+20 on (within 0.5% of it)
                    List<Timer> shallowBlocks = new ArrayList<>();
                    List<Timer> deepBlocks = new ArrayList<>();
                    int blocks = 10;
                    int per = Math.max(1, n / blocks);
                    AtomicLong next = new AtomicLong();
                    for (int b = 0; b < blocks; b++) {
                        shallowBlocks.add(Timer.measure(0, per, i -> cs.messages().append("u",
                                shallowSessions.get((int) next.getAndIncrement()), NewMessage.user(text(r, 24)))));
                        deepBlocks.add(Timer.measure(0, per, i -> cs.messages().append("u", "deep",
                                NewMessage.user(text(r, 24)))));
                    }
                    shallow = Timer.combine(shallowBlocks);
                    deep = Timer.combine(deepBlocks);
                }
                NaiveJsonStore naive = new NaiveJsonStore(w.dir().resolve("naive.json"));
                for (int i = 0; i < 9; i++) {
                    naive.append("user", text(r, 24));
                }
                Timer naive10 = Timer.measure(0, 1, i -> naive.append("user", text(r, 24)));
                for (int i = 10; i < 1999; i++) {
                    naive.append("user", text(r, 24));
                }
                Timer naive2000 = Timer.measure(0, 20, i -> naive.append("user", text(r, 24)));
                double ratio = deep.meanMicros() / shallow.meanMicros();
                return new Result()
                        .row("append #10 (sync)", us(shallow))
                        .row("append #" + (s.deepAppendAt() + 20) + " .. #" + (s.deepAppendAt() + 19 + n) + " (sync)",
                                us(deep))
                        .row("naive store: append #10", us(naive10))
                        .row("naive store: append #2,000 .. #2,019", us(naive2000))
                        .ratio("#" + s.deepAppendAt() + " / #10 (mean)", ratio, ratio <= 1.2);
            }
        };
    }

    // ---- 3. last 50 of a 1,000,000-message session vs a 100-message one -----------------------------------

    static Scenario lastFiftyBigVsSmall(BenchSettings s) {
        return new Named("last-50-of-" + s.bigSession() + "-vs-100",
                "last 50 messages of a " + s.bigSession() + "-message session within 2x of the same read on a"
                        + " 100-message session") {
            @Override
            public Result run(Workspace w) throws Exception {
                Random r = new Random(3);
                long t0 = System.nanoTime();
                fill(w.dir(), "u", "big", s.bigSession(), r);
                double fillSeconds = (System.nanoTime() - t0) / 1e9;
                fill(w.dir(), "u", "small", 100, r);
                Timer big;
                Timer small;
                double firstTouchMillis;
                try (ChatStore cs = open(w.dir(), Durability.SYNC)) {
                    long t1 = System.nanoTime();
                    cs.messages().last("u", "big", 50);
                    firstTouchMillis = (System.nanoTime() - t1) / 1e6;
                    cs.messages().last("u", "small", 50);
                    small = Timer.measure(200, s.iterations(), i -> cs.messages().last("u", "small", 50));
                    big = Timer.measure(200, s.iterations(), i -> cs.messages().last("u", "big", 50));
                }
                double ratio = big.meanMicros() / small.meanMicros();
                return new Result()
                        .row("last 50 of a 100-message session", us(small))
                        .row("last 50 of a " + s.bigSession() + "-message session", us(big))
                        .row("first read of the big session in a new store instance (checks only what"
                                + " messages.verified does not cover)",
                                f1(firstTouchMillis) + " ms")
                        .row("building the big session (durability none, batches of 1000)", f1(fillSeconds) + " s")
                        .ratio("big / small (mean)", ratio, ratio <= 2.0);
            }
        };
    }

    // ---- 4. 16 concurrent writers vs 1 ------------------------------------------------------------------------

    static Scenario writers(BenchSettings s) {
        return new Named("16-writers-vs-1", "16 concurrent writers with sync durability: at least 5x the throughput"
                + " of one writer (group commit)") {
            @Override
            public Result run(Workspace w) throws Exception {
                double one;
                double sixteen;
                double sixteenSessions;
                try (ChatStore cs = open(w.dir(), Durability.SYNC)) {
                    cs.users().create("u");
                    cs.sessions().create("u", NewSession.titled("t").withId("shared"));
                    for (int i = 0; i < 16; i++) {
                        cs.sessions().create("u", NewSession.titled("t").withId("own-" + i));
                    }
                    throughput(cs, 1, false, 1.0); // warm-up
                    one = throughput(cs, 1, false, s.writerSeconds());
                    sixteen = throughput(cs, 16, false, s.writerSeconds());
                    sixteenSessions = throughput(cs, 16, true, s.writerSeconds());
                }
                double ratio = sixteen / one;
                return new Result()
                        .row("1 writer, sync", f1(one) + " appends/s")
                        .row("16 writers on one session, sync (group commit)", f1(sixteen) + " appends/s")
                        .row("16 writers on 16 sessions, sync (one fsync per log)", f1(sixteenSessions) + " appends/s")
                        .ratio("16 writers / 1 writer, same session", ratio, ratio >= 5.0);
            }
        };
    }

    private static double throughput(ChatStore cs, int threads, boolean ownSessions, double seconds)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong count = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String sid = ownSessions ? "own-" + t : "shared";
            Random r = new Random(100 + t);
            Thread th = new Thread(() -> {
                while (!stop.get()) {
                    cs.messages().append("u", sid, NewMessage.user(text(r, 24)));
                    count.incrementAndGet();
                }
            });
            ts.add(th);
        }
        long t0 = System.nanoTime();
        ts.forEach(Thread::start);
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread th : ts) {
            th.join();
        }
        return count.get() / ((System.nanoTime() - t0) / 1e9);
    }

    // ---- 5. search over 1,000,000 messages ------------------------------------------------------------------

    static Scenario search(BenchSettings s) {
        return new Named("search-" + s.bigSession(), "search over " + s.bigSession() + " messages under 50 ms") {
            @Override
            public Result run(Workspace w) throws Exception {
                Random r = new Random(5);
                int sessions = 10;
                for (int k = 0; k < sessions; k++) {
                    fill(w.dir(), "u", "s" + k, s.bigSession() / sessions, r);
                }
                Random q = new Random(55);
                double buildMillis;
                double coldMillis;
                double coldOneWordMillis;
                Timer pairs;
                Timer single;
                int hits;
                double scanMillis;
                String two = VOCABULARY[1] + " " + VOCABULARY[2];
                try (ChatStore cs = open(w.dir(), Durability.SYNC)) {
                    long t0 = System.nanoTime();
                    hits = cs.messages().search("u", SearchQuery.of(two)).size();
                    buildMillis = (System.nanoTime() - t0) / 1e6;
                }
                // a new store instance: nothing of the index is in this JVM's memory any more (a new process
                // would also have to start the JVM; the OS page cache is warm either way)
                try (ChatStore cs = open(w.dir(), Durability.SYNC)) {
                    long t0 = System.nanoTime();
                    cs.messages().search("u", SearchQuery.of(VOCABULARY[3] + " " + VOCABULARY[4]).limit(20));
                    coldMillis = (System.nanoTime() - t0) / 1e6;
                }
                try (ChatStore cs = open(w.dir(), Durability.SYNC)) {
                    long t0 = System.nanoTime();
                    cs.messages().search("u", SearchQuery.of(VOCABULARY[5]).limit(20));
                    coldOneWordMillis = (System.nanoTime() - t0) / 1e6;
                }
                try (ChatStore cs = open(w.dir(), Durability.SYNC)) {
                    pairs = Timer.measure(5, 50, i -> cs.messages().search("u", SearchQuery.of(
                            VOCABULARY[q.nextInt(VOCABULARY.length)] + " " + VOCABULARY[q.nextInt(VOCABULARY.length)])
                            .limit(20)));
                    single = Timer.measure(5, 50, i -> cs.messages().search("u", SearchQuery.of(
                            VOCABULARY[q.nextInt(VOCABULARY.length)]).limit(20)));
                    // baseline: the same query answered by reading every message (no index)
                    SearchRequest req = new SearchRequest(List.of(VOCABULARY[1], VOCABULARY[2]), 3, Optional.empty(), 20);
                    long t1 = System.nanoTime();
                    long matched = 0;
                    for (int k = 0; k < sessions; k++) {
                        long count = cs.messages().count("u", "s" + k);
                        for (long off = 0; off < count; off += 50_000) {
                            for (Message m : cs.messages().page("u", "s" + k, (int) off, 50_000)) {
                                if (TextSearch.matches(m.content(), req.words(), 3)) {
                                    matched++;
                                }
                            }
                        }
                    }
                    scanMillis = (System.nanoTime() - t1) / 1e6;
                    if (matched < hits) {
                        throw new IllegalStateException("scan found fewer matches than the index");
                    }
                }
                return new Result()
                        .row("two-word query, limit 20, warm index", us(pairs))
                        .row("one-word query (~" + (s.bigSession() * 24 / VOCABULARY.length) + " matches), limit 20, warm",
                                us(single))
                        .row("first query after the fill (the appends kept the persisted index current)",
                                f1(buildMillis) + " ms")
                        .row("first two-word query of a new store instance (persisted index; cold in-JVM caches)",
                                f1(coldMillis) + " ms")
                        .row("first one-word query of a new store instance (persisted index)",
                                f1(coldOneWordMillis) + " ms")
                        .row("baseline: answering the two-word query by reading all " + s.bigSession() + " messages",
                                f1(scanMillis) + " ms")
                        .ratio("warm two-word query mean in ms", pairs.meanMicros() / 1000.0,
                                pairs.meanMicros() / 1000.0 < 50.0)
                        .note("sessions: " + sessions + " of " + (s.bigSession() / sessions) + " messages; 24 words"
                                + " per message from a " + VOCABULARY.length + "-word vocabulary");
            }
        };
    }

    // ---- 6. listing the sessions of a user with 1,000 sessions ----------------------------------------------

    static Scenario listSessions(BenchSettings s) {
        int n = s.bigSession() >= 1_000_000 ? 1000 : 200;
        return new Named("list-" + n + "-sessions", "listing a user's " + n + " sessions newest-first: cold (new"
                + " store instance) vs warm; no CONTRACT target") {
            @Override
            public Result run(Workspace w) throws Exception {
                Random r = new Random(6);
                try (ChatStore cs = open(w.dir(), Durability.NONE)) {
                    cs.users().create("u");
                    for (int k = 0; k < n; k++) {
                        String sid = String.format(Locale.ROOT, "s%05d", k);
                        cs.sessions().create("u", NewSession.titled("t" + k).withId(sid));
                        List<NewMessage> ten = new ArrayList<>();
                        for (int i = 0; i < 10; i++) {
                            ten.add(NewMessage.user(text(r, 24)));
                        }
                        cs.messages().appendAll("u", sid, ten);
                    }
                }
                Path idx = w.dir().resolve("data/users/u/sessions.idx");
                Files.deleteIfExists(idx);
                double[] rebuild = coldList(w, n);
                double[] cold = coldList(w, n);
                double rebuildMillis = rebuild[0];
                double coldMillis = cold[0];
                Timer warm;
                try (ChatStore cs = open(w.dir(), Durability.SYNC)) {
                    cs.sessions().list("u", 0, n);
                    warm = Timer.measure(20, 200, i -> cs.sessions().list("u", 0, 20));
                }
                return new Result()
                        .row("cold: first list of a new store instance, no sessions.idx yet (reads every"
                                + " session.json and log tail, writes sessions.idx)", f1(rebuildMillis) + " ms")
                        .row("cold: first list of a new store instance with sessions.idx", f1(coldMillis) + " ms")
                        .row("warm: list (first page of 20)", us(warm))
                        .row("opening the store (ChatStore.open, default verify-on-open)", f1(cold[1]) + " ms")
                        .ratio("cold with index / warm (mean)", coldMillis * 1000 / warm.meanMicros(), true);
            }
        };
    }

    private static double[] coldList(Workspace w, int n) {
        long open0 = System.nanoTime();
        try (ChatStore cs = open(w.dir(), Durability.SYNC)) {
            double openMs = (System.nanoTime() - open0) / 1e6;
            long t0 = System.nanoTime();
            List<?> page = cs.sessions().list("u", 0, 20);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (page.size() != Math.min(20, n)) {
                throw new IllegalStateException("listed " + page.size());
            }
            return new double[]{ms, openMs};
        }
    }
}
