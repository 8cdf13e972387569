package dev.chatstore.mongo.internal;

import com.mongodb.MongoCommandException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shard key of every collection, in one place. Each key is chosen so that every write of one operation goes to
 * one shard and every unique index starts with the shard key (MongoDB enforces uniqueness across shards only then):
 * a log's messages, reservation and commit stay together ({@code log}), a user's sessions, documents and credentials
 * stay together ({@code user}). Applied on open with {@code backend.shard-collections=true} when connected through
 * mongos; otherwise an operator runs the same {@code shardCollection} commands (see the module README).
 */
public final class MongoSharding {

    private static final Logger LOG = LoggerFactory.getLogger(MongoSharding.class);

    /** Collection name to shard key. */
    public static final Map<String, Document> SHARD_KEYS = shardKeys();

    private MongoSharding() {
    }

    private static Map<String, Document> shardKeys() {
        Map<String, Document> keys = new LinkedHashMap<>();
        keys.put("users", new Document("_id", "hashed"));
        keys.put("sessions", new Document("user", 1));
        keys.put("messages", new Document("log", 1));
        keys.put("panels", new Document("_id", "hashed"));
        keys.put("insights", new Document("panel", 1));
        keys.put("personas", new Document("scope", 1));
        keys.put("credentials", new Document("user", 1));
        keys.put("documents", new Document("user", 1));
        keys.put("documentBytes.chunks", new Document("files_id", 1).append("n", 1));
        return keys;
    }

    /** Shards every collection that is not sharded yet (idempotent). Needs a connection through mongos. */
    static void shardCollections(MongoStore store) {
        String db = store.database.getName();
        var admin = store.client.getDatabase("admin");
        for (Map.Entry<String, Document> e : SHARD_KEYS.entrySet()) {
            try {
                admin.runCommand(new Document("shardCollection", db + "." + e.getKey()).append("key", e.getValue()));
                LOG.info("sharded {}.{} on {}", db, e.getKey(), e.getValue().toJson());
            } catch (MongoCommandException already) {
                if (already.getErrorCode() != 20 && !String.valueOf(already.getErrorMessage()).contains("already")) {
                    throw already;
                }
            }
        }
    }
}
