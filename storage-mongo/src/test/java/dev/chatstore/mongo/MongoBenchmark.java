package dev.chatstore.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.TextSearch;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The Mongo scenario runner (a main, not a test): append against one raw {@code insertOne} of the same document,
 * append #100,000 against #10, the last 50 of a big session against those of a 100-message one, and search over a
 * big user. Run against the in-process mongo-java-server by default (which is NOT a production server: it keeps
 * everything in Java objects and ignores non-unique indexes, so its figures show the adapter's overhead and
 * asymptotics there, not MongoDB's speed), or against a real server:
 *
 * <pre>
 * java -cp &lt;test classpath&gt; dev.chatstore.mongo.MongoBenchmark [mongodb://host:port] [bigSessionMessages] [searchMessages]
 * </pre>
 *
 * Each run uses a fresh database and drops it at the end.
 */
public final class MongoBenchmark {

    private MongoBenchmark() {
    }

    public static void main(String[] args) {
        boolean inProcess = args.length < 1 || args[0].equals("in-process");
        String server = inProcess ? "mongodb://" + InProcessMongo.address() : args[0];
        int big = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int searchSize = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        String label = inProcess ? "mongo-java-server 1.47.0 in-process (not a production server)" : server;
        String database = "bench_" + ProcessHandle.current().pid();
        MongoTestDatabases dbs = new MongoTestDatabases(server, "bench");
        String url = dbs.urlOf(database);
        System.out.printf("Mongo scenarios against %s, JVM %s%n", label, System.getProperty("java.version"));
        ChatStoreConfig config = ChatStoreConfig.isolated().url(url)
                .set("limits.max-messages-per-session", Math.max(big, 100_000))
                .build();
        try (ChatStore store = ChatStore.builder().config(config).provider(new MongoBackendProvider()).open();
             MongoClient raw = MongoClients.create(server)) {
            appendVersusInsertOne(store, raw.getDatabase(database).getCollection("raw_baseline"));
            appendLateVersusEarly(store);
            lastFiftyBigVersusSmall(store, big);
            search(store, searchSize);
        } finally {
            try (MongoClient raw = MongoClients.create(server)) {
                raw.getDatabase(database).drop();
            }
        }
        System.exit(0);
    }

    private static void report(String what, long nanos, long ops) {
        System.out.printf(Locale.ROOT, "%-62s %10.1f us/op  (%d ops)%n", what, nanos / 1000.0 / ops, ops);
    }

    private static void appendVersusInsertOne(ChatStore store, MongoCollection<Document> raw) {
        store.users().create("bench-append");
        Session s = store.sessions().create("bench-append", "append");
        int warmup = 500;
        int n = 3000;
        String text = "a typical chat message of about one hundred characters, with a few words to index for search";
        for (int i = 0; i < warmup; i++) {
            store.messages().append("bench-append", s.id(), NewMessage.user(text));
            raw.insertOne(rawDocument(text, i));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            store.messages().append("bench-append", s.id(), NewMessage.user(text));
        }
        long append = System.nanoTime() - t0;
        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            raw.insertOne(rawDocument(text, warmup + i));
        }
        long insert = System.nanoTime() - t0;
        report("append (1 message, commit-pointer protocol)", append, n);
        report("raw insertOne of the same document (baseline)", insert, n);
    }

    private static Document rawDocument(String text, long seq) {
        return new Document("log", "s/bench-raw/x").append("seq", seq).append("mid", UUID.randomUUID().toString())
                .append("sid", "x").append("role", "user").append("content", text).append("createdAt", new Date())
                .append("attachments", List.of()).append("metadata", "{}").append("user", "bench-raw")
                .append("words", TextSearch.words(text, 1));
    }

    private static void fill(ChatStore store, String user, String session, long count, String prefix) {
        List<NewMessage> batch = new ArrayList<>(1000);
        long done = 0;
        while (done < count) {
            batch.clear();
            int n = (int) Math.min(1000, count - done);
            for (int i = 0; i < n; i++) {
                batch.add(NewMessage.user(prefix + " message " + (done + i)));
            }
            store.messages().appendAll(user, session, batch);
            done += n;
        }
    }

    private static void appendLateVersusEarly(ChatStore store) {
        store.users().create("bench-late");
        int sessions = 20;
        long early = 0;
        for (int k = 0; k < sessions; k++) {
            Session s = store.sessions().create("bench-late", "early " + k);
            fill(store, "bench-late", s.id(), 9, "early");
            long t0 = System.nanoTime();
            store.messages().append("bench-late", s.id(), NewMessage.user("message #10"));
            early += System.nanoTime() - t0;
        }
        Session big = store.sessions().create("bench-late", "late");
        fill(store, "bench-late", big.id(), 99_990, "late");
        long late = 0;
        for (int k = 0; k < 10; k++) {
            long t0 = System.nanoTime();
            store.messages().append("bench-late", big.id(), NewMessage.user("message #" + (99_991 + k)));
            late += System.nanoTime() - t0;
        }
        report("append #10 of a session (20 sessions)", early, sessions);
        report("append #99,991..#100,000 of a session", late, 10);
    }

    private static void lastFiftyBigVersusSmall(ChatStore store, int big) {
        store.users().create("bench-last");
        Session small = store.sessions().create("bench-last", "small");
        fill(store, "bench-last", small.id(), 100, "small");
        Session large = store.sessions().create("bench-last", "large");
        long t0 = System.nanoTime();
        fill(store, "bench-last", large.id(), big, "large");
        System.out.printf(Locale.ROOT, "(filled a %,d-message session in %.1f s)%n", big,
                (System.nanoTime() - t0) / 1e9);
        int reads = big > 100_000 ? 5 : 50;
        for (int i = 0; i < 2; i++) {
            store.messages().last("bench-last", small.id(), 50);
            store.messages().last("bench-last", large.id(), 50);
        }
        t0 = System.nanoTime();
        for (int i = 0; i < reads; i++) {
            store.messages().last("bench-last", small.id(), 50);
        }
        long smallTime = System.nanoTime() - t0;
        t0 = System.nanoTime();
        for (int i = 0; i < reads; i++) {
            store.messages().last("bench-last", large.id(), 50);
        }
        long largeTime = System.nanoTime() - t0;
        report("last 50 of a 100-message session", smallTime, reads);
        report(String.format(Locale.ROOT, "last 50 of a %,d-message session", big), largeTime, reads);
    }

    private static void search(ChatStore store, int size) {
        store.users().create("bench-search");
        int perSession = 10_000;
        int sessions = Math.max(1, size / perSession);
        long t0 = System.nanoTime();
        for (int k = 0; k < sessions; k++) {
            Session s = store.sessions().create("bench-search", "search " + k);
            fill(store, "bench-search", s.id(), perSession, "searchable" + (k % 10) + " common");
        }
        System.out.printf(Locale.ROOT, "(filled %,d messages in %d sessions in %.1f s)%n", (long) sessions * perSession,
                sessions, (System.nanoTime() - t0) / 1e9);
        int queries = size > 100_000 ? 3 : 5;
        t0 = System.nanoTime();
        int hits = 0;
        for (int i = 0; i < queries; i++) {
            hits += store.messages().search("bench-search", "searchable3 message").size();
        }
        long selective = System.nanoTime() - t0;
        t0 = System.nanoTime();
        for (int i = 0; i < queries; i++) {
            hits += store.messages().search("bench-search", "no-such-word").size();
        }
        long none = System.nanoTime() - t0;
        report(String.format(Locale.ROOT, "search over %,d messages (2 words, 10%% match)", (long) sessions * perSession),
                selective, queries);
        report(String.format(Locale.ROOT, "search over %,d messages (no match)", (long) sessions * perSession), none,
                queries);
        System.out.println("(hits " + hits + ")");
    }
}
