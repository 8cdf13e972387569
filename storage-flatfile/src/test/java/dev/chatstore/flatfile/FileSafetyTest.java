package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.flatfile.internal.FsNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Hostile names never leave the store; names are case-safe; files are 0600 and directories 0700. */
class FileSafetyTest {

    @TempDir
    Path tmp;

    @Test
    void encodedNamesAreSingleSafeCaseDistinctSegments() {
        List<String> hostile = List.of("..", ".", "../../etc/passwd", "a/b", "a\\b", "nul\u0000byte", "CON", "con",
                "Con.txt", "aux", "NUL.json", "LPT1", "com9.tar.gz", "trailing.", "trailing ", " leading", "~tmp-1-x",
                "x".repeat(300), "é".repeat(200), "Alice", "alice", "ALICE", "a+b", "100%", ".hidden", "emoji 😀",
                "ＣＯＮ", "");
        Set<String> lowerCased = new HashSet<>();
        for (String name : hostile) {
            String enc = FsNames.encode(name);
            assertThat(enc).as(name).matches("([a-z0-9._+-]|%[0-9A-F]{2})+").doesNotStartWith(".").doesNotEndWith(".")
                    .doesNotContain("~").doesNotContain("/").doesNotContain("\\");
            assertThat(enc.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(200);
            String base = (enc.contains(".") ? enc.substring(0, enc.indexOf('.')) : enc).toLowerCase(Locale.ROOT);
            assertThat(base).isNotIn("con", "nul", "aux", "prn", "lpt1", "com9");
            assertThat(lowerCased.add(enc.toLowerCase(Locale.ROOT))).as("%s collides case-insensitively", name).isTrue();
            assertThat(Path.of("/store").resolve(enc).normalize().getParent()).isEqualTo(Path.of("/store"));
        }
    }

    @Test
    void hostileDocumentNamesStayInsideTheSessionAndRoundTrip() throws IOException {
        Path dir = tmp.resolve("data");
        try (ChatStore store = ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir)
                .set("limits.allowed-document-extensions", "*").build()).provider(new FlatfileBackendProvider()).open()) {
            store.users().create("Alice");
            store.users().create("alice");
            store.sessions().create("Alice", NewSession.titled("upper").withId("S1"));
            store.sessions().create("alice", NewSession.titled("lower").withId("s1"));
            assertThat(store.sessions().get("Alice", "S1").orElseThrow().title()).isEqualTo("upper");
            assertThat(store.sessions().get("alice", "s1").orElseThrow().title()).isEqualTo("lower");
            for (String name : List.of("CON.txt", "Notes.txt", "notes.txt", "..hidden.txt", "résumé.txt")) {
                store.documents().save("alice", "s1", name, "text/plain", name.getBytes());
            }
            for (String name : List.of("CON.txt", "Notes.txt", "notes.txt", "..hidden.txt", "résumé.txt")) {
                try (var in = store.documents().open("alice", "s1", name).orElseThrow()) {
                    assertThat(new String(in.readAllBytes())).isEqualTo(name);
                }
            }
        } catch (dev.chatstore.api.error.StorageConfigurationException e) {
            throw e;
        }
        try (Stream<Path> walk = Files.walk(tmp)) {
            assertThat(walk.filter(p -> !p.startsWith(dir) && !p.equals(tmp))).isEmpty();
        }
    }

    @Test
    void filesAreOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path dir = tmp.resolve("data");
        try (ChatStore store = ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir).build())
                .provider(new FlatfileBackendProvider()).open()) {
            store.users().create("u");
            store.sessions().create("u", NewSession.titled("t").withId("s"));
            store.messages().append("u", "s", dev.chatstore.api.model.NewMessage.user("secret"));
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(p -> !p.equals(dir)).toList()) {
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertThat(perms).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
    }
}
