package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.Orderings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCK group: keyset scans, code-point orders and a live export. Tools walk a store that the application keeps
 * writing; every record that exists for the whole walk must be seen exactly once.
 */
public abstract class KeysetScanContract extends TckSupport {

    private static <T> List<T> walk(java.util.function.BiFunction<String, Integer, List<T>> page,
                                    java.util.function.Function<T, String> id, int size) {
        List<T> all = new ArrayList<>();
        String after = "";
        while (true) {
            List<T> p = page.apply(after, size);
            all.addAll(p);
            if (p.size() < size) {
                return all;
            }
            after = id.apply(p.get(p.size() - 1));
        }
    }

    @Test
    @DisplayName("Users, sessions and panels are walked in ID order by keyset pages, each exactly once")
    void keysetPagesInIdOrder() {
        List<String> userIds = List.of("b", "A", "a", "a.1", "a-1", "a_1", "Z9", "0", "b0", "aa");
        userIds.forEach(this::user);
        for (String s : List.of("s3", "S1", "s10", "s2", "s-x", "s.y")) {
            store.sessions().create("a", NewSession.titled(s).withId(s));
        }
        store.panels().create("debate", List.of());
        store.panels().create("debate", List.of());

        List<String> expectedUsers = new ArrayList<>(userIds);
        expectedUsers.sort(Orderings.CODE_POINTS);
        assertThat(walk(store.transfer()::usersAfter, User::id, 3)).extracting(User::id).isEqualTo(expectedUsers);
        assertThat(backend().users().list("a", 100)).extracting(User::id)
                .as("strictly after the key").doesNotContain("a").startsWith("a-1");

        List<String> expectedSessions = new ArrayList<>(List.of("s3", "S1", "s10", "s2", "s-x", "s.y"));
        expectedSessions.sort(Orderings.CODE_POINTS);
        assertThat(walk((after, n) -> store.transfer().sessionsAfter("a", after, n), Session::id, 4))
                .extracting(Session::id).isEqualTo(expectedSessions);
        assertThat(store.transfer().sessionsAfter("nobody", "", 10)).isEmpty();

        List<Panel> panels = walk(store.transfer()::panelsAfter, Panel::id, 1);
        assertThat(panels).hasSize(2);
        assertThat(panels.get(0).id()).isLessThan(panels.get(1).id());
    }

    @Test
    @DisplayName("Offset paging of users still works on top of keyset pages")
    void userOffsetPaging() {
        for (int i = 0; i < 7; i++) {
            user("u" + i);
        }
        assertThat(store.users().list(2, 3)).extracting(User::id).containsExactly("u2", "u3", "u4");
        assertThat(store.users().list(6, 3)).extracting(User::id).containsExactly("u6");
        assertThat(store.users().list(9, 3)).isEmpty();
        assertThat(store.users().count()).isEqualTo(7);
    }

    @Test
    @DisplayName("Documents list by name in code-point order, non-ASCII and astral names included")
    void documentsInCodePointOrder() {
        Session s = userWithSession("alice");
        // UTF-16 order puts the astral 𝒜 (a surrogate pair, D835...) before the fullwidth ｚ (FF5A); code points do not.
        List<String> names = List.of("ｚ.txt", "𝒜.txt", "é.txt", "e.txt", "Z.txt", "z.txt", "ß.txt", "日本.txt");
        for (String n : names) {
            store.documents().save("alice", s.id(), n, "text/plain", n.getBytes(StandardCharsets.UTF_8));
        }
        List<String> expected = new ArrayList<>(names);
        expected.sort(Orderings.CODE_POINTS);
        assertThat(expected.indexOf("ｚ.txt")).isLessThan(expected.indexOf("𝒜.txt"));

        assertThat(store.documents().list("alice", s.id())).extracting(Document::name).isEqualTo(expected);
    }

    @Test
    @DisplayName("Export while other threads append and create sessions: every acknowledged record is in it exactly once")
    void liveExportMissesNothing() throws Exception {
        int users = 3;
        for (int u = 0; u < users; u++) {
            user("live" + u);
            for (int s = 0; s < 30; s++) {
                store.sessions().create("live" + u, NewSession.titled("t").withId("s" + String.format("%03d", s)));
                store.messages().append("live" + u, "s" + String.format("%03d", s), NewMessage.user("seed " + s));
            }
        }
        // What exists before the export starts must all be in it; what writers add meanwhile may or may not be.
        Map<String, Set<String>> before = messageIds(store);

        AtomicBoolean stop = new AtomicBoolean();
        Set<String> acknowledgedDuring = ConcurrentHashMap.newKeySet();
        ExecutorService writers = Executors.newFixedThreadPool(3);
        CountDownLatch started = new CountDownLatch(3);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            running.add(writers.submit(() -> {
                started.countDown();
                int i = 0;
                while (!stop.get()) {
                    String userId = "live" + (i % users);
                    // Appending to the sessions that sort last by ID moves them to the front of the
                    // updatedAt order, the case that made offset paging skip sessions.
                    String sessionId = "s" + String.format("%03d", 29 - (i % 30));
                    Message m = store.messages().append(userId, sessionId, NewMessage.user("w" + writer + " " + i));
                    acknowledgedDuring.add(userId + "/" + sessionId + "/" + m.id());
                    if (i % 7 == 0 && i < 7 * 50) {
                        store.sessions().create(userId, NewSession.titled("new").withId("n" + writer + "-" + i));
                    }
                    i++;
                }
                return null;
            }));
        }
        started.await(10, TimeUnit.SECONDS);
        String export;
        try {
            export = exportBody(store);
        } finally {
            stop.set(true);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            writers.shutdownNow();
        }

        Map<String, Integer> exported = new HashMap<>();
        Set<String> exportedSessions = new HashSet<>();
        for (String line : export.split("\n")) {
            if (line.contains("\"type\":\"message\"")) {
                exported.merge(field(line, "userId") + "/" + field(line, "sessionId") + "/" + field(line, "id"), 1,
                        Integer::sum);
            } else if (line.contains("\"type\":\"session\"")) {
                assertThat(exportedSessions.add(field(line, "userId") + "/" + field(line, "id")))
                        .as("session exported once: " + line).isTrue();
            }
        }
        assertThat(exported.values()).as("no record exported twice").allMatch(n -> n == 1);
        for (Map.Entry<String, Set<String>> session : before.entrySet()) {
            assertThat(exportedSessions).as("session existing for the whole export").contains(session.getKey());
            for (String id : session.getValue()) {
                assertThat(exported).as("message acknowledged before the export").containsKey(session.getKey() + "/" + id);
            }
        }
        assertThat(acknowledgedDuring).as("the writers really wrote during the export").isNotEmpty();
    }

    private static Map<String, Set<String>> messageIds(ChatStore s) {
        Map<String, Set<String>> out = new HashMap<>();
        for (User u : s.users().list(0, 100)) {
            for (Session session : s.transfer().sessionsAfter(u.id(), "", 1000)) {
                Set<String> ids = new HashSet<>();
                s.messages().after(u.id(), session.id(), 0, 10_000).forEach(m -> ids.add(m.id()));
                out.put(u.id() + "/" + session.id(), Collections.unmodifiableSet(ids));
            }
        }
        return out;
    }

    /** The string value of a top-level field of one export line (IDs hold no quotes or escapes). */
    private static String field(String line, String name) {
        String key = "\"" + name + "\":\"";
        int at = line.indexOf(key);
        if (at < 0) {
            return "";
        }
        int from = at + key.length();
        return line.substring(from, line.indexOf('"', from));
    }
}
