package dev.chatstore.migration;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.User;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A target store for the import tests on a real backend: a {@code file:} directory, a SQLite file, or a fresh
 * PostgreSQL schema on 127.0.0.1:5432 (dropped on close). Credentials use a fixed test key.
 */
final class TestStore implements AutoCloseable {

    enum Backend { FILE, SQLITE, POSTGRES }

    static final String POSTGRES_BASE = System.getenv().getOrDefault("CHATSTORE_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    static final byte[] CREDENTIAL_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36);

    final Backend backend;
    final String url;
    final Path dir;
    private final String schema;
    ChatStore store;

    private TestStore(Backend backend, String url, Path dir, String schema) {
        this.backend = backend;
        this.url = url;
        this.dir = dir;
        this.schema = schema;
        this.store = ChatStore.open(config(url));
    }

    static ChatStoreConfig config(String url) {
        return ChatStoreConfig.isolated().url(url).durability(Durability.NONE).encryptionKey("test", CREDENTIAL_KEY).build();
    }

    /** A new, empty store of the backend; {@code tmp} holds its files. */
    static TestStore open(Backend backend, Path tmp) throws IOException {
        switch (backend) {
            case FILE: {
                Path d = Files.createTempDirectory(tmp, "file-store");
                return new TestStore(backend, "file:" + d, d, null);
            }
            case SQLITE: {
                Path d = Files.createTempDirectory(tmp, "sqlite-store");
                return new TestStore(backend, "jdbc:sqlite:" + d.resolve("chat.db"), d, null);
            }
            default: {
                String schema = "chatstore_mig" + RUN + "_" + SCHEMAS.incrementAndGet();
                execute("CREATE SCHEMA " + schema);
                return new TestStore(backend, POSTGRES_BASE + "&currentSchema=" + schema, null, schema);
            }
        }
    }

    /** Closes and opens the store again (a new process would see the same). */
    void reopen() {
        store.close();
        store = ChatStore.open(config(url));
    }

    static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(POSTGRES_BASE); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage()
                    + " (the PostgreSQL tests need a server at " + POSTGRES_BASE + ")", e);
        }
    }

    /** The store's export without its header line (which carries the export time). */
    String export() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.exportTo(out);
        String all = out.toString(StandardCharsets.UTF_8);
        return all.substring(all.indexOf('\n') + 1);
    }

    /** The export with credential lines reduced to user and provider (their nonce and times differ per write). */
    String exportWithoutCiphertexts() {
        return Arrays.stream(export().split("\n"))
                .map(l -> l.startsWith("{\"type\":\"credential\"") ? l.replaceAll(",\"keyId\".*", "}") : l)
                .collect(Collectors.joining("\n"));
    }

    List<Session> sessions(String userId) {
        return store.sessions().list(userId, 0, 10_000);
    }

    List<Message> messages(String userId, String sessionId) {
        List<Message> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Message> page = store.messages().after(userId, sessionId, after, 1000);
            all.addAll(page);
            if (page.size() < 1000) {
                return all;
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    /** Every message of every user, in user, session (id order), seq order. */
    List<Message> allMessages() {
        List<Message> all = new ArrayList<>();
        for (User u : store.users().list(0, 10_000)) {
            for (Session s : sessions(u.id()).stream().sorted(Comparator.comparing(Session::id)).toList()) {
                all.addAll(messages(u.id(), s.id()));
            }
        }
        return all;
    }

    long sessionCount() {
        long n = 0;
        for (User u : store.users().list(0, 10_000)) {
            n += store.sessions().count(u.id());
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        store.close();
        if (schema != null) {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        if (dir != null) {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
