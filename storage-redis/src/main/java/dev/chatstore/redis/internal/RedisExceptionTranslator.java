package dev.chatstore.redis.internal;

import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.StorageUnavailableException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.List;

/**
 * The one place where Jedis exceptions become the API's {@link StorageException}s, so no driver exception escapes
 * the adapter. MOVED and ASK never reach it: the cluster client follows them.
 *
 * <ul>
 *   <li>the server cannot be reached, refuses the credentials, or is not ready to serve (connection errors, cluster
 *       retries exhausted, {@code CLUSTERDOWN}, {@code TRYAGAIN}, {@code LOADING}, {@code READONLY},
 *       {@code MASTERDOWN}, {@code BUSY}, authentication) → {@link StorageUnavailableException};</li>
 *   <li>anything else the server or the client reports ({@code OOM}, a script error) → {@link StorageIOException}.</li>
 * </ul>
 */
public final class RedisExceptionTranslator {

    /** Error prefixes of a server that is (for now) not able to serve the request. */
    private static final List<String> UNAVAILABLE = List.of("CLUSTERDOWN", "TRYAGAIN", "LOADING", "READONLY",
            "MASTERDOWN", "BUSY", "NOAUTH", "WRONGPASS", "NOPERM", "CROSSSLOT");

    private final String target;

    /** @param target the server or cluster, for messages (without credentials) */
    public RedisExceptionTranslator(String target) {
        this.target = target;
    }

    /** The API exception for a failure while doing {@code operation}. */
    public StorageException translate(RuntimeException e, String operation) {
        if (e instanceof StorageException se) {
            return se;
        }
        String what = operation + " on " + target + ": " + e.getMessage();
        if (e instanceof JedisConnectionException || e instanceof JedisClusterOperationException
                || e instanceof JedisAccessControlException || e instanceof JedisBusyException) {
            return new StorageUnavailableException("Redis unavailable during " + what, e);
        }
        if (e instanceof JedisDataException && e.getMessage() != null) {
            for (String prefix : UNAVAILABLE) {
                if (e.getMessage().startsWith(prefix)) {
                    return new StorageUnavailableException("Redis cannot serve " + what, e);
                }
            }
        }
        return new StorageIOException("Redis failed during " + what, e);
    }
}
