package dev.chatstore.migration.live;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.StorageBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dual-write and migration backends opened by URL and options alone (ServiceLoader), over two file stores. */
class ProvidersTest {

    @TempDir
    Path dir;

    private ChatStoreConfig.Builder base(String url) {
        return ChatStoreConfig.isolated().url(url).encryptionKey(SampleData.KEY_ID, SampleData.KEY);
    }

    private StorageBackend file(String name) {
        return MigrationPlan.BackendOpener.byUrl().open(base("file:" + dir.resolve(name)).build());
    }

    @Test
    void dualWriteByUrl() {
        ChatStoreConfig config = base("dual-write:").backendOption("primary", "file:" + dir.resolve("a"))
                .backendOption("secondary", "file:" + dir.resolve("b"))
                .backendOption("journal", dir.resolve("journal").toString()).build();
        try (ChatStore store = ChatStore.open(config)) {
            store.users().create("alice");
            Session s = store.sessions().create("alice", "by url");
            store.messages().append("alice", s.id(), NewMessage.user("hello"));
            store.credentials().put("alice", "openai", "sk-1");
        }
        try (StorageBackend a = file("a"); StorageBackend b = file("b")) {
            assertThat(a.users().count()).isEqualTo(1);
            assertThat(Verifier.compare(a, b, VerifyOptions.defaults()).findings()).isEmpty();
        }
    }

    @Test
    void dualWriteNamesWhatIsMissing() {
        assertThatThrownBy(() -> ChatStore.open(base("dual-write:").backendOption("secondary", "file:" + dir)
                .backendOption("journal", dir.toString()).build()))
                .isInstanceOf(StorageConfigurationException.class).hasMessageContaining("backend.primary");
        assertThatThrownBy(() -> ChatStore.open(base("dual-write:").backendOption("primary", "file:" + dir.resolve("a"))
                .backendOption("secondary", "file:" + dir.resolve("b")).build()))
                .isInstanceOf(StorageConfigurationException.class).hasMessageContaining("backend.journal");
        assertThatThrownBy(() -> ChatStore.open(base("dual-write:").backendOption("policy", "sometimes").build()))
                .isInstanceOf(StorageConfigurationException.class).hasMessageContaining("backend.policy");
    }

    @Test
    void migrationByUrlFollowsTheOperator() throws Exception {
        Path work = dir.resolve("work");
        ChatStoreConfig app = base("migration:" + work).backendOption("source", "file:" + dir.resolve("src"))
                .backendOption("target", "file:" + dir.resolve("dst")).backendOption("phase-poll-ms", 20).build();
        MigrationPlan plan = MigrationPlan.of(base("file:" + dir.resolve("src")).build(),
                base("file:" + dir.resolve("dst")).build(), work).withTiming(Duration.ofMillis(20), Duration.ZERO);
        try (ChatStore store = ChatStore.open(app); Migration m = Migration.open(plan, "ops")) {
            store.users().create("before");
            m.start();
            Thread.sleep(300);
            store.users().create("after");
        }
        try (StorageBackend src = file("src"); StorageBackend dst = file("dst")) {
            assertThat(src.users().find("before")).isPresent();
            assertThat(dst.users().find("before")).as("written before start: for the backfill").isEmpty();
            assertThat(dst.users().find("after")).as("written in dual-write").isPresent();
        }
    }
}
