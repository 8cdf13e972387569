package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bytes flipped in the middle of a log and in a JSON file; torn and NUL-padded tails. */
class CorruptionTest {

    @TempDir
    Path tmp;

    private ChatStore open(Path dir, boolean salvage) {
        return open(dir, salvage, "tail");
    }

    private ChatStore open(Path dir, boolean salvage, String verifyOnOpen) {
        ChatStoreConfig.Builder b = ChatStoreConfig.isolated().url("file:" + dir)
                .backendOption("verify-on-open", verifyOnOpen);
        if (salvage) {
            b.backendOption("salvage", "true");
        }
        return ChatStore.builder().config(b.build()).provider(new FlatfileBackendProvider()).open();
    }

    private static void assertNamesFileAndOffset(Throwable e, Path file, long offset) {
        assertThat(e).isInstanceOf(StorageCorruptionException.class);
        StorageCorruptionException c = (StorageCorruptionException) e;
        assertThat(c.location()).contains(file.toString());
        assertThat(c.offset()).hasValue(offset);
    }

    @Test
    void fullVerifyOnOpenRefusesToOpenAStoreWithDamageInTheMiddleOfALog() throws IOException {
        Path dir = storeWithMessages(20);
        Path log = dir.resolve("users/alice/sessions/s1/messages.jsonl");
        long damaged = offsetOfLine(log, 9);
        flip(log, damaged + 40);

        assertThatThrownBy(() -> open(dir, false, "full").close())
                .satisfies(e -> assertNamesFileAndOffset(e, log, damaged));
        // tail (the default) opens, since the tail is intact; reading the damaged record finds the damage (the
        // records before it were verified by an earlier run, see messages.verified in FORMAT.md)
        try (ChatStore store = open(dir, false, "tail")) {
            assertThatThrownBy(() -> store.messages().page("alice", "s1", 5, 5))
                    .satisfies(e -> assertNamesFileAndOffset(e, log, damaged));
        }
        try (ChatStore store = open(dir, false, "none")) {
            assertThatThrownBy(() -> store.messages().get("alice", "s1", 10))
                    .satisfies(e -> assertNamesFileAndOffset(e, log, damaged));
        }
        // without the verified mark, the first read in order checks the whole log again
        Files.delete(log.resolveSibling("messages.verified"));
        try (ChatStore store = open(dir, false, "none")) {
            assertThatThrownBy(() -> store.messages().last("alice", "s1", 1))
                    .satisfies(e -> assertNamesFileAndOffset(e, log, damaged));
        }
    }

    @Test
    void tailVerifyOnOpenCutsATornTailAtOpen() throws IOException {
        Path dir2 = tmp.resolve("second");
        try (ChatStore store = open(dir2, false)) {
            store.users().create("bob");
            store.sessions().create("bob", NewSession.titled("t").withId("s"));
            store.messages().append("bob", "s", NewMessage.user("one"));
        }
        Path log2 = dir2.resolve("users/bob/sessions/s/messages.jsonl");
        long size = Files.size(log2);
        Files.write(log2, "{\"seq\":2,\"id\":\"torn".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (ChatStore store = open(dir2, false, "tail")) {
            assertThat(Files.size(log2)).as("cut at open, before any read").isEqualTo(size);
        }
    }

    private Path storeWithMessages(int n) {
        Path dir = tmp.resolve("data");
        try (ChatStore store = open(dir, false)) {
            store.users().create("alice");
            store.sessions().create("alice", NewSession.titled("t").withId("s1"));
            for (int i = 1; i <= n; i++) {
                store.messages().append("alice", "s1", NewMessage.user("message number " + i));
            }
        }
        return dir;
    }

    /** The byte offset where line {@code lineIndex} (from 0) of a log starts. */
    static long offsetOfLine(Path log, int lineIndex) throws IOException {
        byte[] b = Files.readAllBytes(log);
        int line = 0;
        for (int i = 0; i < b.length; i++) {
            if (line == lineIndex) {
                return i;
            }
            if (b[i] == '\n') {
                line++;
            }
        }
        throw new IllegalArgumentException("no line " + lineIndex);
    }

    private static void flip(Path file, long offset) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            var one = java.nio.ByteBuffer.allocate(1);
            ch.read(one, offset);
            one.flip();
            byte b = one.get(0);
            ch.write(java.nio.ByteBuffer.wrap(new byte[]{(byte) (b ^ 0x20)}), offset);
        }
    }

    @Test
    void flippedByteInTheMiddleOfALogIsReportedRefusedAndSalvaged() throws IOException {
        Path dir = storeWithMessages(20);
        Path log = dir.resolve("users/alice/sessions/s1/messages.jsonl");
        long damaged = offsetOfLine(log, 9); // the 10th record
        flip(log, damaged + 40);

        StoreCheck.Report report = StoreCheck.run(dir, false);
        assertThat(report.ok()).isFalse();
        assertThat(report.findings()).anyMatch(f -> f.contains(log.toString()) && f.contains("@" + damaged));

        try (ChatStore store = open(dir, false)) {
            assertThatThrownBy(() -> store.messages().page("alice", "s1", 0, 100))
                    .isInstanceOf(StorageCorruptionException.class)
                    .satisfies(e -> {
                        StorageCorruptionException c = (StorageCorruptionException) e;
                        assertThat(c.location()).contains(log.toString());
                        assertThat(c.offset()).hasValue(damaged);
                    });
        }
        // repair does not paper over it: damage before the tail needs salvage
        assertThat(StoreCheck.run(dir, true).ok()).isFalse();

        try (ChatStore store = open(dir, true)) {
            List<Message> kept = store.messages().page("alice", "s1", 0, 100);
            assertThat(kept).hasSize(19);
            assertThat(kept).extracting(Message::content).doesNotContain("message number 10")
                    .contains("message number 9", "message number 11", "message number 20");
            assertThat(store.messages().get("alice", "s1", 11)).isPresent();
            assertThat(store.messages().get("alice", "s1", 10)).isEmpty();
            Message next = store.messages().append("alice", "s1", NewMessage.user("after salvage"));
            assertThat(next.seq()).isEqualTo(21);
        }
        Path aside = log.resolveSibling("messages.jsonl~damaged-" + damaged);
        assertThat(aside).exists();
        assertThat(Files.readString(aside)).contains("umber 10"); // the damaged bytes are kept for a human
        StoreCheck.Report after = StoreCheck.run(dir, false);
        assertThat(after.ok()).as(after.findings().toString()).isTrue();
    }

    @Test
    void damagedJsonFileIsCorruptionNeverEmpty() throws IOException {
        Path dir = storeWithMessages(3);
        Path session = dir.resolve("users/alice/sessions/s1/session.json");
        String json = Files.readString(session);
        int at = json.indexOf("\"title\"");
        Files.writeString(session, json.substring(0, at) + "\"title\" \"oops" + json.substring(at + 8));

        StoreCheck.Report report = StoreCheck.run(dir, false);
        assertThat(report.ok()).isFalse();
        assertThat(report.findings()).anyMatch(f -> f.contains(session.toString()) && f.contains("@"));

        // verify-on-open=tail (the default) parses every session.json: the open itself fails
        assertThatThrownBy(() -> open(dir, false).close()).isInstanceOf(StorageCorruptionException.class)
                .hasMessageContaining(session.toString()).hasMessageContaining("offset");
        try (ChatStore store = open(dir, false, "none")) {
            assertThatThrownBy(() -> store.sessions().get("alice", "s1"))
                    .isInstanceOf(StorageCorruptionException.class)
                    .hasMessageContaining(session.toString()).hasMessageContaining("offset");
            assertThatThrownBy(() -> store.sessions().list("alice", 0, 10)).isInstanceOf(StorageCorruptionException.class);
        }
        try (ChatStore store = open(dir, true)) {
            assertThat(store.sessions().get("alice", "s1")).isEmpty();
        }
        try (Stream<Path> files = Files.list(session.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("session.json~damaged-"));
        }
    }

    @Test
    void tornAndNulPaddedTailsAreCutOffOnOpen() throws IOException {
        Path dir = storeWithMessages(5);
        Path log = dir.resolve("users/alice/sessions/s1/messages.jsonl");
        long size = Files.size(log);
        Files.write(log, "{\"seq\":6,\"id\":\"01HALF".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        Files.write(log, new byte[4096], StandardOpenOption.APPEND); // NUL blocks, as ext4 leaves after a crash
        assertThat(StoreCheck.run(dir, false).findings()).anyMatch(f -> f.contains("torn tail"));
        try (ChatStore store = open(dir, false)) {
            assertThat(store.messages().count("alice", "s1")).isEqualTo(5);
            assertThat(store.messages().append("alice", "s1", NewMessage.user("six")).seq()).isEqualTo(6);
        }
        assertThat(Files.size(log)).isGreaterThan(size);
        assertThat(StoreCheck.run(dir, false).ok()).isTrue();
    }

    @Test
    void checkRepairCutsTornTailsAndRebuildsIndexes() throws IOException {
        Path dir = storeWithMessages(8);
        Path log = dir.resolve("users/alice/sessions/s1/messages.jsonl");
        Path idx = log.resolveSibling("messages.idx");
        Files.write(log, "{\"seq\":9,\"id\":\"x\",\"role\":\"us".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        byte[] index = Files.readAllBytes(idx);
        index[20] ^= 0x7f; // a wrong offset in entry 1
        Files.write(idx, index);

        StoreCheck.Report report = StoreCheck.run(dir, false);
        assertThat(report.findings()).anyMatch(f -> f.contains("torn tail")).anyMatch(f -> f.contains("index disagrees"));
        StoreCheck.Report repaired = StoreCheck.run(dir, true);
        assertThat(repaired.ok()).as(repaired.findings().toString()).isTrue();
        assertThat(repaired.repaired()).isNotEmpty();
        try (ChatStore store = open(dir, false)) {
            assertThat(store.messages().last("alice", "s1", 3)).extracting(Message::seq).containsExactly(6L, 7L, 8L);
        }
    }

    /**
     * Issue 8, item 1: a complete, newline-terminated last line whose checksum fails (a flipped byte, a hand edit
     * without a new crc) cannot be an interrupted write. Before the fix, opening or reading truncated it as a torn
     * tail and the record was gone.
     */
    @Test
    void aCompleteLastLineWithABadChecksumIsDamageAndIsNeverCut() throws IOException {
        Path dir = storeWithMessages(5);
        Path log = dir.resolve("users/alice/sessions/s1/messages.jsonl");
        long last = offsetOfLine(log, 4);
        flip(log, last + 40); // inside the record; the line still ends in '\n'
        byte[] damaged = Files.readAllBytes(log);
        assertThat(damaged[damaged.length - 1]).isEqualTo((byte) '\n');

        StoreCheck.Report report = StoreCheck.run(dir, false);
        assertThat(report.ok()).isFalse();
        assertThat(report.findings()).noneMatch(f -> f.contains("torn tail"))
                .anyMatch(f -> f.startsWith("ERROR") && f.contains(log + " @" + last));
        assertThatThrownBy(() -> open(dir, false).close()).satisfies(e -> assertNamesFileAndOffset(e, log, last));
        try (ChatStore store = open(dir, false, "none")) {
            assertThatThrownBy(() -> store.messages().count("alice", "s1"))
                    .satisfies(e -> assertNamesFileAndOffset(e, log, last));
        }
        StoreCheck.run(dir, true); // repair does not cut damage either
        assertThat(Files.readAllBytes(log)).as("nothing was cut").isEqualTo(damaged);

        try (ChatStore store = open(dir, true)) { // salvage keeps the intact records and sets the damage aside
            assertThat(store.messages().count("alice", "s1")).isEqualTo(4);
        }
        assertThat(Files.readAllBytes(log.resolveSibling("messages.jsonl~damaged-" + last)))
                .isEqualTo(java.util.Arrays.copyOfRange(damaged, (int) last, damaged.length));
    }

    /** Issue 8, item 1: what recovery cuts off as a torn tail is kept beside the log, never deleted. */
    @Test
    void aCutTornTailIsKeptBesideTheLog() throws IOException {
        Path dir = storeWithMessages(3);
        Path log = dir.resolve("users/alice/sessions/s1/messages.jsonl");
        long size = Files.size(log);
        byte[] torn = "{\"seq\":4,\"id\":\"01HALF".getBytes(StandardCharsets.UTF_8);
        Files.write(log, torn, StandardOpenOption.APPEND);
        try (ChatStore store = open(dir, false)) {
            assertThat(store.messages().count("alice", "s1")).isEqualTo(3);
        }
        assertThat(Files.size(log)).isEqualTo(size);
        assertThat(Files.readAllBytes(log.resolveSibling("messages.jsonl~torn-" + size))).isEqualTo(torn);
        assertThat(StoreCheck.run(dir, false).ok()).isTrue();
    }
}
