package dev.chatstore.redis.internal;

import dev.chatstore.api.config.Durability;
import dev.chatstore.api.error.StorageConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Says at open, through SLF4J, when the server can lose writes it has acknowledged. Redis acknowledges before
 * fsync unless {@code appendonly yes} and {@code appendfsync always}; with {@code everysec} a crash loses up to
 * about a second, with {@code appendonly no} everything since the last snapshot. Replication is asynchronous
 * either way. What is enough follows the store's configured {@link Durability}: {@code SYNC} needs
 * {@code always}, {@code BATCH} an append-only file, {@code NONE} nothing. Where {@code CONFIG} is disabled
 * (managed services, renamed commands) the check says it could not verify and what to look at instead.
 */
final class DurabilityCheck {

    private static final Logger LOG = LoggerFactory.getLogger(DurabilityCheck.class);

    /** What to do about a server weaker than the configured durability. */
    enum Mode { WARN, REQUIRE, OFF }

    private DurabilityCheck() {
    }

    /**
     * @return the problem found, if any (already logged)
     * @throws StorageConfigurationException in {@link Mode#REQUIRE} when the server is weaker than required
     */
    static Optional<String> run(UnifiedJedis client, String target, Durability wanted, Mode mode) {
        if (mode == Mode.OFF || wanted == Durability.NONE) {
            return Optional.empty();
        }
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        try {
            if (client instanceof RedisClusterClient cluster) {
                for (Map.Entry<String, ConnectionPool> node : cluster.getClusterNodes().entrySet()) {
                    try (Connection c = node.getValue().getResource()) {
                        configs.put(node.getKey(), new Jedis(c).configGet("append*"));
                    }
                }
            } else {
                configs.put(target, client.configGet("append*"));
            }
        } catch (RuntimeException e) {
            String message = "cannot verify the durability of Redis at " + target + " (CONFIG GET refused: "
                    + e.getMessage() + "); acknowledged writes survive a crash only with appendonly yes and "
                    + "appendfsync always on every node: check the server's or provider's settings, or set "
                    + "backend.durability-check=off to silence this";
            if (mode == Mode.REQUIRE) {
                throw new StorageConfigurationException(message
                        + " (backend.durability-check=require refuses to open what it cannot verify)");
            }
            LOG.warn(message);
            return Optional.of(message);
        }
        for (Map.Entry<String, Map<String, String>> node : configs.entrySet()) {
            String aof = node.getValue().getOrDefault("appendonly", "unknown");
            String fsync = node.getValue().getOrDefault("appendfsync", "unknown");
            boolean enough = wanted == Durability.SYNC
                    ? aof.equals("yes") && fsync.equals("always")
                    : aof.equals("yes");
            if (!enough) {
                String message = "Redis at " + node.getKey() + " runs with appendonly " + aof + ", appendfsync " + fsync
                        + ": it acknowledges writes before they reach disk, so a crash can lose acknowledged "
                        + "messages (" + (aof.equals("yes") ? "about the last second" : "everything since the "
                        + "last snapshot") + "), while durability is " + wanted + ". Set appendonly yes and "
                        + "appendfsync always" + (wanted == Durability.BATCH ? " (or everysec)" : "")
                        + " on every node, or choose durability=none. Replication is asynchronous in any case.";
                if (mode == Mode.REQUIRE) {
                    throw new StorageConfigurationException(message
                            + " (backend.durability-check=require refuses to open)");
                }
                LOG.warn(message);
                return Optional.of(message);
            }
        }
        return Optional.empty();
    }

    static List<String> modes() {
        return List.of("warn", "require", "off");
    }
}
