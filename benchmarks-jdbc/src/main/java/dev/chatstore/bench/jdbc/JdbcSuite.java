package dev.chatstore.bench.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import dev.chatstore.bench.BenchSettings;
import dev.chatstore.bench.BenchmarkSuite;
import dev.chatstore.bench.Result;
import dev.chatstore.bench.Scenario;
import dev.chatstore.bench.Timer;
import dev.chatstore.bench.Workspace;
import dev.chatstore.jdbc.JdbcBackendProvider;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.memory.repository.jdbc.JdbcChatMemoryRepository;
import org.springframework.ai.chat.memory.repository.jdbc.PostgresChatMemoryRepositoryDialect;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDBC lines of CONTRACT §8, on SQLite and PostgreSQL, each beside its baseline measured in the same run on the
 * same database: append at message 10 vs at message 100,000 of one session; append vs one raw JDBC INSERT of the
 * same row; and (PostgreSQL) append vs Spring AI's {@code JdbcChatMemoryRepository} driven by
 * {@code MessageWindowChatMemory.add} at 2,000 messages; plus the PostgreSQL lines of issue 14
 * ({@link JdbcScaleScenarios}). Ratios are of medians (p50), as in BENCHMARKS.md.
 *
 * <p>Registered as the {@code jdbc} suite through {@code META-INF/services}; it lives in its own module
 * (benchmarks-jdbc) because of the Spring AI baseline, which must stay out of the CLI's jar. Each scenario gets its
 * own SQLite file in the workspace, or its own PostgreSQL schema (created and dropped here) in the database named by
 * {@value #POSTGRES_URL_PROPERTY} / {@value #POSTGRES_URL_ENV}, else {@value #DEFAULT_POSTGRES_URL}.
 */
public final class JdbcSuite implements BenchmarkSuite {

    /** System property naming the PostgreSQL to measure on. */
    public static final String POSTGRES_URL_PROPERTY = "chatstore.bench.postgres-url";
    /** Environment variable naming the PostgreSQL to measure on (below the system property). */
    public static final String POSTGRES_URL_ENV = "CHATSTORE_BENCH_POSTGRES_URL";
    /** The PostgreSQL used when neither names one: loopback, trust auth, database {@code test}. */
    public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    static final String TEXT = "How do I create a GIN index for full-text search in PostgreSQL?";
    static final String USER = "bench";
    /** The append-vs-raw-INSERT measurement alternates between the two this many times. */
    private static final int INTERLEAVED_BLOCKS = 10;
    /** Spring AI's add costs tens of milliseconds at 2,000 messages: a few samples suffice. */
    private static final int SPRING_AI_SAMPLES = 20;

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public List<Scenario> scenarios(BenchSettings s) {
        List<Scenario> out = new ArrayList<>();
        for (Database db : List.of(Database.SQLITE, Database.POSTGRESQL)) {
            out.add(deepVsShallowAppend(db, s));
            out.add(appendVsRawInsert(db, s));
        }
        out.add(appendVsSpringAi(s));
        out.addAll(JdbcScaleScenarios.all(s));
        return out;
    }

    /** The PostgreSQL base URL this run measures on. */
    public static String postgresUrl() {
        String property = System.getProperty(POSTGRES_URL_PROPERTY);
        if (property != null && !property.isBlank()) {
            return property;
        }
        String env = System.getenv(POSTGRES_URL_ENV);
        return env != null && !env.isBlank() ? env : DEFAULT_POSTGRES_URL;
    }

    // ---- the databases ----------------------------------------------------------------------------------------

    /** Where a scenario's store lives, created fresh for it and removed afterwards. */
    enum Database {
        SQLITE("sqlite", "SQLite") {
            @Override
            Scratch create(Workspace w) {
                return new Scratch("jdbc:sqlite:" + w.dir().resolve("bench.db"), () -> { });
            }
        },
        POSTGRESQL("postgresql", "PostgreSQL") {
            @Override
            Scratch create(Workspace w) throws SQLException {
                String base = postgresUrl();
                String schema = "chatstore_bench_" + Long.toString(System.nanoTime(), 36);
                try {
                    exec(base, "CREATE SCHEMA " + schema);
                } catch (SQLException e) {
                    throw new SQLException("PostgreSQL is not reachable at " + base + " (" + e.getMessage()
                            + "); name one with --postgres, -D" + POSTGRES_URL_PROPERTY + " or " + POSTGRES_URL_ENV
                            + ", or run only the sqlite-* scenarios", e);
                }
                return new Scratch(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                        () -> exec(base, "DROP SCHEMA " + schema + " CASCADE"));
            }
        };

        final String id;
        final String display;

        Database(String id, String display) {
            this.id = id;
            this.display = display;
        }

        abstract Scratch create(Workspace w) throws Exception;
    }

    @FunctionalInterface
    interface Cleanup {
        void run() throws Exception;
    }

    /** A fresh database for one scenario. */
    record Scratch(String url, Cleanup cleanup) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            cleanup.run();
        }
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

    // ---- 1. append at message 10 vs at message 100,000 ----------------------------------------------------------

    static Scenario deepVsShallowAppend(Database db, BenchSettings s) {
        int samples = samples(s);
        return new Named(db.id + "-append-at-" + s.deepAppendAt() + "-vs-10",
                db.display + ": append cost at message " + s.deepAppendAt()
                        + " within 1.2x of the cost at message 10 (medians)") {
            @Override
            public Result run(Workspace w) throws Exception {
                try (Scratch scratch = db.create(w); ChatStore store = open(scratch.url())) {
                    warmUp(store, s);
                    Session session = store.sessions().create(USER, "long");
                    Timer early = Timer.measure(0, samples, i -> append(store, session));
                    fill(store, session, Math.max(0, s.deepAppendAt() - 2 * samples));
                    long before = store.messages().count(USER, session.id());
                    Timer late = Timer.measure(0, samples, i -> append(store, session));
                    double ratio = late.p50Micros() / early.p50Micros();
                    return new Result()
                            .row("append #1 .. #" + samples, early.toString())
                            .row("append #" + (before + 1) + " .. #" + (before + samples), late.toString())
                            .ratio("late / early (median)", ratio, ratio <= 1.2);
                }
            }
        };
    }

    // ---- 2. append vs one raw JDBC INSERT ---------------------------------------------------------------------

    static Scenario appendVsRawInsert(Database db, BenchSettings s) {
        int samples = samples(s);
        return new Named(db.id + "-append-vs-raw-insert",
                db.display + ": append within 1.5x of one raw JDBC INSERT of the same row (medians)") {
            @Override
            public Result run(Workspace w) throws Exception {
                // the store first: it migrates its schema into an empty database, and then shares it with the
                // baseline's table
                try (Scratch scratch = db.create(w); ChatStore store = open(scratch.url());
                     Connection raw = DriverManager.getConnection(scratch.url())) {
                    warmUp(store, s);
                    Timer.Op rawInsert = rawInsert(raw);
                    Timer.measure(warmup(s), 0, rawInsert);
                    Session session = store.sessions().create(USER, "vs raw insert");
                    Timer[] both = interleaved(samples, i -> append(store, session),
                            i -> rawInsert.run(warmup(s) + i));
                    Timer append = both[0];
                    Timer rawTimer = both[1];
                    double ratio = append.p50Micros() / rawTimer.p50Micros();
                    return new Result()
                            .row("Chatstore append", append.toString())
                            .row("baseline: raw INSERT (auto-commit) into a table with only a primary key,"
                                    + " interleaved with the appends", rawTimer.toString())
                            .ratio("append / raw INSERT (median)", ratio, ratio <= 1.5);
                }
            }
        };
    }

    /**
     * Times {@code samples} runs of each operation, alternating between them in {@value #INTERLEAVED_BLOCKS} blocks, so
     * that both see the same load of a shared machine (measured one after the other, the same build gave ratios from
     * 0.96 to 3.95). {@code i} counts each operation's runs from 0.
     *
     * @return the timers of {@code a} and {@code b}
     */
    static Timer[] interleaved(int samples, Timer.Op a, Timer.Op b) throws Exception {
        List<Timer> as = new ArrayList<>();
        List<Timer> bs = new ArrayList<>();
        int block = Math.max(1, samples / INTERLEAVED_BLOCKS);
        for (int done = 0; done < samples; done += block) {
            int offset = done;
            as.add(Timer.measure(0, block, i -> a.run(offset + i)));
            bs.add(Timer.measure(0, block, i -> b.run(offset + i)));
        }
        return new Timer[]{Timer.combine(as), Timer.combine(bs)};
    }

    /** Creates the baseline's table on {@code c}; the op inserts row {@code i + 1} in auto-commit. */
    private static Timer.Op rawInsert(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE raw_messages (session_sk BIGINT NOT NULL, seq BIGINT NOT NULL,"
                    + " id VARCHAR(128) NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL,"
                    + " created_at BIGINT NOT NULL, attachments TEXT NOT NULL, metadata TEXT NOT NULL,"
                    + " PRIMARY KEY (session_sk, seq))");
        }
        PreparedStatement ps = c.prepareStatement("INSERT INTO raw_messages VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        return i -> {
            long n = i + 1L;
            ps.setLong(1, 1);
            ps.setLong(2, n);
            ps.setString(3, "m" + n);
            ps.setString(4, "user");
            ps.setString(5, TEXT);
            ps.setLong(6, System.currentTimeMillis());
            ps.setString(7, "[]");
            ps.setString(8, "{}");
            ps.executeUpdate();
        };
    }

    // ---- 3. append vs Spring AI's JdbcChatMemoryRepository at 2,000 messages -------------------------------------

    static Scenario appendVsSpringAi(BenchSettings s) {
        int messages = Math.min(2000, s.deepAppendAt());
        return new Named("postgresql-append-vs-spring-ai-at-" + messages,
                "PostgreSQL: append at message " + messages + " at least 50x cheaper than Spring AI's"
                        + " MessageWindowChatMemory.add over JdbcChatMemoryRepository (medians)") {
            @Override
            public Result run(Workspace w) throws Exception {
                try (Scratch scratch = Database.POSTGRESQL.create(w)) {
                    Timer ours;
                    try (ChatStore store = open(scratch.url())) {
                        warmUp(store, s);
                        Session conversation = store.sessions().create(USER, "conversation");
                        fill(store, conversation, messages - SPRING_AI_SAMPLES);
                        ours = Timer.measure(0, SPRING_AI_SAMPLES, i -> append(store, conversation));
                    }
                    Timer theirs = springAi(scratch.url(), messages);
                    double ratio = theirs.p50Micros() / ours.p50Micros();
                    return new Result()
                            .row("Chatstore append, messages " + (messages - SPRING_AI_SAMPLES + 1) + " .. "
                                    + messages, ours.toString())
                            .row("baseline: Spring AI MessageWindowChatMemory.add (window 10,000, PostgreSQL"
                                    + " dialect), same messages", theirs.toString())
                            .ratio("Spring AI / Chatstore (median), times cheaper", ratio, ratio >= 50);
                }
            }
        };
    }

    private static Timer springAi(String url, int messages) throws Exception {
        JdbcChatMemoryRepository repository = springAiRepository(new DriverManagerDataSource(url));
        // a window larger than the conversation, so that it keeps every message as Chatstore does
        ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(10_000)
                .build();
        String conversation = "bench-conversation";
        List<Message> history = new ArrayList<>();
        for (int i = 0; i < messages - SPRING_AI_SAMPLES; i++) {
            history.add(new UserMessage(TEXT + " " + i));
        }
        repository.saveAll(conversation, history);
        // the application-style loop: one add per message
        return Timer.measure(0, SPRING_AI_SAMPLES, i -> memory.add(conversation, new UserMessage(TEXT)));
    }

    /** Spring AI's repository on PostgreSQL, with its table and index as its schema script creates them. */
    static JdbcChatMemoryRepository springAiRepository(javax.sql.DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE IF NOT EXISTS SPRING_AI_CHAT_MEMORY (conversation_id VARCHAR(36) NOT NULL,"
                + " content TEXT NOT NULL, type VARCHAR(10) NOT NULL, \"timestamp\" TIMESTAMP NOT NULL)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS SPRING_AI_CHAT_MEMORY_CONVERSATION_ID_TIMESTAMP_IDX"
                + " ON SPRING_AI_CHAT_MEMORY(conversation_id, \"timestamp\")");
        return JdbcChatMemoryRepository.builder().jdbcTemplate(jdbc)
                .dialect(new PostgresChatMemoryRepositoryDialect()).build();
    }

    // ---- shared helpers --------------------------------------------------------------------------------------

    /** Timed appends per measurement: 300 in the SPEC run (as in BENCHMARKS.md), fewer in a quick one. */
    static int samples(BenchSettings s) {
        return Math.min(300, s.iterations());
    }

    /** Untimed appends first (JIT, pools, statement caches): 2,000 in the SPEC run. */
    static int warmup(BenchSettings s) {
        return Math.min(2000, s.iterations());
    }

    static ChatStore open(String url) {
        return ChatStore.builder().config(ChatStoreConfig.isolated().url(url)
                        .set("limits.max-messages-per-session", 10_000_000)
                        .build())
                .provider(new JdbcBackendProvider()).open();
    }

    static void warmUp(ChatStore store, BenchSettings s) {
        store.users().create(USER);
        Session warm = store.sessions().create(USER, "warm-up");
        for (int i = 0; i < warmup(s); i++) {
            append(store, warm);
        }
    }

    static void append(ChatStore store, Session session) {
        store.messages().append(USER, session.id(), NewMessage.user(TEXT));
    }

    /** Appends {@code n} messages in batches of 1,000, to build a long session quickly. */
    static void fill(ChatStore store, Session session, int n) {
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(NewMessage.user(TEXT + " " + i));
            if (batch.size() == 1000) {
                store.messages().appendAll(USER, session.id(), batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.messages().appendAll(USER, session.id(), batch);
        }
    }

    static void exec(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
