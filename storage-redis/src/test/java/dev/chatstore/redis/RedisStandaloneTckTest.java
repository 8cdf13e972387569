package dev.chatstore.redis;

import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;

/**
 * The full kit against the standalone Redis ({@code CHATSTORE_TEST_REDIS_URL}, default 127.0.0.1:6379), each store
 * under its own key prefix, every key removed after each test. Fails (never skips) when the server is absent.
 */
class RedisStandaloneTckTest extends ChatStoreTck {

    @Override
    protected TckFixture fixture() {
        return RedisTestServers.fixture(RedisTestServers.STANDALONE_URL, "tck", config -> { });
    }
}
