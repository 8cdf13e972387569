package dev.chatstore.bench.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.chatstore.api.ChatStore;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Session;
import dev.chatstore.bench.BenchSettings;
import dev.chatstore.bench.Result;
import dev.chatstore.bench.Scenario;
import dev.chatstore.bench.Timer;
import dev.chatstore.bench.Workspace;
import dev.chatstore.bench.jdbc.JdbcSuite.Database;
import dev.chatstore.bench.jdbc.JdbcSuite.Named;
import dev.chatstore.bench.jdbc.JdbcSuite.Scratch;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.memory.repository.jdbc.JdbcChatMemoryRepository;
import org.springframework.ai.chat.messages.UserMessage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The PostgreSQL lines of issue 14 ("fast from the first request"), each beside its baseline measured in the same run
 * on the same database: search over a bulk import right after it vs after an explicit {@code ANALYZE}; the last 20
 * messages vs Spring AI's {@code MessageWindowChatMemory.get} of a 20-message window; 16 writer threads on 16
 * sessions vs 1; and 16 threads appending to one session vs 1. Part of the {@code jdbc} suite ({@link JdbcSuite}).
 */
final class JdbcScaleScenarios {

    /** Writer threads of the concurrency lines (issue 14: 16). */
    static final int WRITERS = 16;
    /** Messages per session of the bulk import: a restore batch as an import or a migration writes it. */
    private static final int IMPORT_BATCH = 100;
    /** Words of the search: every message holds the first, one in 100 the second. */
    private static final String SEARCH = "postgresql topic42";
    private static final int WINDOW = 20;

    private JdbcScaleScenarios() {
    }

    static List<Scenario> all(BenchSettings s) {
        return List.of(searchAfterBulkImport(s), lastWindowVsSpringAi(s), writersOnOwnSessions(s),
                writersOnOneSession(s));
    }

    // ---- search right after a bulk import vs after ANALYZE ----------------------------------------------------

    static Scenario searchAfterBulkImport(BenchSettings s) {
        int messages = s.deepAppendAt();
        return new Named("postgresql-search-after-bulk-import-of-" + messages,
                "PostgreSQL: search over " + messages + " messages right after a bulk import (restore, autovacuum off)"
                        + " within 50 ms (median), beside the same search after an explicit ANALYZE") {
            @Override
            public Result run(Workspace w) throws Exception {
                try (Scratch scratch = Database.POSTGRESQL.create(w); ChatStore store = JdbcSuite.open(scratch.url())) {
                    store.users().create(JdbcSuite.USER);
                    // autovacuum must not rescue the plan during the measurement
                    JdbcSuite.exec(scratch.url(), "ALTER TABLE messages SET (autovacuum_enabled = off)");
                    JdbcSuite.exec(scratch.url(), "ALTER TABLE sessions SET (autovacuum_enabled = off)");
                    long t0 = System.nanoTime();
                    bulkImport(store, messages);
                    double importSeconds = (System.nanoTime() - t0) / 1e9;
                    int samples = Math.min(50, s.iterations());
                    Timer.Op search = i -> {
                        if (store.messages().search(JdbcSuite.USER, SEARCH).isEmpty()) {
                            throw new IllegalStateException("the search found nothing");
                        }
                    };
                    Timer fresh = Timer.measure(0, samples, search);
                    JdbcSuite.exec(scratch.url(), "ANALYZE");
                    Timer analyzed = Timer.measure(0, samples, search);
                    double ratio = fresh.p50Micros() / analyzed.p50Micros();
                    return new Result()
                            .row("search right after the import", fresh.toString())
                            .row("baseline: the same search after an explicit ANALYZE", analyzed.toString())
                            .row("bulk import (" + messages / IMPORT_BATCH + " sessions x " + IMPORT_BATCH
                                    + " restored messages)", String.format(Locale.ROOT, "%.1f s", importSeconds))
                            .ratio("right after import / after ANALYZE (median); target: right after import <= 50 ms",
                                    ratio, fresh.p50Micros() <= 50_000);
                }
            }
        };
    }

    /** {@code messages} messages in sessions of {@value #IMPORT_BATCH}, written as an import writes them. */
    private static void bulkImport(ChatStore store, int messages) {
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        int n = 0;
        while (n < messages) {
            Session session = store.sessions().create(JdbcSuite.USER, "imported " + n);
            List<Message> batch = new ArrayList<>(IMPORT_BATCH);
            for (int seq = 1; seq <= IMPORT_BATCH && n < messages; seq++, n++) {
                batch.add(new Message("m" + n, session.id(), seq, "user", JdbcSuite.TEXT + " topic" + (n % 100),
                        start.plusSeconds(n), List.of(), JsonObject.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty()));
            }
            store.transfer().restoreMessages(JdbcSuite.USER, session.id(), batch);
        }
    }

    // ---- last(20) vs Spring AI's get of a 20-message window ---------------------------------------------------

    static Scenario lastWindowVsSpringAi(BenchSettings s) {
        int messages = Math.min(2000, s.deepAppendAt());
        int samples = JdbcSuite.samples(s);
        return new Named("postgresql-last-" + WINDOW + "-vs-spring-ai-get",
                "PostgreSQL: the last " + WINDOW + " messages of a " + messages + "-message session no slower than"
                        + " Spring AI's MessageWindowChatMemory.get of a " + WINDOW + "-message window (medians)") {
            @Override
            public Result run(Workspace w) throws Exception {
                try (Scratch scratch = Database.POSTGRESQL.create(w); ChatStore store = JdbcSuite.open(scratch.url())) {
                    JdbcSuite.warmUp(store, s);
                    Session conversation = store.sessions().create(JdbcSuite.USER, "conversation");
                    JdbcSuite.fill(store, conversation, messages);
                    Timer.Op ours = i -> {
                        if (store.messages().last(JdbcSuite.USER, conversation.id(), WINDOW).size() != WINDOW) {
                            throw new IllegalStateException("last() returned a short window");
                        }
                    };
                    HikariConfig config = new HikariConfig();
                    config.setJdbcUrl(scratch.url());
                    config.setMaximumPoolSize(2);
                    try (HikariDataSource pool = new HikariDataSource(config)) {
                        Timer.Op theirs = springAiGet(pool);
                        Timer.measure(JdbcSuite.warmup(s), 0, ours);
                        Timer.measure(JdbcSuite.warmup(s), 0, theirs);
                        Timer[] both = JdbcSuite.interleaved(samples, ours, theirs);
                        double ratio = both[0].p50Micros() / both[1].p50Micros();
                        return new Result()
                                .row("Chatstore messages().last(" + WINDOW + ")", both[0].toString())
                                .row("baseline: Spring AI MessageWindowChatMemory.get (window " + WINDOW
                                        + ", JdbcChatMemoryRepository on a HikariCP pool, PostgreSQL dialect),"
                                        + " interleaved with ours", both[1].toString())
                                .ratio("Chatstore / Spring AI (median)", ratio, ratio <= 1.0);
                    }
                }
            }
        };
    }

    /** Spring AI's get of a {@value #WINDOW}-message window on {@code pool}, as an application configures it. */
    private static Timer.Op springAiGet(HikariDataSource pool) {
        JdbcChatMemoryRepository repository = JdbcSuite.springAiRepository(pool);
        List<org.springframework.ai.chat.messages.Message> window = new ArrayList<>();
        for (int i = 0; i < WINDOW; i++) {
            window.add(new UserMessage(JdbcSuite.TEXT + " " + i));
        }
        repository.saveAll("bench-conversation", window);
        ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository)
                .maxMessages(WINDOW).build();
        return i -> {
            if (memory.get("bench-conversation").size() != WINDOW) {
                throw new IllegalStateException("Spring AI returned a short window");
            }
        };
    }

    // ---- 16 writers vs 1 --------------------------------------------------------------------------------------

    static Scenario writersOnOwnSessions(BenchSettings s) {
        return new Named("postgresql-" + WRITERS + "-writers-vs-1",
                "PostgreSQL: appends/s of " + WRITERS + " threads, each on its own session, at least 5x one"
                        + " thread's (default pool)") {
            @Override
            public Result run(Workspace w) throws Exception {
                return writers(w, s, false, 5.0);
            }
        };
    }

    static Scenario writersOnOneSession(BenchSettings s) {
        return new Named("postgresql-" + WRITERS + "-threads-one-session-vs-1",
                "PostgreSQL: appends/s of " + WRITERS + " threads on one session at least one thread's") {
            @Override
            public Result run(Workspace w) throws Exception {
                return writers(w, s, true, 1.0);
            }
        };
    }

    private static Result writers(Workspace w, BenchSettings s, boolean oneSession, double target) throws Exception {
        try (Scratch scratch = Database.POSTGRESQL.create(w); ChatStore store = JdbcSuite.open(scratch.url())) {
            JdbcSuite.warmUp(store, s);
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                sessions.add(store.sessions().create(JdbcSuite.USER, "writer " + i));
            }
            double single = throughput(1, s.writerSeconds(), t -> i -> JdbcSuite.append(store, sessions.get(0)));
            double many = throughput(WRITERS, s.writerSeconds(),
                    t -> i -> JdbcSuite.append(store, sessions.get(oneSession ? 0 : t)));
            long stored = 0;
            for (Session session : oneSession ? List.of(sessions.get(0)) : sessions) {
                stored += store.messages().count(JdbcSuite.USER, session.id());
            }
            double ratio = many / single;
            Result result = new Result()
                    .row(WRITERS + " threads" + (oneSession ? " on one session" : ", one session each"),
                            String.format(Locale.ROOT, "%.0f appends/s", many))
                    .row("baseline: 1 thread", String.format(Locale.ROOT, "%.0f appends/s", single))
                    .row("messages stored in the measured sessions", Long.toString(stored));
            if (!oneSession) {
                rawInsertScaling(scratch.url(), s, result);
            }
            return result.ratio(WRITERS + " threads / 1 thread (appends/s)", ratio, ratio >= target);
        }
    }

    /**
     * For context: how raw INSERTs (one connection per thread, auto-commit) scale from 1 to {@value #WRITERS} threads
     * on the same database at the same time, i.e. what the machine allows: while commits wait for the disk,
     * threads overlap; once the cores are busy, they do not.
     */
    private static void rawInsertScaling(String url, BenchSettings s, Result result) throws Exception {
        JdbcSuite.exec(url, "CREATE TABLE raw_writers (writer INT NOT NULL, n BIGINT NOT NULL, content TEXT NOT NULL,"
                + " PRIMARY KEY (writer, n))");
        List<Connection> connections = new ArrayList<>();
        try {
            List<PreparedStatement> inserts = new ArrayList<>();
            for (int t = 0; t < WRITERS; t++) {
                Connection c = DriverManager.getConnection(url);
                connections.add(c);
                inserts.add(c.prepareStatement("INSERT INTO raw_writers VALUES (?, ?, ?)"));
            }
            AtomicLong n = new AtomicLong();
            IntFunction<Timer.Op> insert = t -> i -> {
                PreparedStatement ps = inserts.get(t);
                ps.setInt(1, t);
                ps.setLong(2, n.incrementAndGet());
                ps.setString(3, JdbcSuite.TEXT);
                ps.executeUpdate();
            };
            double single = throughput(1, s.writerSeconds(), insert);
            double many = throughput(WRITERS, s.writerSeconds(), insert);
            result.row("context: raw INSERTs, " + WRITERS + " threads / 1 thread", String.format(Locale.ROOT,
                    "%.0f / %.0f inserts/s = %.2fx", many, single, many / single));
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    /** Operations/s of {@code threads} threads, thread {@code t} running {@code op.apply(t)}, for {@code seconds}. */
    private static double throughput(int threads, double seconds, IntFunction<Timer.Op> op) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong done = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] deadline = new long[1];
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Timer.Op mine = op.apply(t);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; System.nanoTime() < deadline[0]; i++) {
                        mine.run(i);
                        done.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-writer");
            running.add(thread);
            thread.start();
        }
        long t0 = System.nanoTime();
        deadline[0] = t0 + (long) (seconds * 1e9);
        start.countDown();
        for (Thread thread : running) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("a writer failed", failure.get());
        }
        return done.get() / elapsed;
    }
}
