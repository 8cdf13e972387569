package dev.chatstore.mongo.internal;

import com.mongodb.client.gridfs.model.GridFSFile;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.UserRepository;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.chatstore.mongo.internal.BsonMapping.date;

/**
 * Users: one document each in {@code users}, keyed by the user ID ({@code _id}). It also holds
 * {@code sessionCount}, the counter that enforces the per-user session limit with a conditional increment.
 */
public final class MongoUsers implements UserRepository {

    private final MongoStore store;

    public MongoUsers(MongoStore store) {
        this.store = store;
    }

    @Override
    public void insert(User user) {
        store.run("insert user " + user.id(), () -> {
            try {
                store.users.insertOne(BsonMapping.user(user).append("sessionCount", 0L));
            } catch (RuntimeException e) {
                if (MongoExceptionTranslator.isDuplicateKey(e)) {
                    throw new DuplicateKeyException("user", user.id(), e);
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<User> find(String userId) {
        return store.call("read user " + userId, () -> Optional.ofNullable(store.users.find(Filters.eq("_id", userId))
                .first()).map(BsonMapping::user));
    }

    @Override
    public User update(User next, long expectedVersion) {
        return store.call("update user " + next.id(), () -> {
            long matched = store.users.updateOne(Filters.and(Filters.eq("_id", next.id()),
                    Filters.eq("version", expectedVersion)), Updates.combine(
                    Updates.set("displayName", next.displayName()),
                    Updates.set("profile", next.profile().toJson()),
                    Updates.set("updatedAt", date(next.updatedAt())),
                    Updates.set("version", next.version()))).getMatchedCount();
            if (matched == 0) {
                Document current = store.users.find(Filters.eq("_id", next.id())).first();
                if (current == null) {
                    throw new NotFoundException("user", next.id());
                }
                throw new OptimisticConflictException("user", next.id(), expectedVersion,
                        BsonMapping.longValue(current, "version"));
            }
            return next;
        });
    }

    @Override
    public boolean delete(String userId) {
        return store.call("delete user " + userId, () -> {
            deleteOwnedBy(userId);
            boolean deleted = store.users.deleteOne(Filters.eq("_id", userId)).getDeletedCount() > 0;
            // A session created while the children were being deleted would otherwise outlive its user.
            deleteOwnedBy(userId);
            return deleted;
        });
    }

    private void deleteOwnedBy(String userId) {
        Bson owned = Filters.eq("user", userId);
        store.sessions.deleteMany(owned);
        store.messages.deleteMany(owned);
        deleteDocuments(store, owned);
        store.personas.deleteMany(owned);
        store.credentials.deleteMany(owned);
    }

    /** Deletes the document metadata matching {@code filter} and their GridFS files. */
    static void deleteDocuments(MongoStore store, Bson filter) {
        List<Object> fileIds = new ArrayList<>();
        for (Document d : store.documents.find(filter)) {
            fileIds.add(d.get("file"));
        }
        store.documents.deleteMany(filter);
        for (Object id : fileIds) {
            for (GridFSFile f : store.documentBytes.find(Filters.eq("_id", id))) {
                store.documentBytes.delete(f.getId());
            }
        }
    }

    @Override
    public List<User> list(String afterUserId, int limit) {
        return store.call("list users", () -> {
            List<User> out = new ArrayList<>();
            for (Document d : store.users.find(Filters.gt("_id", afterUserId)).sort(Sorts.ascending("_id"))
                    .limit(limit)) {
                out.add(BsonMapping.user(d));
            }
            return out;
        });
    }

    @Override
    public long count() {
        return store.call("count users", () -> store.users.countDocuments());
    }

    @Override
    public void restore(User user) {
        store.run("restore user " + user.id(), () -> {
            Document fields = BsonMapping.user(user);
            fields.remove("_id");
            store.users.updateOne(Filters.eq("_id", user.id()), Updates.combine(Updates.setOnInsert("sessionCount", 0L),
                    new Document("$set", fields)), new UpdateOptions().upsert(true));
        });
    }
}
