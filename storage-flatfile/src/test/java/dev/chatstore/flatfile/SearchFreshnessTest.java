package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.SearchQuery;
import dev.chatstore.flatfile.internal.FileIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14's search paths on real files: a new store instance searches with the persisted index (no rebuild, no
 * log scan), and a search that does not look at every session still sees what other stores appended and deleted.
 */
class SearchFreshnessTest {

    @TempDir
    Path tmp;

    private static ChatStore open(Path dir, FileIo io) {
        return ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir).durability(Durability.NONE)
                .build()).provider(new FlatfileBackendProvider(io)).open();
    }

    private static Path sessionsDir(Path dir) {
        return dir.resolve("users/u/sessions");
    }

    /** Sets the sessions directory's mtime back, past the window in which a directory stamp is not trusted. */
    private static void age(Path dir) throws IOException {
        Files.setLastModifiedTime(sessionsDir(dir), FileTime.from(Instant.now().minusSeconds(30)));
    }

    /** File name to mtime and size of the manifest and segments of the user's search index. */
    private static Map<String, String> indexFiles(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir.resolve("users/u/search-index"))) {
            for (Path p : files.filter(f -> !f.getFileName().toString().equals("checked")).toList()) {
                out.put(p.getFileName().toString(), Files.getLastModifiedTime(p) + "/" + Files.size(p));
            }
        }
        return out;
    }

    private static List<String> contents(List<Message> hits) {
        return hits.stream().map(Message::content).sorted().toList();
    }

    @Test
    void theIndexIsKeptCurrentByAppendsSoTheFirstSearchOfANewStoreInstanceNeitherBuildsNorScans()
            throws IOException {
        Path dir = tmp.resolve("store");
        try (ChatStore st = open(dir, FileIo.system())) {
            st.users().create("u");
            st.sessions().create("u", NewSession.titled("big").withId("s"));
            List<NewMessage> batch = new ArrayList<>();
            for (int i = 1; i <= 20_000; i++) {
                batch.add(NewMessage.user((i % 1000 == 0 ? "rare " : "") + "message " + i + " about the weather"));
                if (batch.size() == 1000) {
                    st.messages().appendAll("u", "s", batch);
                    batch.clear();
                }
            }
        }
        // never searched: the appends kept the index current
        Map<String, String> before = indexFiles(dir);
        assertThat(before).containsKey("manifest.json").hasSizeGreaterThan(1);
        assertThat(Files.readString(dir.resolve("users/u/search-index/manifest.json"))).contains("\"lines\" : 20000");
        long logSize = Files.size(dir.resolve("users/u/sessions/s/messages.jsonl"));

        CountingFileIo io = new CountingFileIo("messages.jsonl");
        try (ChatStore st = open(dir, io)) {
            io.reset();
            List<Message> hits = st.messages().search("u", SearchQuery.of("rare weather").limit(5));
            assertThat(hits).extracting(Message::seq).containsExactly(20_000L, 19_000L, 18_000L, 17_000L, 16_000L);
            assertThat(io.bytesRead()).as("bytes read of a %d-byte log", logSize).isLessThan(logSize / 100);
        }
        assertThat(indexFiles(dir)).as("the index was used as it was, not rebuilt").isEqualTo(before);
    }

    @Test
    void aSearchThatSkipsTheSessionsStillSeesOtherStoresAppendsAndDeletes() throws IOException {
        Path dir = tmp.resolve("store");
        try (ChatStore a = open(dir, FileIo.system()); ChatStore b = open(dir, FileIo.system())) {
            a.users().create("u");
            for (int k = 0; k < 40; k++) {
                a.sessions().create("u", NewSession.titled("t").withId("s" + k));
                a.messages().append("u", "s" + k, NewMessage.user("common words in session s" + k));
            }
            age(dir);
            assertThat(a.messages().search("u", SearchQuery.of("common").limit(100))).hasSize(40);

            // appended by another store: found through the user's append signal
            b.messages().append("u", "s3", NewMessage.user("zzzunique from the other store"));
            assertThat(contents(a.messages().search("u", SearchQuery.of("zzzunique"))))
                    .containsExactly("zzzunique from the other store");
            // appended by this store, then by both
            a.messages().append("u", "s4", NewMessage.user("yyyunique from this store"));
            assertThat(a.messages().search("u", SearchQuery.of("yyyunique"))).hasSize(1);
            a.messages().append("u", "s6", NewMessage.user("xxxunique one"));
            b.messages().append("u", "s7", NewMessage.user("xxxunique two"));
            assertThat(contents(a.messages().search("u", SearchQuery.of("xxxunique"))))
                    .containsExactly("xxxunique one", "xxxunique two");

            // deleted by another store: its hits are gone, now and once the directory stamp is old
            b.sessions().delete("u", "s5");
            assertThat(a.messages().search("u", SearchQuery.of("common").limit(100))).hasSize(39)
                    .noneMatch(m -> m.sessionId().equals("s5"));
            age(dir);
            assertThat(a.messages().search("u", SearchQuery.of("common").limit(100))).hasSize(39)
                    .noneMatch(m -> m.sessionId().equals("s5"));
            // deleted by this store
            a.sessions().delete("u", "s3");
            age(dir);
            assertThat(a.messages().search("u", SearchQuery.of("zzzunique"))).isEmpty();
            assertThat(b.messages().search("u", SearchQuery.of("zzzunique"))).isEmpty();
        }
    }

    @Test
    void aSegmentWhoseChecksumWasVerifiedIsCheckedAgainOnceItChanges() throws IOException {
        Path dir = tmp.resolve("store");
        try (ChatStore st = open(dir, FileIo.system())) {
            st.users().create("u");
            st.sessions().create("u", NewSession.titled("t").withId("s"));
            List<NewMessage> batch = new ArrayList<>();
            for (int i = 1; i <= 1000; i++) {
                batch.add(NewMessage.user("entry " + i + (i % 100 == 0 ? " marker" : "")));
            }
            st.messages().appendAll("u", "s", batch);
            assertThat(st.messages().search("u", SearchQuery.of("marker").limit(50))).hasSize(10);
        }
        Path index = dir.resolve("users/u/search-index");
        List<Path> segments;
        try (Stream<Path> files = Files.list(index)) {
            segments = files.filter(p -> p.getFileName().toString().startsWith("seg-")).toList();
        }
        assertThat(segments).isNotEmpty();
        for (Path seg : segments) { // older than the window in which an mtime is not trusted
            Files.setLastModifiedTime(seg, FileTime.from(Instant.now().minusSeconds(30)));
        }
        try (ChatStore st = open(dir, FileIo.system())) {
            assertThat(st.messages().search("u", SearchQuery.of("marker").limit(50))).hasSize(10);
        }
        assertThat(index.resolve("checked")).exists();
        assertThat(Files.readString(index.resolve("checked"))).contains(segments.get(0).getFileName().toString());

        // damaged in place afterwards: the stamp changed, so the checksum is checked again and the index rebuilt
        for (Path seg : segments) {
            byte[] b = Files.readAllBytes(seg);
            b[b.length / 2] ^= 0x55;
            Files.write(seg, b);
        }
        try (ChatStore st = open(dir, FileIo.system())) {
            assertThat(st.messages().search("u", SearchQuery.of("marker").limit(50))).extracting(Message::seq)
                    .containsExactly(1000L, 900L, 800L, 700L, 600L, 500L, 400L, 300L, 200L, 100L);
        }
        for (Path seg : segments) {
            assertThat(seg).as("the damaged segment was replaced").doesNotExist();
        }
    }
}
