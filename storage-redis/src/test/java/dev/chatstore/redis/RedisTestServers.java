package dev.chatstore.redis;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.redis.internal.RedisEndpoint;
import dev.chatstore.tck.TckFixture;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The Redis servers the tests use: the standalone one ({@code CHATSTORE_TEST_REDIS_URL}, default
 * {@code redis://127.0.0.1:6379}) and the loopback cluster {@code .ci/redis-cluster} starts
 * ({@code CHATSTORE_TEST_REDIS_CLUSTER_URL}, default {@code redis-cluster://127.0.0.1:7101,...,7106}); and the
 * key-level helpers to count and remove what a test wrote.
 */
final class RedisTestServers {

    static final String STANDALONE_URL = envOr("CHATSTORE_TEST_REDIS_URL", "redis://127.0.0.1:6379");
    static final String CLUSTER_URL = envOr("CHATSTORE_TEST_REDIS_CLUSTER_URL",
            "redis-cluster://127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103,"
                    + "127.0.0.1:7104,127.0.0.1:7105,127.0.0.1:7106");

    private RedisTestServers() {
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /**
     * Fails the calling test in CI when the loopback cluster does not answer, skips it (with the reason)
     * elsewhere.
     */
    static void requireCluster() {
        if (answers(CLUSTER_URL)) {
            return;
        }
        String reason = "no Redis Cluster answers at " + CLUSTER_URL + "; start it with `.ci/redis-cluster` "
                + "(or point CHATSTORE_TEST_REDIS_CLUSTER_URL at one)";
        if (inCi()) {
            throw new AssertionError(reason + " (CI=true: the cluster tests must run)");
        }
        org.junit.jupiter.api.Assumptions.abort(reason);
    }

    /** A raw client for the URL (test use: counting and deleting keys, failovers). */
    static UnifiedJedis client(String url) {
        RedisEndpoint e = RedisEndpoint.parse(url);
        redis.clients.jedis.DefaultJedisClientConfig.Builder cfg = redis.clients.jedis.DefaultJedisClientConfig
                .builder().ssl(e.tls()).resp2().timeoutMillis(30_000); // a shared, busy machine
        e.user().ifPresent(cfg::user);
        e.password().ifPresent(cfg::password);
        if (e.cluster()) {
            return RedisClusterClient.builder().nodes(new HashSet<>(e.nodes())).clientConfig(cfg.build()).build();
        }
        cfg.database(e.database());
        return RedisClient.builder().hostAndPort(e.nodes().get(0)).clientConfig(cfg.build()).build();
    }

    /** Whether the server or cluster at the URL answers. */
    static boolean answers(String url) {
        try (UnifiedJedis j = client(url)) {
            return "PONG".equals(j.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Every key matching the pattern, on every primary. */
    static List<String> keys(UnifiedJedis client, String pattern) {
        List<String> out = new ArrayList<>();
        if (client instanceof RedisClusterClient cluster) {
            for (ConnectionPool pool : cluster.getClusterNodes().values()) {
                try (Connection c = pool.getResource()) {
                    Jedis node = new Jedis(c);
                    String role = node.info("replication");
                    if (role.contains("role:master")) {
                        scan(out, pattern, (cursor, params) -> node.scan(cursor, params));
                    }
                }
            }
        } else {
            scan(out, pattern, client::scan);
        }
        return out;
    }

    private interface Scanner {
        ScanResult<String> scan(String cursor, ScanParams params);
    }

    private static void scan(List<String> out, String pattern, Scanner scanner) {
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(pattern).count(1000);
        do {
            ScanResult<String> page = scanner.scan(cursor, params);
            out.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    /** Deletes every key matching the pattern; returns how many. */
    static int deleteKeys(String url, String pattern) {
        try (UnifiedJedis j = client(url)) {
            List<String> found = keys(j, pattern);
            for (String key : found) {
                j.unlink(key);
            }
            return found.size();
        }
    }

    static List<String> keys(String url, String pattern) {
        try (UnifiedJedis j = client(url)) {
            return keys(j, pattern);
        }
    }

    static long countKeys(String url, String pattern) {
        try (UnifiedJedis j = client(url)) {
            return keys(j, pattern).size();
        }
    }

    /** A fresh key prefix per store, so that tests never see each other's data. */
    static String newPrefix(String label) {
        return "cstest-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A TCK fixture: each store under its own key prefix on the server at {@code url}, every key removed (and
     * counted: none may be left) in {@link TckFixture#cleanUp()}.
     */
    static TckFixture fixture(String url, String label, Consumer<ChatStoreConfig.Builder> extra) {
        return new TckFixture() {
            private final List<String> prefixes = new ArrayList<>();

            @Override
            public StorageBackendProvider provider() {
                return new RedisBackendProvider();
            }

            @Override
            public void configure(ChatStoreConfig.Builder config) {
                String prefix = newPrefix(label);
                prefixes.add(prefix);
                config.url(url);
                config.backendOption("key-prefix", prefix);
                config.backendOption("durability-check", "off");
                extra.accept(config);
            }

            @Override
            public void cleanUp() {
                for (String prefix : prefixes) {
                    deleteKeys(url, prefix + ":*");
                    if (countKeys(url, prefix + ":*") != 0) {
                        throw new AssertionError("keys of " + prefix + " are left on " + url);
                    }
                }
                prefixes.clear();
            }
        };
    }
}
