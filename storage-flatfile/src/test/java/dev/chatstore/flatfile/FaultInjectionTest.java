package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.Session;
import dev.chatstore.flatfile.internal.FileIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Writes, fsyncs and renames that fail like a full disk, injected through the backend's {@link FileIo} seam: the
 * caller gets a typed error, and after reopening the store holds exactly the acknowledged data.
 */
class FaultInjectionTest {

    @TempDir
    Path tmp;

    /** The real file system, except for the faults switched on. */
    static final class FailingFileIo extends ForwardingFileIo {
        volatile boolean failWrites;
        volatile int partialBytes = 7; // a full disk accepts a few bytes, then ENOSPC
        volatile boolean failForce;
        volatile boolean failMove;
        volatile String onlyPathContaining = "";

        @Override
        public void write(FileChannel channel, ByteBuffer src, long position) throws IOException {
            if (failWrites) {
                int n = Math.min(partialBytes, src.remaining());
                ByteBuffer part = src.slice();
                part.limit(n);
                super.write(channel, part, position);
                throw new IOException("No space left on device (injected)");
            }
            super.write(channel, src, position);
        }

        @Override
        public void force(FileChannel channel) throws IOException {
            if (failForce) {
                throw new IOException("Input/output error (injected fsync failure)");
            }
            super.force(channel);
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            if (failMove && to.toString().contains(onlyPathContaining)) {
                throw new IOException("No space left on device (injected rename failure)");
            }
            super.move(from, to);
        }
    }

    private ChatStore open(Path dir, FileIo io) {
        return ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir).build())
                .provider(new FlatfileBackendProvider(io)).open();
    }

    @Test
    void fullDiskDuringAppendLeavesNothingAndTheStoreGoesOn() {
        Path dir = tmp.resolve("data");
        FailingFileIo io = new FailingFileIo();
        try (ChatStore store = open(dir, io)) {
            store.users().create("u");
            Session s = store.sessions().create("u", "s");
            store.messages().append("u", s.id(), NewMessage.user("one"));
            io.failWrites = true;
            assertThatThrownBy(() -> store.messages().append("u", s.id(), NewMessage.user("lost")))
                    .isInstanceOf(StorageIOException.class).hasMessageContaining("No space left");
            io.failWrites = false;
            Message two = store.messages().append("u", s.id(), NewMessage.user("two"));
            assertThat(two.seq()).isEqualTo(2);
        }
        try (ChatStore store = open(dir, FileIo.system())) {
            String sid = store.sessions().list("u", 0, 10).get(0).id();
            assertThat(store.messages().page("u", sid, 0, 10)).extracting(Message::content)
                    .containsExactly("one", "two");
        }
        assertThat(StoreCheck.run(dir, false).findings()).isEmpty();
    }

    @Test
    void failedFsyncIsATypedErrorPoisonsTheStoreAndLeavesOnlyAcknowledgedData() {
        Path dir = tmp.resolve("data");
        FailingFileIo io = new FailingFileIo();
        String sid;
        try (ChatStore store = open(dir, io)) {
            store.users().create("u");
            sid = store.sessions().create("u", "s").id();
            store.messages().append("u", sid, NewMessage.user("acked"));
            io.failForce = true;
            assertThatThrownBy(() -> store.messages().append("u", sid, NewMessage.user("not acked")))
                    .isInstanceOf(StorageIOException.class).hasMessageContaining("fsync");
            io.failForce = false;
            // never retried: the store refuses writes until it is reopened, even though fsync works again
            assertThatThrownBy(() -> store.messages().append("u", sid, NewMessage.user("refused")))
                    .isInstanceOf(StorageIOException.class).hasMessageContaining("reopened");
            assertThatThrownBy(() -> store.users().create("v")).isInstanceOf(StorageIOException.class);
            assertThat(store.health().writable()).isFalse();
            // reads still work
            assertThat(store.messages().last("u", sid, 10)).extracting(Message::content).containsExactly("acked");
        }
        try (ChatStore store = open(dir, FileIo.system())) {
            assertThat(store.messages().page("u", sid, 0, 10)).extracting(Message::content).containsExactly("acked");
            assertThat(store.messages().append("u", sid, NewMessage.user("after reopen")).seq()).isEqualTo(2);
        }
    }

    @Test
    void failedRenameKeepsTheOldJsonAndLeavesNoTemporaryFile() throws IOException {
        Path dir = tmp.resolve("data");
        FailingFileIo io = new FailingFileIo();
        try (ChatStore store = open(dir, io)) {
            store.users().create("u");
            Session s = store.sessions().create("u", NewSession.titled("old title").withId("s1"));
            io.failMove = true;
            io.onlyPathContaining = "session.json";
            assertThatThrownBy(() -> store.sessions().update(s.withTitle("new title")))
                    .isInstanceOf(StorageIOException.class);
            io.failMove = false;
            assertThat(store.sessions().get("u", "s1").orElseThrow().title()).isEqualTo("old title");
        }
        try (ChatStore store = open(dir, FileIo.system())) {
            assertThat(store.sessions().get("u", "s1").orElseThrow().title()).isEqualTo("old title");
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            assertThat(walk.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("~tmp-"));
        }
    }

    @Test
    void fullDiskDuringDocumentUploadKeepsThePreviousDocument() throws IOException {
        Path dir = tmp.resolve("data");
        FailingFileIo io = new FailingFileIo();
        try (ChatStore store = open(dir, io)) {
            store.users().create("u");
            store.sessions().create("u", NewSession.titled("t").withId("s1"));
            store.documents().save("u", "s1", "notes.txt", "text/plain", "v1".getBytes());
            io.failWrites = true;
            assertThatThrownBy(() -> store.documents().save("u", "s1", "notes.txt", "text/plain",
                    "version two".getBytes())).isInstanceOf(StorageIOException.class);
            io.failWrites = false;
        }
        try (ChatStore store = open(dir, FileIo.system())) {
            try (var in = store.documents().open("u", "s1", "notes.txt").orElseThrow()) {
                assertThat(new String(in.readAllBytes())).isEqualTo("v1");
            }
            assertThat(store.documents().list("u", "s1")).hasSize(1);
        }
        assertThat(StoreCheck.run(dir, false).findings()).isEmpty();
    }

    @Test
    void failuresKeepEveryAcknowledgedAppendAcrossManyAttempts() {
        Path dir = tmp.resolve("data");
        FailingFileIo io = new FailingFileIo();
        List<String> acked = new java.util.ArrayList<>();
        try (ChatStore store = open(dir, io)) {
            store.users().create("u");
            store.sessions().create("u", NewSession.titled("t").withId("s1"));
            for (int i = 0; i < 60; i++) {
                io.failWrites = i % 3 == 1;
                io.partialBytes = i % 17;
                try {
                    store.messages().appendAll("u", "s1", List.of(NewMessage.user("m" + i + "a"), NewMessage.user("m" + i + "b")));
                    acked.add("m" + i + "a");
                    acked.add("m" + i + "b");
                } catch (StorageIOException expected) {
                    // typed, and nothing of the batch may remain
                }
            }
            io.failWrites = false;
        }
        try (ChatStore store = open(dir, FileIo.system())) {
            assertThat(store.messages().page("u", "s1", 0, 1000)).extracting(Message::content)
                    .containsExactlyElementsOf(acked);
        }
        assertThat(StoreCheck.run(dir, false).findings()).isEmpty();
    }
}
