package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StoreReadOnlyException;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.flatfile.internal.FileIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 8, item 2: {@code store.read-only=true} reads a store without changing a byte: no lock file, no
 * recovery writes (a torn tail stays, a missing index is rebuilt in memory), no derived files; and it works where
 * the process may not write. Before the option existed, every open wrote the lock file and cut torn tails.
 */
class ReadOnlyTest {

    @TempDir
    Path tmp;

    private Path storeWithATornTail() throws IOException {
        Path dir = tmp.resolve("data");
        try (ChatStore store = ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir).build())
                .provider(new FlatfileBackendProvider()).open()) {
            store.users().create("alice");
            store.sessions().create("alice", NewSession.titled("t").withId("s1"));
            for (int i = 1; i <= 5; i++) {
                store.messages().append("alice", "s1", NewMessage.user("read only message " + i));
            }
        }
        Path log = dir.resolve("users/alice/sessions/s1/messages.jsonl");
        Files.write(log, "{\"seq\":6,\"id\":\"01HALF".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        Files.delete(log.resolveSibling("messages.idx")); // derived: a writer would rebuild it on disk
        Files.deleteIfExists(dir.resolve("users/alice/sessions.idx"));
        Files.delete(dir.resolve("store.lock"));
        return dir;
    }

    private static ChatStore openReadOnly(Path dir, FileIo io) {
        return ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir)
                        .set(Setting.READ_ONLY, true).build())
                .provider(new FlatfileBackendProvider(io)).open();
    }

    /** Every file with its SHA-256 and modification time. */
    private static Map<String, String> snapshot(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String what = Files.isDirectory(p) ? "dir " + Files.getLastModifiedTime(p)
                        : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)))
                        + " " + Files.getLastModifiedTime(p);
                out.put(dir.relativize(p).toString(), what);
            }
        }
        return out;
    }

    private static void readEverything(ChatStore store) {
        assertThat(store.sessions().list("alice")).hasSize(1);
        assertThat(store.messages().count("alice", "s1")).isEqualTo(5);
        assertThat(store.messages().after("alice", "s1", 0, 100)).hasSize(5);
        assertThat(store.messages().last("alice", "s1", 2)).hasSize(2);
        assertThat(store.messages().search("alice", "message")).hasSize(5);
        assertThat(store.usage().forUser("alice").messages()).isZero(); // user messages carry no usage
        ByteArrayOutputStream export = new ByteArrayOutputStream();
        store.exportTo(export);
        assertThat(export.toString(StandardCharsets.UTF_8)).contains("read only message 5");
        assertThat(store.maintenance().orElseThrow().check(StoreMaintenance.Mode.CHECK).findings())
                .anyMatch(f -> f.message().contains("torn tail"));
    }

    @Test
    void aReadOnlyOpenWritesNothingNotEvenTheLockFile() throws Exception {
        Path dir = storeWithATornTail();
        Map<String, String> before = snapshot(dir);
        try (ChatStore store = openReadOnly(dir, FileIo.system())) {
            readEverything(store);
            assertThatThrownBy(() -> store.messages().append("alice", "s1", NewMessage.user("no")))
                    .isInstanceOf(StoreReadOnlyException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> store.users().create("bob"))
                    .isInstanceOf(StoreReadOnlyException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> store.maintenance().orElseThrow().check(StoreMaintenance.Mode.REPAIR))
                    .isInstanceOf(StorageConfigurationException.class);
            assertThat(store.health().writable()).isFalse();
        }
        assertThat(snapshot(dir)).isEqualTo(before);
        assertThat(dir.resolve("store.lock")).doesNotExist();
    }

    @Test
    void aReadOnlyOpenWorksWhereTheProcessMayNotWrite() throws Exception {
        Path dir = storeWithATornTail();
        FileIo denied = new DenyingFileIo();
        // without the option, opening needs the lock file, and the error says why it failed
        assertThatThrownBy(() -> ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir).build())
                .provider(new FlatfileBackendProvider(denied)).open())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("store.lock").hasMessageContaining("Permission denied");
        try (ChatStore store = openReadOnly(dir, denied)) {
            readEverything(store);
        }
    }

    @Test
    void aReadOnlyOpenOfAMissingStoreCreatesNothing() {
        Path missing = tmp.resolve("typo");
        assertThatThrownBy(() -> openReadOnly(missing, FileIo.system()))
                .isInstanceOf(StorageConfigurationException.class).hasMessageContaining("no Chatstore store at");
        assertThat(missing).doesNotExist();
    }

    /** A file system on which this process may read but not write (EACCES on every write). */
    private static final class DenyingFileIo implements FileIo {
        private final FileIo real = FileIo.system();

        private static AccessDeniedException denied(Object what) {
            return new AccessDeniedException(String.valueOf(what), null, "Permission denied");
        }

        @Override
        public FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
            for (OpenOption o : options) {
                if (o != StandardOpenOption.READ) {
                    throw denied(file);
                }
            }
            return real.open(file, options);
        }

        @Override
        public void write(FileChannel channel, ByteBuffer src, long position) throws IOException {
            throw denied(channel);
        }

        @Override
        public void force(FileChannel channel) throws IOException {
            throw denied(channel);
        }

        @Override
        public void truncate(FileChannel channel, long size) throws IOException {
            throw denied(channel);
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            throw denied(from);
        }

        @Override
        public void fsyncDirectory(Path dir) throws IOException {
            throw denied(dir);
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) {
                throw denied(dir);
            }
        }
    }

    @Test
    void createIfMissingFalseRefusesATypoAndCreatesNothing(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path typo = tmp.resolve("dta");
        assertThatThrownBy(() -> ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + typo)
                        .set(Setting.CREATE_IF_MISSING, false).build())
                .provider(new FlatfileBackendProvider()).open())
                .isInstanceOf(StorageConfigurationException.class).hasMessageContaining("no Chatstore store at");
        assertThat(typo).doesNotExist();
        try (ChatStore created = ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + typo).build())
                .provider(new FlatfileBackendProvider()).open()) {
            assertThat(created.users().count()).as("the default still creates").isZero();
        }
        assertThat(typo.resolve("chatstore.json")).exists();
    }
}
