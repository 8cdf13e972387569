package dev.chatstore.redis;

import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;

/**
 * The full kit against the loopback Redis Cluster that {@code .ci/redis-cluster} starts (and {@code .ci/run}
 * calls): the same scripts as standalone, every one on one slot. Under {@code CI=true} a missing cluster fails every
 * test; elsewhere they are skipped with the reason and the command that starts it.
 */
class RedisClusterTckTest extends ChatStoreTck {

    @Override
    protected TckFixture fixture() {
        RedisTestServers.requireCluster();
        return RedisTestServers.fixture(RedisTestServers.CLUSTER_URL, "ctck", config -> { });
    }
}
