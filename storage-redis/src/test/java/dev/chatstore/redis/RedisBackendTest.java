package dev.chatstore.redis;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.redis.internal.RedisBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the kit cannot see: the keys the adapter leaves, its scripts' all-or-nothing writes, its open checks. */
class RedisBackendTest {

    private static final String URL = RedisTestServers.STANDALONE_URL;
    private final List<String> prefixes = new ArrayList<>();
    private final List<ChatStore> stores = new ArrayList<>();

    private ChatStore store(String label) {
        String prefix = RedisTestServers.newPrefix(label);
        prefixes.add(prefix);
        ChatStore s = RedisStores.open(URL, prefix);
        stores.add(s);
        return s;
    }

    private String prefixOf(int i) {
        return prefixes.get(i);
    }

    @AfterEach
    void cleanUp() {
        stores.forEach(ChatStore::close);
        for (String p : prefixes) {
            RedisTestServers.deleteKeys(URL, p + ":*");
        }
    }

    /** A user with everything a user can own: sessions with indexed messages, documents, contexts, personas. */
    private static void fill(ChatStore s, String userId) {
        s.users().create(userId);
        for (int i = 0; i < 3; i++) {
            Session session = s.sessions().create(userId, "session " + i);
            for (int m = 0; m < 20; m++) {
                s.messages().append(userId, session.id(), NewMessage.user("hello world number " + m + " of " + i));
            }
            s.documents().save(userId, session.id(), "notes-" + i + ".txt", "text/plain",
                    "some bytes".getBytes(StandardCharsets.UTF_8));
            s.contexts().set(userId, session.id(), SituationalContext.of("summary", List.of("a"), Map.of(), 0.5));
            s.contexts().saveSnapshot(userId, session.id(), SituationalContext.of("old", List.of(), Map.of(), 0.1));
        }
        s.personas().save(PersonaScope.user(userId), "helper", JsonObject.of("tone", "dry"));
        s.credentials().put(userId, "openai", "sk-test");
    }

    @Test
    void deletingAUserLeavesNoKeyOfTheirsBehind() {
        ChatStore s = store("del");
        fill(s, "alice");
        fill(s, "bob");
        String alice = prefixOf(0) + ":{u:alice}:*";
        assertThat(RedisTestServers.countKeys(URL, alice)).as("keys of alice before").isGreaterThan(20);

        assertThat(s.users().delete("alice")).isTrue();

        assertThat(RedisTestServers.countKeys(URL, alice)).as("keys of alice after the delete").isZero();
        try (UnifiedJedis j = RedisTestServers.client(URL)) {
            assertThat(j.zrange(prefixOf(0) + ":{idx}:users", 0, -1)).containsExactly("bob");
        }
        assertThat(s.messages().search("bob", "hello")).isNotEmpty();
    }

    @Test
    void deletingASessionRemovesItsSearchIndexEntries() {
        ChatStore s = store("sdel");
        s.users().create("carol");
        Session keep = s.sessions().create("carol", "keep");
        Session gone = s.sessions().create("carol", "gone");
        s.messages().append("carol", keep.id(), NewMessage.user("shared word"));
        s.messages().append("carol", gone.id(), NewMessage.user("shared unique"));
        String words = prefixOf(0) + ":{u:carol}:w:*";
        assertThat(RedisTestServers.countKeys(URL, words)).isEqualTo(3);

        s.sessions().delete("carol", gone.id());

        assertThat(RedisTestServers.countKeys(URL, words)).as("index sets left: shared, word").isEqualTo(2);
        try (UnifiedJedis j = RedisTestServers.client(URL)) {
            assertThat(j.zrange(prefixOf(0) + ":{u:carol}:w:shared", 0, -1)).containsExactly("1:" + keep.id());
            assertThat(j.smembers(prefixOf(0) + ":{u:carol}:words")).containsExactlyInAnyOrder("shared", "word");
            assertThat(j.keys(prefixOf(0) + ":{u:carol}:s:" + gone.id() + "*")).isEmpty();
        }
        assertThat(s.messages().search("carol", "shared")).extracting(Message::sessionId).containsExactly(keep.id());
    }

    @Test
    void aBatchWithOneDuplicateIdWritesNothing() {
        ChatStore s = store("dup");
        s.users().create("dave");
        Session session = s.sessions().create("dave", "t");
        Message first = s.messages().append("dave", session.id(), NewMessage.user("one"));
        RedisBackend backend = (RedisBackend) new RedisBackendProvider().open(new dev.chatstore.api.spi.BackendContext(
                URL, dev.chatstore.api.config.ChatStoreConfig.isolated().url(URL)
                .backendOption("key-prefix", prefixOf(0)).backendOption("durability-check", "off").build(),
                java.time.Clock.systemUTC()));
        try {
            Message fresh = first.withSeq(0);
            Message other = new Message("m-other", session.id(), 0, "user", "two words", first.createdAt(),
                    List.of(), JsonObject.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                    java.util.Optional.empty());
            assertThatThrownBy(() -> backend.logs().append(LogRef.session("dave", session.id()),
                    List.of(other, fresh), 1000)).isInstanceOf(DuplicateKeyException.class);
        } finally {
            backend.close();
        }
        assertThat(s.messages().count("dave", session.id())).isEqualTo(1);
        assertThat(s.messages().search("dave", "words")).isEmpty();
        try (UnifiedJedis j = RedisTestServers.client(URL)) {
            assertThat(j.xlen(prefixOf(0) + ":{u:dave}:s:" + session.id() + ":log")).isEqualTo(1);
        }
    }

    @Test
    void requireRefusesAServerThatCanLoseAcknowledgedWrites() {
        try (UnifiedJedis j = RedisTestServers.client(URL)) {
            Map<String, String> c = j.configGet("append*");
            org.junit.jupiter.api.Assumptions.assumeFalse("yes".equals(c.get("appendonly"))
                    && "always".equals(c.get("appendfsync")), "this server fsyncs every write");
        }
        String prefix = RedisTestServers.newPrefix("dur");
        prefixes.add(prefix);
        assertThatThrownBy(() -> RedisStores.open(URL, prefix, b -> b.backendOption("durability-check", "require")))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("appendfsync");
        assertThat(RedisTestServers.countKeys(URL, prefix + ":*")).as("nothing written when refused").isZero();
        // warn opens (and logs); durability none asks for nothing
        stores.add(RedisStores.open(URL, prefix, b -> b.backendOption("durability-check", "warn")));
        stores.add(RedisStores.open(URL, prefix, b -> b.durability(dev.chatstore.api.config.Durability.NONE)
                .backendOption("durability-check", "require")));
    }

    @Test
    void aServerWithConfigDisabledOpensWithAWarningButNotUnderRequire() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path dir = Files.createTempDirectory("chatstore-redis-noconfig");
        Process server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--rename-command", "CONFIG", "")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            String url = "redis://127.0.0.1:" + port;
            long deadline = System.currentTimeMillis() + 10_000;
            while (!RedisTestServers.answers(url)) {
                assertThat(System.currentTimeMillis()).as("redis-server on " + port + " answers").isLessThan(deadline);
                Thread.sleep(50);
            }
            try (ChatStore s = RedisStores.open(url, "noconfig", b -> b.backendOption("durability-check", "warn"))) {
                s.users().create("grace");
                assertThat(s.users().get("grace")).isPresent();
            }
            assertThatThrownBy(() -> RedisStores.open(url, "noconfig",
                    b -> b.backendOption("durability-check", "require")))
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("cannot verify");
        } finally {
            server.destroyForcibly().waitFor();
            dev.chatstore.tck.TckFixture.deleteTree(dir);
        }
    }

    @Test
    void anUnreachableServerIsStorageUnavailable() {
        assertThatThrownBy(() -> RedisStores.open("redis://127.0.0.1:1", "x", b -> b.backendOption("timeout-ms", 500)))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("127.0.0.1:1");
    }

    @Test
    void malformedUrlsAreConfigurationErrorsWithoutThePassword() {
        assertThatThrownBy(() -> RedisStores.open("redis://app:s3cret@127.0.0.1:notaport", "x"))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("not a port")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RedisStores.open("redis://127.0.0.1:6379,127.0.0.1:6380", "x"))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("redis-cluster://");
        assertThatThrownBy(() -> RedisStores.open("redis-cluster://127.0.0.1:7101/3", "x"))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("database 0");
    }

    @Test
    void aPrefixWithBracesIsRejected() {
        assertThatThrownBy(() -> RedisStores.open(URL, "a{b}"))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("key-prefix");
    }

    @Test
    void storesUnderOtherPrefixesDoNotSeeEachOther() {
        ChatStore a = store("iso");
        ChatStore b = store("iso");
        a.users().create("erin");
        assertThat(b.users().get("erin")).isEmpty();
        assertThat(b.users().count()).isZero();
    }

    @Test
    void aUserPersonaAndSessionKeysShareOneSlot() {
        ChatStore s = store("slot");
        fill(s, "frank");
        try (UnifiedJedis j = RedisTestServers.client(URL)) {
            List<String> keys = RedisTestServers.keys(j, prefixOf(0) + ":{u:frank}:*");
            assertThat(keys).isNotEmpty();
            assertThat(keys.stream().map(k -> redis.clients.jedis.util.JedisClusterCRC16.getSlot(k)).distinct())
                    .hasSize(1);
        }
        Persona p = s.personas().find(PersonaScope.user("frank"), "helper").orElseThrow();
        assertThat(p.data()).isEqualTo(JsonObject.of("tone", "dry"));
    }

    @Test
    void healthProbesWithAWrite() {
        ChatStore s = store("health");
        assertThat(s.health().healthy()).isTrue();
        assertThat(s.health().writable()).isTrue();
        assertThat(RedisTestServers.keys(URL, prefixOf(0) + ":*"))
                .as("only the store marker").containsExactly(prefixOf(0) + ":{idx}:store");
    }

    @Test
    void createIfMissingFalseRefusesAPrefixWithoutAStore() {
        String prefix = RedisTestServers.newPrefix("missing");
        prefixes.add(prefix);
        assertThatThrownBy(() -> RedisStores.open(URL, prefix, b -> b.set("store.create-if-missing", false)))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("no Chatstore store at");
        assertThat(RedisTestServers.countKeys(URL, prefix + ":*")).isZero();
        RedisStores.open(URL, prefix).close(); // creates it
        RedisStores.open(URL, prefix, b -> b.set("store.create-if-missing", false)).close();
    }

    @Test
    void theProviderIsFoundByUrlThroughTheServiceLoader() {
        String prefix = RedisTestServers.newPrefix("spi");
        prefixes.add(prefix);
        try (ChatStore s = ChatStore.builder().config(dev.chatstore.api.config.ChatStoreConfig.isolated()
                .url(URL + "/0").backendOption("key-prefix", prefix).backendOption("durability-check", "off")
                .build()).open()) {
            s.users().create("heidi");
            assertThat(s.backendName()).isEqualTo("redis");
        }
        assertThat(RedisTestServers.countKeys(URL, prefix + ":{u:heidi}:*")).isEqualTo(1);
    }

    @Test
    void timeoutOptionIsValidated() {
        assertThatThrownBy(() -> RedisStores.open(URL, "x", b -> b.backendOption("timeout-ms", 5)))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("backend.timeout-ms");
        Duration.ofMillis(1); // keeps the import honest when the test is trimmed
    }
}
