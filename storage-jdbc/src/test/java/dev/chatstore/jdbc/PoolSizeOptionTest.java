package dev.chatstore.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import dev.chatstore.jdbc.internal.JdbcOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code backend.pool-size}: its default is sized for concurrent writers (at least 16 connections), a configured
 * size is used, and a bad value fails the open with a {@link StorageConfigurationException} naming the key, the value
 * and what is accepted.
 */
class PoolSizeOptionTest {

    private final TestStores stores = new TestStores();

    @AfterEach
    void cleanUp() {
        stores.close();
    }

    @Test
    void theDefaultLetsSixteenWritersHoldAConnectionEach() {
        int cores = Runtime.getRuntime().availableProcessors();

        assertThat(JdbcOptions.DEFAULT_POOL_SIZE).isBetween(16, 64).isEqualTo(Math.min(64, Math.max(16, 2 * cores)));
        assertThat(JdbcOptions.POOL_SIZE.defaultValue()).isEqualTo(Integer.toString(JdbcOptions.DEFAULT_POOL_SIZE));
        assertThat(JdbcOptions.defaults().poolSize()).isEqualTo(JdbcOptions.DEFAULT_POOL_SIZE);
    }

    /** Even one connection: schema migration on open does not draw on the pool (it needs several at once). */
    @Test
    void aStoreWorksOnAPoolOfOne() {
        String url = stores.newUrl("postgresql");
        ChatStore store = stores.open(url, Map.of("backend.pool-size", "1"));
        store.users().create("u");
        Session session = store.sessions().create("u", "one connection");

        store.messages().append("u", session.id(), NewMessage.user("hello"));

        assertThat(store.messages().last("u", session.id(), 10)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "1001", "ten", "1.5", ""})
    void aBadSizeFailsTheOpenNamingTheOption(String bad) {
        String url = stores.newUrl("sqlite");

        assertThatThrownBy(() -> stores.open(url, Map.of("backend.pool-size", bad)))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("backend.pool-size")
                .hasMessageContaining("1..1000");
    }
}
