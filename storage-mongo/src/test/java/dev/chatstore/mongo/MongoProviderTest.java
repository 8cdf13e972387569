package dev.chatstore.mongo;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening {@code mongodb://} stores: URLs, options and unreachable servers, with typed errors. */
class MongoProviderTest {

    private final MongoTestDatabases databases = MongoTestDatabases.inProcess();

    @AfterEach
    void cleanUp() {
        databases.cleanUp();
    }

    private static ChatStore open(ChatStoreConfig.Builder config) {
        return ChatStore.builder().config(config.build()).provider(new MongoBackendProvider()).open();
    }

    @Test
    @DisplayName("the provider takes mongodb:// and mongodb+srv:// URLs and nothing else")
    void supportsItsSchemes() {
        MongoBackendProvider provider = new MongoBackendProvider();
        assertThat(provider.supports("mongodb://localhost/chat")).isTrue();
        assertThat(provider.supports("mongodb+srv://cluster.example.net/chat")).isTrue();
        assertThat(provider.supports("mongo://localhost/chat")).isFalse();
        assertThat(provider.supports("jdbc:postgresql://localhost/chat")).isFalse();
    }

    @Test
    @DisplayName("ChatStore.open(\"mongodb://...\") finds the provider by URL (ServiceLoader), as the CLI does")
    void foundByUrl() {
        try (ChatStore store = ChatStore.open(ChatStoreConfig.isolated().url(databases.newDatabaseUrl()).build())) {
            store.users().create("found");
            Session s = store.sessions().create("found", "by url");
            assertThat(store.messages().append("found", s.id(), NewMessage.user("hello")).seq()).isEqualTo(1);
            assertThat(store.health().backend()).isEqualTo("mongodb");
            assertThat(store.health().healthy()).isTrue();
        }
    }

    @Test
    @DisplayName("a URL without a database is a configuration error that says how to name one")
    void urlMustNameADatabase() {
        assertThatThrownBy(() -> open(ChatStoreConfig.isolated().url("mongodb://" + InProcessMongo.address())))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("must name a database");
    }

    @Test
    @DisplayName("an unreachable server is a StorageUnavailableException (retryable), not a driver exception")
    void unreachableServer() {
        assertThatThrownBy(() -> open(ChatStoreConfig.isolated().url("mongodb://127.0.0.1:1/chat")
                .backendOption("server-selection-timeout-ms", 300)))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("127.0.0.1:1");
    }

    @Test
    @DisplayName("an unknown or malformed backend option is refused naming the key")
    void badOption() {
        assertThatThrownBy(() -> open(ChatStoreConfig.isolated().url(databases.newDatabaseUrl())
                .backendOption("append-lease-ms", "soon")))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("backend.append-lease-ms");
        assertThatThrownBy(() -> open(ChatStoreConfig.isolated().url(databases.newDatabaseUrl())
                .backendOption("seq-protocol", "paxos")))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("backend.seq-protocol");
    }

    @Test
    @DisplayName("seq-protocol=transaction on a standalone server (the in-process one) is refused at open, naming why")
    void transactionsNeedAReplicaSet() {
        assertThatThrownBy(() -> open(ChatStoreConfig.isolated().url(databases.newDatabaseUrl())
                .backendOption("seq-protocol", "transaction")))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("replica set");
    }

    @Test
    @DisplayName("shard-collections=true without mongos (the in-process server) is refused at open, naming why")
    void shardingNeedsMongos() {
        assertThatThrownBy(() -> open(ChatStoreConfig.isolated().url(databases.newDatabaseUrl())
                .backendOption("shard-collections", true)))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("mongos");
    }

    @Test
    @DisplayName("store.create-if-missing=false refuses a database without a store; read-only opens one and reads it")
    void createIfMissingAndReadOnly() {
        String url = databases.newDatabaseUrl();
        assertThatThrownBy(() -> open(ChatStoreConfig.isolated().url(url).set("store.create-if-missing", false)))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("no Chatstore store at");
        try (ChatStore created = open(ChatStoreConfig.isolated().url(url))) {
            created.users().create("kept");
        }
        try (ChatStore readOnly = open(ChatStoreConfig.isolated().url(url).set("store.create-if-missing", false)
                .set("store.read-only", true))) {
            assertThat(readOnly.users().get("kept")).isPresent();
        }
    }

    @Test
    @DisplayName("a store reopened on the same database sees what was written, with seqs following on")
    void reopenSeesTheData() {
        String url = databases.newDatabaseUrl();
        Session s;
        try (ChatStore first = open(ChatStoreConfig.isolated().url(url))) {
            first.users().create("reopen");
            s = first.sessions().create("reopen", "kept");
            first.messages().append("reopen", s.id(), NewMessage.user("one"));
        }
        try (ChatStore second = open(ChatStoreConfig.isolated().url(url))) {
            assertThat(second.messages().append("reopen", s.id(), NewMessage.user("two")).seq()).isEqualTo(2);
            assertThat(second.messages().page("reopen", s.id())).extracting(m -> m.content())
                    .containsExactly("one", "two");
        }
    }
}
