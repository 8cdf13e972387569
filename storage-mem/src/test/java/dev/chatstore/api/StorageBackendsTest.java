package dev.chatstore.api;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.mem.MemoryBackendProvider;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.BackendOption;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageBackendsTest {

    /** A provider for {@code fake:} URLs that hands out in-memory backends and remembers its context. */
    private static final class FakeProvider implements StorageBackendProvider {
        private final String name;
        private final String scheme;
        final AtomicReference<BackendContext> opened = new AtomicReference<>();

        FakeProvider(String name, String scheme) {
            this.name = name;
            this.scheme = scheme;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean supports(String url) {
            return url.startsWith(scheme);
        }

        @Override
        public String urlPattern() {
            return scheme + "[path]";
        }

        @Override
        public List<BackendOption<?>> options() {
            return List.of(POOL_SIZE);
        }

        @Override
        public StorageBackend open(BackendContext context) {
            opened.set(context);
            return new MemoryBackendProvider().open(context);
        }
    }

    private final FakeProvider fake = new FakeProvider("fake", "fake:");
    private static final BackendOption<Long> POOL_SIZE = BackendOption.number("pool-size", 2, 1, 64, "connections");

    private final StorageBackendProvider mem = new MemoryBackendProvider();

    @Test
    void selectsTheOneProviderThatSupportsTheUrl() {
        assertThat(StorageBackends.select("mem:", List.of(fake, mem))).isSameAs(mem);
        assertThat(StorageBackends.select("fake:/x", List.of(fake, mem))).isSameAs(fake);
    }

    @Test
    void noMatchingProviderListsTheProvidersFound() {
        assertThatThrownBy(() -> StorageBackends.select("redis://localhost:6379/0", List.of(fake, mem)))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("no storage backend supports URL 'redis://localhost:6379/0'")
                .hasMessageContaining("fake (fake:[path])")
                .hasMessageContaining("mem (mem:[label])");
    }

    @Test
    void noProviderAtAllSaysSo() {
        assertThatThrownBy(() -> StorageBackends.select("file:./data", List.of()))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("providers found: none");
    }

    @Test
    void twoMatchingProvidersAreAnErrorNamingBoth() {
        FakeProvider greedy = new FakeProvider("greedy", "mem:");
        assertThatThrownBy(() -> StorageBackends.select("mem:", List.of(mem, greedy, fake)))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("several storage backends claim URL 'mem:': mem, greedy")
                .hasMessageContaining("fake (fake:[path])")
                .hasMessageContaining("explicit provider");
    }

    @Test
    void passwordsAreRedactedFromMessages() {
        assertThat(StorageBackends.redact("jdbc:postgresql://db:5432/chat?user=app&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/chat?user=app&password=****&ssl=true");
        assertThat(StorageBackends.redact("redis://app:hunter2@cache:6379/0")).isEqualTo("redis://app:****@cache:6379/0");
        assertThatThrownBy(() -> StorageBackends.select("mongodb://app:hunter2@db/chat", List.of(mem)))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void discoveryFindsTheMemProviderThroughServiceLoader() {
        assertThat(StorageBackends.discover()).extracting(StorageBackendProvider::name).contains("mem");
    }

    @Test
    void openByUrlDiscoversTheMemProvider() {
        try (ChatStore store = ChatStore.open("mem:")) {
            assertThat(store.health().backend()).isEqualTo("mem");
            assertThat(store.health().healthy()).isTrue();
            store.users().create("alice");
            assertThat(store.users().get("alice")).isPresent();
        }
    }

    @Test
    void anExplicitProviderMustSupportTheUrl() {
        ChatStoreConfig config = ChatStoreConfig.forUrl("file:./data");
        assertThatThrownBy(() -> ChatStore.builder().config(config).provider(mem).open())
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("provider mem does not support URL 'file:./data'")
                .hasMessageContaining("mem:[label]");
    }

    @Test
    void anExplicitProviderIsUsedWithoutScanning() {
        ChatStoreConfig config = ChatStoreConfig.isolated().url("fake:/somewhere").backendOption("pool-size", 4).build();
        try (ChatStore store = ChatStore.builder().config(config).provider(fake).open()) {
            assertThat(store.config().url()).isEqualTo("fake:/somewhere");
        }
        assertThat(fake.opened.get().url()).isEqualTo("fake:/somewhere");
        assertThat(fake.opened.get().option("pool-size")).contains("4");
        assertThat(fake.opened.get().option("backend.pool-size")).contains("4");
        assertThat(fake.opened.get().option(POOL_SIZE)).isEqualTo(4L);
    }

    @Test
    void malformedOrOutOfRangeOptionValuesFailAtOpenNamingTheKey() {
        FakeProvider fake = new FakeProvider("fake", "fake:");
        for (String bad : List.of("four", "0", "1000")) {
            ChatStoreConfig config = ChatStoreConfig.isolated().url("fake:/x").backendOption("pool-size", bad).build();
            assertThatThrownBy(() -> ChatStore.builder().config(config).provider(fake).open())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("backend.pool-size").hasMessageContaining("1..64");
        }
        assertThat(fake.opened.get()).as("the provider is never asked to open").isNull();
    }

    @Test
    void anUnknownBackendOptionIsAConfigurationError() {
        ChatStoreConfig config = ChatStoreConfig.isolated().url("mem:").backendOption("x", "1").build();
        assertThatThrownBy(() -> ChatStore.open(config))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("backend.x")
                .hasMessageContaining("mem")
                .hasMessageContaining("accepts none");
        ChatStoreConfig typo = ChatStoreConfig.isolated().url("fake:/x").backendOption("pool-sise", 2).build();
        assertThatThrownBy(() -> ChatStore.builder().config(typo).provider(fake).open())
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("backend.pool-sise")
                .hasMessageContaining("backend.pool-size");
        assertThat(fake.opened.get()).as("nothing was opened").isNull();
    }

    @Test
    void anUnsupportedUrlWithDiscoveryIsAConfigurationError() {
        assertThatThrownBy(() -> ChatStore.open(ChatStoreConfig.forUrl("nosuch:thing")))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("nosuch:thing")
                .hasMessageContaining("mem (mem:[label])");
    }
}
