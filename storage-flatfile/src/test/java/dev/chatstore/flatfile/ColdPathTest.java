package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.flatfile.internal.FileIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14's cold paths on real files: the first read of a big log after a restart checks only what an earlier
 * run did not verify ({@code messages.verified}), and damage outside the verified prefix is still found.
 */
class ColdPathTest {

    private static final int MESSAGES = 20_000;

    @TempDir
    Path tmp;

    private static ChatStore open(Path dir, FileIo io, String verifyOnOpen) {
        return ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir).durability(Durability.NONE)
                        .backendOption("verify-on-open", verifyOnOpen).build())
                .provider(new FlatfileBackendProvider(io)).open();
    }

    private static void append(ChatStore st, int from, int count) {
        List<NewMessage> batch = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            batch.add(NewMessage.user("message number " + i + " about the weather in town"));
            if (batch.size() == 1000 || i == from + count - 1) {
                st.messages().appendAll("u", "s", batch);
                batch.clear();
            }
        }
    }

    private Path storeWith(int messages) {
        Path dir = tmp.resolve("store");
        try (ChatStore st = open(dir, FileIo.system(), "tail")) {
            st.users().create("u");
            st.sessions().create("u", NewSession.titled("big").withId("s"));
            append(st, 1, messages);
        }
        return dir;
    }

    private static Path log(Path dir) {
        return dir.resolve("users/u/sessions/s/messages.jsonl");
    }

    /** The byte offset of line {@code index} (0-based) of a log. */
    private static long offsetOfLine(Path log, int index) throws IOException {
        byte[] b = Files.readAllBytes(log);
        int line = 0;
        for (int i = 0; i < b.length && line < index; i++) {
            if (b[i] == '\n') {
                line++;
                if (line == index) {
                    return i + 1;
                }
            }
        }
        return 0;
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            var one = java.nio.ByteBuffer.allocate(1);
            ch.read(one, offset);
            ch.write(java.nio.ByteBuffer.wrap(new byte[]{(byte) (one.get(0) ^ 0x20)}), offset);
        }
    }

    @Test
    void theFirstLastAfterAReopenReadsOnlyTheTailNotTheWholeLog() throws IOException {
        Path dir = storeWith(MESSAGES);
        long logSize = Files.size(log(dir));
        assertThat(log(dir).resolveSibling("messages.verified")).exists();
        CountingFileIo io = new CountingFileIo("messages.jsonl");
        try (ChatStore st = open(dir, io, "tail")) {
            io.reset(); // what opening read is not the read's cost
            List<Message> last = st.messages().last("u", "s", 50);
            assertThat(last).hasSize(50);
            assertThat(last.get(49).seq()).isEqualTo(MESSAGES);
            assertThat(io.bytesRead()).as("bytes read of a %d-byte log", logSize).isLessThan(logSize / 100);
        }
        // the counter is honest: without the mark the first read checks every record
        Files.delete(log(dir).resolveSibling("messages.verified"));
        try (ChatStore st = open(dir, io, "tail")) {
            io.reset();
            assertThat(st.messages().last("u", "s", 50)).hasSize(50);
            assertThat(io.bytesRead()).isGreaterThanOrEqualTo(logSize);
        }
        // ... and writes the mark again, so the next run skips it
        try (ChatStore st = open(dir, io, "none")) {
            io.reset();
            assertThat(st.messages().last("u", "s", 50)).hasSize(50);
            assertThat(io.bytesRead()).isLessThan(logSize / 100);
        }
    }

    @Test
    void damageAfterTheVerifiedPrefixIsFoundByTheFirstRead() throws IOException {
        Path dir = storeWith(2_000);
        Path mark = log(dir).resolveSibling("messages.verified");
        Path earlier = tmp.resolve("messages.verified.earlier");
        Files.copy(mark, earlier);
        try (ChatStore st = open(dir, FileIo.system(), "tail")) {
            append(st, 2_001, 100);
        }
        // as if the run that appended the last 100 had crashed before saving its mark
        Files.copy(earlier, mark, StandardCopyOption.REPLACE_EXISTING);
        long damaged = offsetOfLine(log(dir), 2_049); // seq 2050: not among the last record(s) read below
        flip(log(dir), damaged + 30);

        try (ChatStore st = open(dir, FileIo.system(), "none")) {
            assertThatThrownBy(() -> st.messages().last("u", "s", 1))
                    .isInstanceOfSatisfying(StorageCorruptionException.class, e -> {
                        assertThat(e.location()).contains(log(dir).toString());
                        assertThat(e.offset()).hasValue(damaged);
                    });
        }
    }

    @Test
    void aLogReplacedByAnotherFileIsCheckedInFullDespiteTheMark() throws IOException {
        Path dir = storeWith(200);
        Path copy = tmp.resolve("copy.jsonl");
        Files.copy(log(dir), copy);
        long damaged = offsetOfLine(copy, 9);
        flip(copy, damaged + 30);
        // what an editor or `sed -i` does: a new file renamed over the log
        Files.move(copy, log(dir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        try (ChatStore st = open(dir, FileIo.system(), "none")) {
            assertThatThrownBy(() -> st.messages().last("u", "s", 1))
                    .isInstanceOfSatisfying(StorageCorruptionException.class,
                            e -> assertThat(e.offset()).hasValue(damaged));
        }
    }

    @Test
    void damageInsideTheVerifiedPrefixIsFoundWhenItsRecordIsReadOrByAFullVerify() throws IOException {
        Path dir = storeWith(200);
        long damaged = offsetOfLine(log(dir), 9); // seq 10, edited in place
        flip(log(dir), damaged + 30);

        try (ChatStore st = open(dir, FileIo.system(), "none")) {
            assertThat(st.messages().last("u", "s", 5)).hasSize(5); // the trade-off FORMAT.md documents
            assertThatThrownBy(() -> st.messages().get("u", "s", 10))
                    .isInstanceOfSatisfying(StorageCorruptionException.class,
                            e -> assertThat(e.offset()).hasValue(damaged));
        }
        assertThatThrownBy(() -> open(dir, FileIo.system(), "full").close())
                .isInstanceOfSatisfying(StorageCorruptionException.class,
                        e -> assertThat(e.offset()).hasValue(damaged));
    }
}
