package dev.chatstore.bench.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import dev.chatstore.jdbc.JdbcBackendProvider;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.memory.repository.jdbc.JdbcChatMemoryRepository;
import org.springframework.ai.chat.memory.repository.jdbc.PostgresChatMemoryRepositoryDialect;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The JDBC lines of SPEC section 8, as a scenario runner (ratios within one run on one machine):
 * append at message 10 vs at message 100,000 of one session; append vs one raw JDBC INSERT of the same row
 * on the same database; and (PostgreSQL) append vs Spring AI's JdbcChatMemoryRepository driven by
 * MessageWindowChatMemory.add at 2,000 messages. Prints a Markdown table.
 *
 * <p>Run: {@code java -cp ... dev.chatstore.bench.jdbc.JdbcBenchmarks [postgresUrl]}.
 */
public final class JdbcBenchmarks {

    private static final String TEXT = "How do I create a GIN index for full-text search in PostgreSQL?";
    private static final int SAMPLES = 300;

    private JdbcBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        String pg = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        Path dir = Files.createTempDirectory("chatstore-bench");
        List<String> rows = new ArrayList<>();
        rows.add("| database | measurement | Chatstore (median µs/append) | baseline | baseline (median µs) | ratio | target | met |");
        rows.add("|---|---|---|---|---|---|---|---|");
        run("SQLite", "jdbc:sqlite:" + dir.resolve("bench.db"), rows, false);
        String schema = "bench_" + Long.toString(System.nanoTime(), 36);
        exec(pg, "CREATE SCHEMA " + schema);
        try {
            run("PostgreSQL", pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema, rows, true);
        } finally {
            exec(pg, "DROP SCHEMA " + schema + " CASCADE");
        }
        rows.forEach(System.out::println);
    }

    private static void run(String name, String url, List<String> rows, boolean springAi) throws Exception {
        try (ChatStore store = ChatStore.builder().config(ChatStoreConfig.isolated().url(url).build())
                .provider(new JdbcBackendProvider()).open()) {
            store.users().create("bench");
            // warm-up: JIT, pools, statement caches
            Session warm = store.sessions().create("bench", "warm-up");
            for (int i = 0; i < 2000; i++) {
                store.messages().append("bench", warm.id(), NewMessage.user(TEXT));
            }

            // 1. append at message ~10 vs at message ~100,000 of one session
            Session s = store.sessions().create("bench", "long");
            double early = medianMicros(SAMPLES, () -> store.messages().append("bench", s.id(), NewMessage.user(TEXT)));
            fill(store, s, 100_000 - SAMPLES - SAMPLES);
            double late = medianMicros(SAMPLES, () -> store.messages().append("bench", s.id(), NewMessage.user(TEXT)));
            rows.add(row(name, "append at message 100,000 vs at message 10 (first " + SAMPLES + ")", late,
                    "append at message 10", early, 1.2));

            // 2. append vs one raw JDBC INSERT of the same row into a table of the same shape, same database
            double raw = rawInsertMicros(url);
            Session fresh = store.sessions().create("bench", "vs raw insert");
            double append = medianMicros(SAMPLES, () -> store.messages().append("bench", fresh.id(), NewMessage.user(TEXT)));
            rows.add(row(name, "append vs one raw JDBC INSERT", append, "raw INSERT (autocommit)", raw, 1.5));

            // 3. Spring AI's JdbcChatMemoryRepository at 2,000 messages
            if (springAi) {
                Session conv = store.sessions().create("bench", "2000");
                fill(store, conv, 2000 - 20);
                double ours = medianMicros(20, () -> store.messages().append("bench", conv.id(), NewMessage.user(TEXT)));
                double theirs = springAiMicros(url);
                rows.add(row(name, "append at message 2,000 vs Spring AI MessageWindowChatMemory.add", ours,
                        "Spring AI JdbcChatMemoryRepository", theirs, -50));
            }
        }
    }

    private static void fill(ChatStore store, Session s, int n) {
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(NewMessage.user(TEXT + " " + i));
            if (batch.size() == 1000) {
                store.messages().appendAll("bench", s.id(), batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.messages().appendAll("bench", s.id(), batch);
        }
    }

    private static double rawInsertMicros(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE raw_messages (session_sk BIGINT NOT NULL, seq BIGINT NOT NULL,"
                        + " id VARCHAR(128) NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL, created_at BIGINT NOT NULL,"
                        + " attachments TEXT NOT NULL, metadata TEXT NOT NULL, PRIMARY KEY (session_sk, seq))");
            }
            long[] seq = {0};
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO raw_messages VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                Runnable one = () -> {
                    try {
                        long n = ++seq[0];
                        ps.setLong(1, 1);
                        ps.setLong(2, n);
                        ps.setString(3, "m" + n);
                        ps.setString(4, "user");
                        ps.setString(5, TEXT);
                        ps.setLong(6, System.currentTimeMillis());
                        ps.setString(7, "[]");
                        ps.setString(8, "{}");
                        ps.executeUpdate();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                };
                medianMicros(2000, one); // warm-up
                return medianMicros(SAMPLES, one);
            }
        }
    }

    private static double springAiMicros(String url) {
        DriverManagerDataSource ds = new DriverManagerDataSource(url);
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("CREATE TABLE IF NOT EXISTS SPRING_AI_CHAT_MEMORY (conversation_id VARCHAR(36) NOT NULL,"
                + " content TEXT NOT NULL, type VARCHAR(10) NOT NULL, \"timestamp\" TIMESTAMP NOT NULL)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS SPRING_AI_CHAT_MEMORY_CONVERSATION_ID_TIMESTAMP_IDX"
                + " ON SPRING_AI_CHAT_MEMORY(conversation_id, \"timestamp\")");
        JdbcChatMemoryRepository repository = JdbcChatMemoryRepository.builder().jdbcTemplate(jdbc)
                .dialect(new PostgresChatMemoryRepositoryDialect()).build();
        ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(10_000).build();
        String conversation = "bench-conversation";
        List<Message> history = new ArrayList<>();
        for (int i = 0; i < 2000 - 20; i++) {
            history.add(new UserMessage(TEXT + " " + i));
        }
        repository.saveAll(conversation, history);
        // the application-style loop: one add per message, at about 2,000 messages in the conversation
        return medianMicros(20, () -> memory.add(conversation, new UserMessage(TEXT)));
    }

    private static double medianMicros(int samples, Runnable action) {
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            action.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[samples / 2] / 1000.0;
    }

    /** target > 0: ratio ours/baseline must be at most target; target < 0: baseline/ours must be at least -target. */
    private static String row(String db, String what, double ours, String baselineName, double baseline, double target) {
        String ratio;
        boolean met;
        String goal;
        if (target > 0) {
            double r = ours / baseline;
            ratio = String.format(Locale.ROOT, "%.2f×", r);
            met = r <= target;
            goal = "≤ " + target + "×";
        } else {
            double r = baseline / ours;
            ratio = String.format(Locale.ROOT, "%.0f× cheaper", r);
            met = r >= -target;
            goal = "≥ " + (int) -target + "× cheaper";
        }
        return String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %.1f | %s | %s | %s |", db, what, ours, baselineName,
                baseline, ratio, goal, met ? "yes" : "**no**");
    }

    private static void exec(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
