package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewPanel;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.Usage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's damage kit: for each kind of file, damaged; every read path (including the ones that do not touch
 * it) x three consecutive attempts, and once more after reopening with each {@code verify-on-open} mode. Each
 * answer is either the complete answer of the undamaged store or a {@link StorageCorruptionException} naming the
 * damaged file, never a shorter answer. A refused open must name the file too.
 */
class DamageKitTest {

    private static final byte[] KEY = new byte[32];

    @TempDir
    Path tmp;

    private static ChatStore open(Path dir, String verifyOnOpen) {
        return ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir)
                .encryptionKey("k", KEY).activeKeyId("k")
                .backendOption("verify-on-open", verifyOnOpen).build())
                .provider(new FlatfileBackendProvider()).open();
    }

    /** Every read path, by name. */
    private static Map<String, Function<ChatStore, Object>> readPaths() {
        Map<String, Function<ChatStore, Object>> p = new LinkedHashMap<>();
        p.put("users.get", s -> s.users().get("u"));
        p.put("users.list", s -> s.users().list());
        p.put("sessions.get", s -> s.sessions().get("u", "s"));
        p.put("sessions.list", s -> s.sessions().list("u"));
        p.put("sessions.count", s -> s.sessions().count("u"));
        p.put("messages.page", s -> s.messages().page("u", "s"));
        p.put("messages.get", s -> s.messages().get("u", "s", 2));
        p.put("messages.last", s -> s.messages().last("u", "s", 2));
        p.put("messages.after", s -> s.messages().after("u", "s", 1, 10));
        p.put("messages.count", s -> s.messages().count("u", "s"));
        p.put("messages.search", s -> s.messages().search("u", "alpha"));
        p.put("messages.search2", s -> s.messages().search("u", "alpha bravo"));
        p.put("usage.user", s -> s.usage().forUser("u"));
        p.put("usage.session", s -> s.usage().forSession("u", "s"));
        p.put("contexts.current", s -> s.contexts().current("u", "s"));
        p.put("contexts.history", s -> s.contexts().history("u", "s"));
        p.put("personas.find", s -> s.personas().find(PersonaScope.user("u"), "coach"));
        p.put("personas.visible", s -> s.personas().listVisibleTo("u"));
        p.put("credentials.get", s -> s.credentials().get("u", "openai"));
        p.put("credentials.providers", s -> s.credentials().providers("u"));
        p.put("panels.get", s -> s.panels().get("p"));
        p.put("panels.list", s -> s.panels().list(0, 10));
        p.put("panels.messages", s -> s.panels().messages("p"));
        p.put("documents.get", s -> s.documents().get("u", "s", "notes.txt"));
        p.put("documents.read", s -> s.documents().read("u", "s", "notes.txt").map(b -> new String(b,
                StandardCharsets.UTF_8)));
        p.put("documents.list", s -> s.documents().list("u", "s"));
        p.put("export", s -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.exportTo(out);
            // the export's own time stamp differs between two exports of the same data
            return out.toString(StandardCharsets.UTF_8).replaceAll("\"exportedAt\":\"[^\"]*\"", "");
        });
        return p;
    }

    private static void populate(Path dir) {
        try (ChatStore st = open(dir, "tail")) {
            st.users().create("u");
            st.sessions().create("u", NewSession.titled("hello").withId("s"));
            for (int i = 1; i <= 4; i++) {
                st.messages().append("u", "s", NewMessage.user("alpha bravo number " + i)
                        .withUsage(new Usage(5, 6, new java.math.BigDecimal("0.10"), "EUR")));
            }
            st.contexts().set("u", "s", new SituationalContext("summary", List.of(), Map.of(), 0.5, Instant.now()));
            st.personas().save(PersonaScope.user("u"), "coach", JsonObject.of("prompt", "be kind"));
            st.credentials().put("u", "openai", "sk-secret");
            st.panels().create(NewPanel.of("focus_group", List.of("coach")).withId("p"));
            st.panels().append("p", NewMessage.user("panel says alpha"));
            st.documents().save("u", "s", "notes.txt", "text/plain", "some notes".getBytes(StandardCharsets.UTF_8));
            // the derived indexes exist on disk before the damage
            st.sessions().list("u");
            st.messages().search("u", "alpha");
        }
    }

    /** The files of a kind, found by walking the store. */
    private static List<Path> filesOf(Path dir, String kind) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.filter(Files::isRegularFile).sorted().toList();
            List<Path> out = new ArrayList<>();
            for (Path p : all) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                boolean match = switch (kind) {
                    case "manifest" -> rel.equals("chatstore.json");
                    case "user" -> rel.endsWith("/user.json");
                    case "session" -> rel.endsWith("/session.json");
                    case "context" -> rel.endsWith("situational_context.json");
                    case "persona" -> rel.contains("persona") && rel.endsWith(".json");
                    case "credential" -> rel.contains("credential") && rel.endsWith(".json");
                    case "panel" -> rel.endsWith("/panel.json");
                    case "document-metadata" -> rel.endsWith("/metadata.json");
                    case "session-log-line" -> rel.endsWith("sessions/s/messages.jsonl");
                    case "panel-log-line" -> rel.startsWith("panel_sessions/") && rel.endsWith("/messages.jsonl");
                    case "offset-index" -> rel.endsWith("/messages.idx");
                    case "sessions-index" -> rel.endsWith("/sessions.idx");
                    case "search-index" -> rel.contains("/search-index/");
                    default -> throw new IllegalArgumentException(kind);
                };
                if (match) {
                    out.add(p);
                }
            }
            return out;
        }
    }

    private static void damage(Path file, String kind) throws IOException {
        byte[] b = Files.readAllBytes(file);
        if (kind.endsWith("log-line")) {
            int firstNl = indexOf(b, (byte) '\n', 0);
            // in the middle of the second line, or of the only one: a checksum failure in a complete line
            int at = firstNl + 20 < b.length - 2 ? firstNl + 20 : firstNl / 2;
            b[at] ^= 0x20;
        } else if (kind.endsWith("index")) {
            for (int i = b.length / 3; i < Math.min(b.length, b.length / 3 + 8); i++) {
                b[i] ^= 0x5a;
            }
        } else {
            String s = new String(b, StandardCharsets.UTF_8).replaceFirst(":", "#");
            b = s.getBytes(StandardCharsets.UTF_8);
        }
        Files.write(file, b);
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** Sets every directory's mtime back, so that caches trust what they remembered (SessionIndex.RACY_MILLIS). */
    private static void ageDirectories(Path dir) throws IOException {
        FileTime old = FileTime.from(Instant.now().minusSeconds(30));
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isDirectory).toList()) {
                Files.setLastModifiedTime(p, old);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"manifest", "user", "session", "context", "persona", "credential", "panel",
            "document-metadata", "session-log-line", "panel-log-line", "offset-index", "sessions-index"})
    void aDamagedFileIsTheCompleteAnswerOrAnErrorNamingItOnEveryAttempt(String kind) throws IOException {
        Path dir = tmp.resolve("store");
        populate(dir);
        Map<String, Object> expected = new LinkedHashMap<>();
        try (ChatStore st = open(dir, "tail")) {
            readPaths().forEach((name, read) -> expected.put(name, read.apply(st)));
        }
        if (!kind.equals("sessions-index")) {
            // cold caches: the issue-15 bug needed a session index that had never listed the damaged session
            Files.deleteIfExists(dir.resolve("users/u/sessions.idx"));
        }
        List<Path> damaged = filesOf(dir, kind);
        assertThat(damaged).as("files of kind " + kind).isNotEmpty();
        List<String> failures = new ArrayList<>();
        try (ChatStore st = open(dir, "tail")) {
            for (Path f : damaged) {
                damage(f, kind);
            }
            ageDirectories(dir);
            attempts(st, "same store", expected, damaged, failures);
        } catch (StorageCorruptionException e) {
            check(e, "close", damaged, failures);
        }
        for (String mode : new String[] {"none", "tail", "full"}) {
            ChatStore opened;
            try {
                opened = open(dir, mode);
            } catch (RuntimeException e) {
                check(e, "open verify-on-open=" + mode, damaged, failures);
                continue;
            }
            try (ChatStore st = opened) {
                ageDirectories(dir);
                attempts(st, "reopened verify-on-open=" + mode, expected, damaged, failures);
            }
        }
        assertThat(failures).as("read paths that answered neither completely nor with the damaged file's name")
                .isEmpty();
    }

    private static void attempts(ChatStore st, String where, Map<String, Object> expected, List<Path> damaged,
            List<String> failures) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            for (Map.Entry<String, Function<ChatStore, Object>> e : readPaths().entrySet()) {
                String what = where + ", attempt " + attempt + ", " + e.getKey();
                try {
                    Object got = e.getValue().apply(st);
                    if (!String.valueOf(got).equals(String.valueOf(expected.get(e.getKey())))) {
                        failures.add(what + ": answered " + abbreviate(got) + " instead of "
                                + abbreviate(expected.get(e.getKey())));
                    }
                } catch (RuntimeException ex) {
                    check(ex, what, damaged, failures);
                }
            }
        }
    }

    private static void check(RuntimeException ex, String what, List<Path> damaged, List<String> failures) {
        if (!(ex instanceof StorageCorruptionException c)
                || damaged.stream().noneMatch(f -> String.valueOf(c.getMessage()).contains(f.toString()))) {
            failures.add(what + ": " + ex);
        }
    }

    private static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
