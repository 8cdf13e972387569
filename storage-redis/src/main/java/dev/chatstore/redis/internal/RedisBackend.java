package dev.chatstore.redis.internal;

import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.model.HealthReport;
import dev.chatstore.api.spi.ContextRepository;
import dev.chatstore.api.spi.CredentialRepository;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.spi.MessageLogs;
import dev.chatstore.api.spi.MessageSearch;
import dev.chatstore.api.spi.PanelRepository;
import dev.chatstore.api.spi.PersonaRepository;
import dev.chatstore.api.spi.SessionRepository;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.UserRepository;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A store in one Redis server or one Redis Cluster, under a key prefix (several stores can share a server). Holds
 * the client and the repositories; all state is in Redis, so any number of processes can open the same store.
 */
public final class RedisBackend implements StorageBackend {

    /** Allowed key prefixes: no braces (they would change the hash tag) and no spaces. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /**
     * What {@link #open} needs besides the URL.
     *
     * @param keyPrefix      the start of every key
     * @param timeout        connect and socket timeout
     * @param poolSize       connections per node
     * @param maxAttempts    cluster: attempts of a command across redirects and failovers
     * @param durability     the store's configured durability
     * @param durabilityMode what to do when the server is weaker than that
     * @param createIfMissing whether a prefix without a store becomes one (else: no Chatstore store at ...)
     * @param readOnly        whether nothing may be written (no marker, no health write probe)
     */
    public record Settings(String keyPrefix, Duration timeout, int poolSize, int maxAttempts,
                           dev.chatstore.api.config.Durability durability, String durabilityMode,
                           boolean createIfMissing, boolean readOnly) {
    }

    /** The value of the store marker for this key layout; another value is a layout this code does not know. */
    static final String LAYOUT = "chatstore-redis 1";

    private final RedisEndpoint endpoint;
    private final RedisAccess redis;
    private final Keys keys;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RedisUsers users;
    private final RedisSessions sessions;
    private final RedisLogs logs;
    private final RedisSearch search;
    private final RedisDocuments documents;
    private final RedisContexts contexts;
    private final RedisPanels panels;
    private final RedisPersonas personas;
    private final RedisCredentials credentials;

    private final boolean readOnly;

    private RedisBackend(RedisEndpoint endpoint, RedisAccess redis, Keys keys, boolean readOnly) {
        this.endpoint = endpoint;
        this.readOnly = readOnly;
        this.redis = redis;
        this.keys = keys;
        this.users = new RedisUsers(redis, keys);
        this.sessions = new RedisSessions(redis, keys);
        this.logs = new RedisLogs(redis, keys);
        this.search = new RedisSearch(redis, keys);
        this.documents = new RedisDocuments(redis, keys);
        this.contexts = new RedisContexts(redis, keys);
        this.panels = new RedisPanels(redis, keys);
        this.personas = new RedisPersonas(redis, keys);
        this.credentials = new RedisCredentials(redis, keys);
    }

    /**
     * Connects, checks that the server answers and runs the durability check.
     *
     * @throws StorageConfigurationException if the URL or a setting is malformed
     * @throws StorageUnavailableException   if the server cannot be reached
     */
    public static RedisBackend open(String url, Settings settings) {
        RedisEndpoint endpoint = RedisEndpoint.parse(url);
        if (!PREFIX.matcher(settings.keyPrefix()).matches()) {
            throw new StorageConfigurationException("invalid value '" + settings.keyPrefix()
                    + "' for backend.key-prefix: expected 1 to 64 of A-Z a-z 0-9 . _ : - (no braces)");
        }
        RedisExceptionTranslator translator = new RedisExceptionTranslator(endpoint.redacted());
        int timeout = (int) settings.timeout().toMillis();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout).socketTimeoutMillis(timeout)
                .clientName("chatstore").ssl(endpoint.tls()).resp2();
        endpoint.user().ifPresent(config::user);
        endpoint.password().ifPresent(config::password);
        if (!endpoint.cluster()) {
            config.database(endpoint.database());
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolSize());
        pool.setMaxIdle(settings.poolSize());
        UnifiedJedis client;
        try {
            if (endpoint.cluster()) {
                client = RedisClusterClient.builder().nodes(new LinkedHashSet<HostAndPort>(endpoint.nodes()))
                        .clientConfig(config.build()).poolConfig(pool).maxAttempts(settings.maxAttempts())
                        .maxTotalRetriesDuration(settings.timeout().multipliedBy(settings.maxAttempts()))
                        .build();
            } else {
                client = RedisClient.builder().hostAndPort(endpoint.nodes().get(0)).clientConfig(config.build())
                        .poolConfig(pool).build();
            }
        } catch (RuntimeException e) {
            throw translator.translate(e, "connect");
        }
        RedisAccess redis = new RedisAccess(client, translator);
        Keys keys = new Keys(settings.keyPrefix());
        try {
            redis.call("ping", UnifiedJedis::ping);
            DurabilityCheck.run(client, endpoint.redacted(), settings.durability(),
                    DurabilityCheck.Mode.valueOf(settings.durabilityMode().toUpperCase(java.util.Locale.ROOT)));
            checkMarker(redis, keys, endpoint, settings);
        } catch (StorageException e) {
            client.close();
            throw e;
        }
        return new RedisBackend(endpoint, redis, keys, settings.readOnly());
    }

    /**
     * A store is a key prefix holding the marker {@code <prefix>:{idx}:store}. Creates it when missing (unless
     * {@code store.create-if-missing=false} or read-only), and refuses a marker of an unknown layout.
     */
    private static void checkMarker(RedisAccess redis, Keys keys, RedisEndpoint endpoint, Settings settings) {
        String marker = redis.call("read store marker", j -> j.get(keys.storeMarker()));
        if (marker == null) {
            if (!settings.createIfMissing() || settings.readOnly()) {
                if (!settings.createIfMissing()) {
                    throw new StorageConfigurationException("no Chatstore store at " + endpoint.redacted()
                            + " under key prefix " + keys.prefix() + " (store.create-if-missing=false)");
                }
                return; // read-only on an empty prefix: an empty store, and nothing is written
            }
            redis.call("create store marker", j -> j.setnx(keys.storeMarker(), LAYOUT));
            marker = redis.call("read store marker", j -> j.get(keys.storeMarker()));
        }
        if (!LAYOUT.equals(marker)) {
            throw new StorageConfigurationException("the keys under prefix " + keys.prefix() + " at "
                    + endpoint.redacted() + " are not a store of this version (marker '" + marker + "', expected '"
                    + LAYOUT + "')");
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public UserRepository users() {
        checkOpen();
        return users;
    }

    @Override
    public SessionRepository sessions() {
        checkOpen();
        return sessions;
    }

    @Override
    public MessageLogs logs() {
        checkOpen();
        return logs;
    }

    @Override
    public DocumentRepository documents() {
        checkOpen();
        return documents;
    }

    @Override
    public ContextRepository contexts() {
        checkOpen();
        return contexts;
    }

    @Override
    public PanelRepository panels() {
        checkOpen();
        return panels;
    }

    @Override
    public PersonaRepository personas() {
        checkOpen();
        return personas;
    }

    @Override
    public CredentialRepository credentials() {
        checkOpen();
        return credentials;
    }

    @Override
    public Optional<MessageSearch> search() {
        return Optional.of(search);
    }

    /** Pings, then writes and deletes a probe key of its own (no record a caller can see). */
    @Override
    public HealthReport health() {
        long started = System.nanoTime();
        if (closed.get()) {
            return new HealthReport(name(), false, false, OptionalLong.empty(), Duration.ZERO, Optional.of("closed"));
        }
        try {
            redis.call("ping", UnifiedJedis::ping);
        } catch (StorageException e) {
            return new HealthReport(name(), false, false, OptionalLong.empty(),
                    Duration.ofNanos(System.nanoTime() - started), Optional.of(String.valueOf(e.getMessage())));
        }
        if (readOnly) {
            return new HealthReport(name(), true, false, OptionalLong.empty(),
                    Duration.ofNanos(System.nanoTime() - started), Optional.of("opened read-only"));
        }
        try {
            redis.call("probe write", j -> {
                j.set(keys.healthProbe(), Long.toString(System.currentTimeMillis()));
                return j.del(keys.healthProbe());
            });
            return new HealthReport(name(), true, true, OptionalLong.empty(),
                    Duration.ofNanos(System.nanoTime() - started), Optional.empty());
        } catch (StorageException e) {
            return new HealthReport(name(), true, false, OptionalLong.empty(),
                    Duration.ofNanos(System.nanoTime() - started), Optional.of(String.valueOf(e.getMessage())));
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            redis.close();
        }
    }

    @Override
    public String toString() {
        return "redis store " + keys.prefix() + " at " + endpoint.redacted();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new StorageUnavailableException("the Redis store " + keys.prefix() + " at " + endpoint.redacted()
                    + " is closed");
        }
    }
}
