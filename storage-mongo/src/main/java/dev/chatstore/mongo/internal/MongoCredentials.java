package dev.chatstore.mongo.internal;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.spi.CredentialRepository;
import dev.chatstore.api.spi.Orderings;
import dev.chatstore.api.spi.StoredCredential;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Encrypted credentials in {@code credentials}: {@code _id = "<user>/<provider>"}, unique (user, provider). */
public final class MongoCredentials implements CredentialRepository {

    private final MongoStore store;

    public MongoCredentials(MongoStore store) {
        this.store = store;
    }

    @Override
    public void put(StoredCredential credential) {
        store.run("store credential " + credential.userId() + "/" + credential.provider(), () -> {
            if (store.users.countDocuments(Filters.eq("_id", credential.userId())) == 0) {
                throw new NotFoundException("user", credential.userId());
            }
            store.credentials.replaceOne(Filters.eq("_id", credential.userId() + "/" + credential.provider()),
                    BsonMapping.credential(credential), new ReplaceOptions().upsert(true));
        });
    }

    @Override
    public Optional<StoredCredential> find(String userId, String provider) {
        return store.call("read credential " + userId + "/" + provider, () -> Optional.ofNullable(
                store.credentials.find(Filters.eq("_id", userId + "/" + provider)).first())
                .map(BsonMapping::credential));
    }

    @Override
    public List<StoredCredential> list(String userId) {
        return store.call("list credentials of " + userId, () -> {
            List<StoredCredential> out = new ArrayList<>();
            for (Document d : store.credentials.find(Filters.eq("user", userId))) {
                out.add(BsonMapping.credential(d));
            }
            out.sort(Comparator.comparing(StoredCredential::provider, Orderings.CODE_POINTS));
            return out;
        });
    }

    @Override
    public boolean delete(String userId, String provider) {
        return store.call("delete credential " + userId + "/" + provider, () -> store.credentials.deleteOne(
                Filters.eq("_id", userId + "/" + provider)).getDeletedCount() > 0);
    }
}
