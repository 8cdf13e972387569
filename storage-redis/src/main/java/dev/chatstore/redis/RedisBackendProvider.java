package dev.chatstore.redis;

import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.BackendOption;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.redis.internal.RedisBackend;
import dev.chatstore.redis.internal.RedisEndpoint;

import java.util.List;

/**
 * The Redis backend: {@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://...} (TLS) and
 * {@code redis-cluster://[[user]:password@]host1:port1,host2:port2} ({@code rediss-cluster://} with TLS), on plain
 * Redis 7 without modules. Every multi-key write is one Lua script that checks before it writes; every key of a
 * user carries the hash tag {@code {u:<userId>}}, so the same scripts run on Redis Cluster. See the module's README
 * for the data model, the keys and what Redis's durability settings mean for acknowledged writes.
 */
public final class RedisBackendProvider implements StorageBackendProvider {

    /** The start of every key, so that several stores can share one server. */
    public static final BackendOption<String> KEY_PREFIX = BackendOption.text("key-prefix", "chatstore",
            "the start of every key of the store (A-Z a-z 0-9 . _ : -), so several stores can share one server");

    public static final BackendOption<java.time.Duration> TIMEOUT = BackendOption.millis("timeout-ms", 5000, 100,
            600_000, "connect and socket timeout of each Redis call");

    public static final BackendOption<Long> POOL_SIZE = BackendOption.number("pool-size", 16, 1, 1024,
            "connections per Redis node");

    public static final BackendOption<Long> MAX_ATTEMPTS = BackendOption.number("max-attempts", 5, 1, 100,
            "cluster: attempts of one command across redirects and failovers");

    public static final BackendOption<String> DURABILITY_CHECK = BackendOption.choice("durability-check", "warn",
            List.of("warn", "require", "off"),
            "what to do at open when the server's appendonly/appendfsync can lose acknowledged writes");

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public boolean supports(String url) {
        return RedisEndpoint.supports(url);
    }

    @Override
    public String urlPattern() {
        return "redis://[[user]:password@]host[:port][/db], rediss://..., redis-cluster://host1:port1,host2:port2";
    }

    @Override
    public List<BackendOption<?>> options() {
        return List.of(KEY_PREFIX, TIMEOUT, POOL_SIZE, MAX_ATTEMPTS, DURABILITY_CHECK);
    }

    @Override
    public StorageBackend open(BackendContext context) {
        return RedisBackend.open(context.url(), new RedisBackend.Settings(context.option(KEY_PREFIX),
                context.option(TIMEOUT), context.option(POOL_SIZE).intValue(),
                context.option(MAX_ATTEMPTS).intValue(), context.config().durability(),
                context.option(DURABILITY_CHECK), context.config().createIfMissing(), context.config().readOnly()));
    }
}
