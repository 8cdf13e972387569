package dev.chatstore.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.BackendOption;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.mongo.internal.MongoBackend;
import dev.chatstore.mongo.internal.MongoExceptionTranslator;
import dev.chatstore.mongo.internal.MongoStore;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code mongodb://} and {@code mongodb+srv://} backend, on the official synchronous driver. The URL is a
 * standard MongoDB connection string whose path names the database, e.g.
 * {@code mongodb://db1,db2/chatstore?replicaSet=rs0}; collections and indexes are created on open.
 *
 * <p>{@code store.create-if-missing=false} refuses a database without Chatstore's collections (a mistyped name)
 * instead of creating them; {@code store.read-only=true} opens without creating indexes (the core refuses writes).
 *
 * <p>Works on a standalone server and on a replica set (or sharded cluster): message seqs are assigned gap-free by a
 * per-log commit pointer on a standalone server and inside a transaction on a replica set (detected from the
 * server's {@code hello} reply, or forced with {@code backend.seq-protocol}). Durability {@code sync} writes with
 * write concern {@code majority} and journaling; {@code batch} and {@code none} with {@code w:1}.
 */
public final class MongoBackendProvider implements StorageBackendProvider {

    private static final Logger LOG = LoggerFactory.getLogger(MongoBackendProvider.class);

    /** How seqs are assigned: chosen from the server's topology, or forced. */
    public static final BackendOption<String> SEQ_PROTOCOL = BackendOption.choice("seq-protocol", "auto",
            List.of("auto", "pointer", "transaction"),
            "how appends assign seqs: auto (transactions on a replica set, the commit pointer on a standalone "
                    + "server), pointer, or transaction (needs a replica set)");

    /** How long an append's reservation of a log is honoured before another writer may take it over. */
    public static final BackendOption<Duration> APPEND_LEASE = BackendOption.millis("append-lease-ms", 10_000, 50,
            3_600_000, "how long a writer that died mid-append keeps its log reserved before others take over");

    /** How long an append waits for other writers of the same log. */
    public static final BackendOption<Duration> APPEND_TIMEOUT = BackendOption.millis("append-timeout-ms", 60_000,
            100, 3_600_000, "how long an append waits for other writers of the same log before failing as "
                    + "unavailable");

    /** How long the driver looks for a usable server before an operation fails as unavailable. */
    public static final BackendOption<Duration> SERVER_SELECTION_TIMEOUT = BackendOption.millis(
            "server-selection-timeout-ms", 10_000, 100, 600_000,
            "how long to wait for a reachable server before failing as unavailable");

    /** Whether to shard the collections on open (through mongos), with the keys of the module README. */
    public static final BackendOption<Boolean> SHARD_COLLECTIONS = BackendOption.bool("shard-collections", false,
            "shard every collection on its documented shard key when opened through mongos");

    @Override
    public String name() {
        return "mongodb";
    }

    @Override
    public boolean supports(String url) {
        return url.startsWith("mongodb://") || url.startsWith("mongodb+srv://");
    }

    @Override
    public String urlPattern() {
        return "mongodb://host[:port][,host...]/database[?options] or mongodb+srv://host/database[?options]";
    }

    @Override
    public List<BackendOption<?>> options() {
        return List.of(SEQ_PROTOCOL, APPEND_LEASE, APPEND_TIMEOUT, SERVER_SELECTION_TIMEOUT, SHARD_COLLECTIONS);
    }

    @Override
    public StorageBackend open(BackendContext context) {
        ConnectionString connection;
        try {
            connection = new ConnectionString(context.url());
        } catch (IllegalArgumentException e) {
            throw new StorageConfigurationException("malformed MongoDB URL (expected " + urlPattern() + "): "
                    + e.getMessage(), e);
        }
        String database = connection.getDatabase();
        if (database == null || database.isBlank()) {
            throw new StorageConfigurationException("the MongoDB URL must name a database in its path, e.g. "
                    + "mongodb://localhost:27017/chatstore (hosts " + connection.getHosts() + ")");
        }
        String protocol = context.option(SEQ_PROTOCOL);
        Duration selection = context.option(SERVER_SELECTION_TIMEOUT);
        MongoClientSettings.Builder settings = MongoClientSettings.builder().applyConnectionString(connection)
                .applicationName("chatstore");
        if (connection.getServerSelectionTimeout() == null) {
            settings.applyToClusterSettings(c -> c.serverSelectionTimeout(selection.toMillis(), TimeUnit.MILLISECONDS));
        }
        WriteConcern writeConcern = context.config().durability() == Durability.SYNC
                ? WriteConcern.MAJORITY.withJournal(true) : WriteConcern.W1;
        MongoClient client = MongoClients.create(settings.build());
        try {
            MongoDatabase db = client.getDatabase(database);
            Document hello = hello(db);
            boolean mongos = "isdbgrid".equals(hello.get("msg"));
            boolean replicaSet = hello.get("setName") != null || mongos;
            boolean transactions = switch (protocol) {
                case "transaction" -> true;
                case "pointer" -> false;
                default -> replicaSet;
            };
            if (transactions && !replicaSet) {
                throw new StorageConfigurationException("backend.seq-protocol=transaction needs a replica set or a "
                        + "sharded cluster; the server at " + connection.getHosts() + " is standalone");
            }
            MongoStore store = new MongoStore(client, db, writeConcern, context.clock(),
                    context.option(APPEND_LEASE), context.option(APPEND_TIMEOUT), transactions);
            boolean exists = false;
            for (String name : db.listCollectionNames()) {
                exists |= name.equals("users");
            }
            if (!exists && !context.config().createIfMissing()) {
                throw new StorageConfigurationException("no Chatstore store at " + connection.getHosts() + "/"
                        + database + " (no users collection; store.create-if-missing=false)");
            }
            if (!context.config().readOnly()) {
                store.ensureIndexes(); // creates the collections too; a read-only open writes nothing
            }
            if (context.option(SHARD_COLLECTIONS)) {
                if (!mongos) {
                    throw new StorageConfigurationException("backend.shard-collections=true needs a connection "
                            + "through mongos; " + connection.getHosts() + " is not a mongos");
                }
                store.shardCollections();
            }
            LOG.debug("opened MongoDB database {} on {} ({} seq protocol)", database, connection.getHosts(),
                    transactions ? "transaction" : "commit pointer");
            return new MongoBackend(store);
        } catch (RuntimeException e) {
            client.close();
            throw MongoExceptionTranslator.translate("open MongoDB database " + database + " on "
                    + connection.getHosts(), e, null);
        }
    }

    /**
     * The server's {@code hello} reply: {@code setName} marks a replica set member, {@code msg: isdbgrid} a mongos
     * (both run transactions). Servers without {@code hello} (and the in-process test server) answer
     * {@code isMaster}.
     */
    private static Document hello(MongoDatabase db) {
        try {
            return db.runCommand(new Document("hello", 1));
        } catch (com.mongodb.MongoCommandException olderServer) {
            return db.runCommand(new Document("isMaster", 1));
        }
    }
}
