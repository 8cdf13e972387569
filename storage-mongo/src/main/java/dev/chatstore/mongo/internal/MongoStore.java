package dev.chatstore.mongo.internal;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.StorageUnavailableException;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The connection, collections and settings one backend shares among its repositories, and the guard every
 * operation runs through ({@link #call}): refuse after close, translate driver exceptions.
 *
 * <p>Collections: {@code users}, {@code sessions} (each one also the commit pointer of its log), {@code messages}
 * (one document per message of every session and panel log), {@code panels} (also their logs' commit pointers),
 * {@code insights}, {@code personas}, {@code credentials}, {@code documents} (metadata) and the GridFS bucket
 * {@code documentBytes}.
 */
public final class MongoStore {

    public final MongoClient client;
    public final MongoDatabase database;
    public final MongoCollection<Document> users;
    public final MongoCollection<Document> sessions;
    public final MongoCollection<Document> messages;
    public final MongoCollection<Document> panels;
    public final MongoCollection<Document> insights;
    public final MongoCollection<Document> personas;
    public final MongoCollection<Document> credentials;
    public final MongoCollection<Document> documents;
    public final GridFSBucket documentBytes;
    public final Clock clock;
    public final Duration appendLease;
    public final Duration appendTimeout;
    public final boolean transactions;
    private volatile boolean closed;

    public MongoStore(MongoClient client, MongoDatabase database, WriteConcern writeConcern, Clock clock,
                      Duration appendLease, Duration appendTimeout, boolean transactions) {
        this.client = client;
        this.database = database.withWriteConcern(writeConcern);
        this.users = this.database.getCollection("users");
        this.sessions = this.database.getCollection("sessions");
        this.messages = this.database.getCollection("messages");
        this.panels = this.database.getCollection("panels");
        this.insights = this.database.getCollection("insights");
        this.personas = this.database.getCollection("personas");
        this.credentials = this.database.getCollection("credentials");
        this.documents = this.database.getCollection("documents");
        this.documentBytes = GridFSBuckets.create(this.database, "documentBytes");
        this.clock = clock;
        this.appendLease = appendLease;
        this.appendTimeout = appendTimeout;
        this.transactions = transactions;
    }

    /**
     * Creates the indexes every access path needs (idempotent). The unique ones carry correctness: a message's
     * (log, seq) and (log, mid) are what make two writers unable to store a gap-free log twice over.
     */
    public void ensureIndexes() {
        IndexOptions unique = new IndexOptions().unique(true);
        messages.createIndex(Indexes.ascending("log", "seq"), unique.name("log_seq"));
        messages.createIndex(Indexes.ascending("log", "mid"), new IndexOptions().unique(true).name("log_mid"));
        messages.createIndex(Indexes.compoundIndex(Indexes.ascending("user", "words"), Indexes.descending("createdAt")),
                new IndexOptions().name("user_words_createdAt"));
        sessions.createIndex(Indexes.ascending("user", "sid"), new IndexOptions().unique(true).name("user_sid"));
        sessions.createIndex(Indexes.compoundIndex(Indexes.ascending("user"), Indexes.descending("updatedAt"),
                Indexes.ascending("sid")), new IndexOptions().name("user_updatedAt_sid"));
        panels.createIndex(Indexes.compoundIndex(Indexes.descending("createdAt"), Indexes.ascending("_id")),
                new IndexOptions().name("createdAt_id"));
        insights.createIndex(Indexes.ascending("panel", "iid"), new IndexOptions().unique(true).name("panel_iid"));
        insights.createIndex(Indexes.compoundIndex(Indexes.ascending("panel"), Indexes.descending("createdAt", "iid")),
                new IndexOptions().name("panel_createdAt_iid"));
        insights.createIndex(Indexes.ascending("createdAt"), new IndexOptions().name("createdAt"));
        personas.createIndex(Indexes.ascending("scope", "pid"), new IndexOptions().unique(true).name("scope_pid"));
        personas.createIndex(Indexes.ascending("user"), new IndexOptions().name("user"));
        credentials.createIndex(Indexes.ascending("user", "provider"),
                new IndexOptions().unique(true).name("user_provider"));
        documents.createIndex(Indexes.ascending("user", "sid", "name"),
                new IndexOptions().unique(true).name("user_sid_name"));
    }

    /** Shards every collection on {@link MongoSharding#SHARD_KEYS} (through mongos only). */
    public void shardCollections() {
        MongoSharding.shardCollections(this);
    }

    /** Runs one repository operation: refused once closed, driver exceptions translated. */
    public <T> T call(String what, Supplier<T> action) {
        return call(what, null, action);
    }

    /** As {@link #call(String, Supplier)}, naming the record a duplicate key would be about. */
    public <T> T call(String what, DuplicateKeyException duplicate, Supplier<T> action) {
        checkOpen();
        try {
            return action.get();
        } catch (RuntimeException e) {
            if (closed) {
                throw new StorageUnavailableException(what + " failed: the store is closed", e);
            }
            throw MongoExceptionTranslator.translate(what, e, duplicate);
        }
    }

    public void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    public void checkOpen() {
        if (closed) {
            throw new StorageUnavailableException("the MongoDB store " + database.getName() + " is closed");
        }
    }

    public boolean isClosed() {
        return closed;
    }

    public void close() {
        if (!closed) {
            closed = true;
            client.close();
        }
    }
}
