package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.SearchQuery;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.TextSearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The persisted, derived indexes of a user: {@code sessions.idx} (listing) and {@code search-index/} (search).
 * Each test compares the store's answer with the answer computed from every message by the one definition of a
 * match, after the indexes were made stale, damaged or deleted, or written by other processes.
 */
class DerivedIndexTest {

    private static final String[] WORDS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
            "india", "juliett", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra",
            "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu", "café", "naïve", "日本語", "Ωmega"};

    @TempDir
    Path tmp;

    private static ChatStore open(Path dir) {
        return ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir)
                        .set("paging.max-limit", 100_000).build())
                .provider(new FlatfileBackendProvider()).open();
    }

    private static String text(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            b.append(i == 0 ? "" : r.nextBoolean() ? " " : ", ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return b.toString();
    }

    private static void fill(ChatStore store, String user, String session, int n, Random r) {
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(NewMessage.user(text(r)));
            if (batch.size() == 100 || i == n - 1) {
                store.messages().appendAll(user, session, batch);
                batch.clear();
            }
        }
    }

    /** What search must return, computed from every message of the user. */
    private static List<Message> expected(ChatStore store, String user, String query, int limit) {
        List<String> words = TextSearch.words(query, 3);
        List<Message> all = new ArrayList<>();
        for (Session s : store.sessions().list(user, 0, 10_000)) {
            for (Message m : store.messages().page(user, s.id(), 0, 100_000)) {
                if (TextSearch.matches(m.content(), words, 3)) {
                    all.add(m);
                }
            }
        }
        all.sort(TextSearch.RESULT_ORDER);
        return all.subList(0, Math.min(limit, all.size()));
    }

    private static void assertSearchesAgree(ChatStore store, String user) {
        for (String q : List.of("alpha", "bravo charlie", "CAFÉ", "cafe\u0301 naïve", "日本語 zulu", "ωMEGA", "nothing")) {
            assertThat(store.messages().search(user, SearchQuery.of(q).limit(5000)))
                    .as(q).containsExactlyElementsOf(expected(store, user, q, 5000));
            assertThat(store.messages().search(user, SearchQuery.of(q).limit(7))).as(q + " limit 7")
                    .containsExactlyElementsOf(expected(store, user, q, 7));
        }
    }

    private static Path userDir(Path dir, String user) {
        return dir.resolve("users").resolve(user);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    @Test
    void searchIndexIsPersistedAndUsedByTheNextProcessAndSurvivesStaleness() throws IOException {
        Path dir = tmp.resolve("data");
        Random r = new Random(1);
        try (ChatStore store = open(dir)) {
            store.users().create("u");
            for (int k = 0; k < 3; k++) {
                store.sessions().create("u", NewSession.titled("t" + k).withId("s" + k));
                fill(store, "u", "s" + k, 400, r);
            }
            assertSearchesAgree(store, "u");
        }
        Path manifest = userDir(dir, "u").resolve("search-index/manifest.json");
        assertThat(manifest).exists();
        try (ChatStore store = open(dir)) {
            assertSearchesAgree(store, "u");
            // small gains stay in memory, large ones become a segment
            fill(store, "u", "s0", 10, r);
            assertSearchesAgree(store, "u");
            fill(store, "u", "s1", 500, r);
            assertSearchesAgree(store, "u");
            // a deleted session's documents never come back, even when a new session takes its ID
            store.sessions().delete("u", "s2");
            assertSearchesAgree(store, "u");
            store.sessions().create("u", NewSession.titled("again").withId("s2"));
            fill(store, "u", "s2", 300, r);
            assertSearchesAgree(store, "u");
        }
        // another process (a second store) appends; this one sees it
        try (ChatStore a = open(dir); ChatStore b = open(dir)) {
            assertSearchesAgree(a, "u");
            fill(b, "u", "s0", 300, r);
            b.messages().append("u", "s1", NewMessage.user("zzzunique alpha"));
            assertSearchesAgree(a, "u");
            assertThat(a.messages().search("u", SearchQuery.of("zzzunique"))).hasSize(1);
        }
        // damage: a flipped byte in a segment and in the manifest is detected and the index rebuilt
        try (Stream<Path> segs = Files.list(manifest.getParent())) {
            for (Path seg : segs.filter(p -> p.getFileName().toString().startsWith("seg-")).toList()) {
                byte[] b = Files.readAllBytes(seg);
                b[b.length / 2] ^= 0x55;
                Files.write(seg, b);
            }
        }
        try (ChatStore store = open(dir)) {
            assertSearchesAgree(store, "u");
        }
        String m = Files.readString(manifest);
        Files.writeString(manifest, m.replace("\"lines\" : ", "\"lines\" : 1"));
        try (ChatStore store = open(dir)) {
            assertSearchesAgree(store, "u");
        }
    }

    @Test
    void deletingTheIndexFilesAtAnyTimeKeepsResultsCorrect() throws IOException {
        Path dir = tmp.resolve("data");
        Random r = new Random(2);
        try (ChatStore store = open(dir)) {
            store.users().create("u");
            for (int k = 0; k < 20; k++) {
                store.sessions().create("u", NewSession.titled("t" + k).withId("s" + k));
                fill(store, "u", "s" + k, 30, r);
            }
            List<Session> before = store.sessions().list("u", 0, 100);
            assertSearchesAgree(store, "u");
            assertThat(userDir(dir, "u").resolve("sessions.idx")).exists();
            assertThat(userDir(dir, "u").resolve("search-index")).exists();

            deleteTree(userDir(dir, "u").resolve("search-index"));
            Files.delete(userDir(dir, "u").resolve("sessions.idx"));
            assertThat(store.sessions().list("u", 0, 100)).containsExactlyElementsOf(before);
            assertSearchesAgree(store, "u");
            fill(store, "u", "s3", 300, r);
            deleteTree(userDir(dir, "u").resolve("search-index"));
            assertSearchesAgree(store, "u");
            assertThat(userDir(dir, "u").resolve("sessions.idx")).exists();
        }
        // check --repair rebuilds both, and they agree with the primary files
        deleteTree(userDir(dir, "u").resolve("search-index"));
        StoreCheck.Report report = StoreCheck.run(dir, true);
        assertThat(report.ok()).as(report.findings().toString()).isTrue();
        assertThat(userDir(dir, "u").resolve("search-index/manifest.json")).exists();
        assertThat(userDir(dir, "u").resolve("sessions.idx")).exists();
        try (ChatStore store = open(dir)) {
            assertSearchesAgree(store, "u");
        }
    }

    @Test
    void sessionIndexDetectsStalenessFromAnotherProcessAndDamage() throws IOException {
        Path dir = tmp.resolve("data");
        try (ChatStore a = open(dir); ChatStore b = open(dir)) {
            a.users().create("u");
            for (int k = 0; k < 30; k++) {
                a.sessions().create("u", NewSession.titled("t" + k).withId("s" + k));
            }
            assertThat(a.sessions().list("u", 0, 100)).hasSize(30);
            // b updates, appends, creates and deletes; a's next listing shows exactly b's view
            b.sessions().update("u", "s5", s -> s.withTitle("renamed"));
            b.messages().append("u", "s7", NewMessage.user("hello"));
            b.sessions().create("u", NewSession.titled("new").withId("s30"));
            b.sessions().delete("u", "s0");
            assertThat(a.sessions().list("u", 0, 100)).containsExactlyElementsOf(b.sessions().list("u", 0, 100));
            assertThat(a.sessions().get("u", "s7").orElseThrow().messageCount()).isEqualTo(1);
            assertThat(a.sessions().list("u", 0, 100)).extracting(Session::id).doesNotContain("s0").contains("s30");
            assertThat(a.sessions().list("u", 0, 1).get(0).id()).isIn("s7", "s30", "s5");
        }
        Path idx = userDir(dir, "u").resolve("sessions.idx");
        List<Session> good;
        try (ChatStore store = open(dir)) {
            good = store.sessions().list("u", 0, 100);
        }
        byte[] b = Files.readAllBytes(idx);
        b[b.length / 2] ^= 0x08; // a flipped bit in some entry: the checksum catches it
        Files.write(idx, b);
        try (ChatStore store = open(dir)) {
            assertThat(store.sessions().list("u", 0, 100)).containsExactlyElementsOf(good);
        }
        assertThat(Files.readAllBytes(idx)).isNotEqualTo(b);
        // an entry that lies (a stamp that still matches but content from elsewhere) is not possible to fake by
        // accident; a hand-edited session.json changes its stamp and is re-read
        Path sj = userDir(dir, "u").resolve("sessions/s9/session.json");
        Files.writeString(sj, Files.readString(sj).replace("\"t9\"", "\"edited by hand\""));
        try (ChatStore store = open(dir)) {
            assertThat(store.sessions().get("u", "s9").orElseThrow().title()).isEqualTo("edited by hand");
            assertThat(store.sessions().list("u", 0, 100)).extracting(Session::title).contains("edited by hand");
        }
    }

    @Test
    void twoProcessesAppendAndIndexAThirdSearches() throws Exception {
        Path dir = tmp.resolve("data");
        int perThread = 200;
        ChildProcesses.Child a = ChildProcesses.start(dir, "bob", "shared", perThread, "alpha", 2, 0, 40);
        ChildProcesses.Child b = ChildProcesses.start(dir, "bob", "other", perThread, "bravo", 2, 0, 40);
        try {
            assertThat(a.ready.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(b.ready.await(60, TimeUnit.SECONDS)).isTrue();
            try (ChatStore store = open(dir)) {
                while (a.process.isAlive() || b.process.isAlive()) {
                    // searching while they append: every hit must be a real match, in order
                    List<Message> hits = store.messages().search("bob", SearchQuery.of("alpha").limit(50));
                    assertThat(hits).allMatch(m -> m.content().startsWith("alpha-"));
                    assertThat(hits).isSortedAccordingTo(TextSearch.RESULT_ORDER);
                    Thread.sleep(50);
                }
            }
            assertThat(a.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(b.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            a.drain();
            b.drain();
            assertThat(a.process.exitValue()).as(a.stderr()).isZero();
            assertThat(b.process.exitValue()).as(b.stderr()).isZero();
        } finally {
            a.process.destroyForcibly();
            b.process.destroyForcibly();
        }
        try (ChatStore store = open(dir)) {
            assertThat(store.messages().search("bob", SearchQuery.of("alpha").limit(5000))).hasSize(2 * perThread)
                    .containsExactlyElementsOf(expected(store, "bob", "alpha", 5000));
            assertThat(store.messages().search("bob", SearchQuery.of("bravo").limit(5000))).hasSize(2 * perThread)
                    .containsExactlyElementsOf(expected(store, "bob", "bravo", 5000));
            assertThat(store.messages().search("bob", SearchQuery.of("alpha 150").limit(10)))
                    .containsExactlyElementsOf(expected(store, "bob", "alpha 150", 10));
        }
        assertThat(StoreCheck.run(dir, false).findings()).isEmpty();
    }
}
