package dev.chatstore.mongo.internal;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.spi.Orderings;
import dev.chatstore.api.spi.PersonaRepository;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static dev.chatstore.mongo.internal.BsonMapping.date;
import static dev.chatstore.mongo.internal.BsonMapping.scopeKey;

/** Personas in {@code personas}: {@code _id = "<scope>/<id>"}, unique (scope, pid), {@code user} for the cascade. */
public final class MongoPersonas implements PersonaRepository {

    private final MongoStore store;

    public MongoPersonas(MongoStore store) {
        this.store = store;
    }

    private void requireScope(PersonaScope scope) {
        if (scope.userId().isPresent() && store.users.countDocuments(Filters.eq("_id", scope.userId().get())) == 0) {
            throw new NotFoundException("user", scope.userId().get());
        }
    }

    private static String key(PersonaScope scope, String id) {
        return scopeKey(scope) + "/" + id;
    }

    @Override
    public void insert(Persona persona) {
        store.run("create persona " + key(persona.scope(), persona.id()), () -> {
            requireScope(persona.scope());
            try {
                store.personas.insertOne(BsonMapping.persona(persona));
            } catch (RuntimeException e) {
                if (MongoExceptionTranslator.isDuplicateKey(e)) {
                    throw new DuplicateKeyException("persona", persona.scope() + "/" + persona.id(), e);
                }
                throw e;
            }
        });
    }

    @Override
    public Persona update(Persona next, long expectedVersion) {
        String key = key(next.scope(), next.id());
        return store.call("update persona " + key, () -> {
            long matched = store.personas.updateOne(Filters.and(Filters.eq("_id", key),
                    Filters.eq("version", expectedVersion)), Updates.combine(
                    Updates.set("data", next.data().toJson()),
                    Updates.set("updatedAt", date(next.updatedAt())),
                    Updates.set("version", next.version()))).getMatchedCount();
            if (matched == 0) {
                Document current = store.personas.find(Filters.eq("_id", key)).first();
                if (current == null) {
                    throw new NotFoundException("persona", next.scope() + "/" + next.id());
                }
                throw new OptimisticConflictException("persona", next.scope() + "/" + next.id(), expectedVersion,
                        BsonMapping.longValue(current, "version"));
            }
            return next;
        });
    }

    @Override
    public Optional<Persona> find(PersonaScope scope, String personaId) {
        return store.call("read persona " + key(scope, personaId), () -> Optional.ofNullable(
                store.personas.find(Filters.eq("_id", key(scope, personaId))).first()).map(BsonMapping::persona));
    }

    @Override
    public List<Persona> list(PersonaScope scope) {
        return store.call("list personas of " + scope, () -> {
            List<Persona> out = new ArrayList<>();
            for (Document d : store.personas.find(Filters.eq("scope", scopeKey(scope)))) {
                out.add(BsonMapping.persona(d));
            }
            out.sort(Comparator.comparing(Persona::id, Orderings.CODE_POINTS));
            return out;
        });
    }

    @Override
    public boolean delete(PersonaScope scope, String personaId) {
        return store.call("delete persona " + key(scope, personaId), () -> store.personas.deleteOne(
                Filters.eq("_id", key(scope, personaId))).getDeletedCount() > 0);
    }

    @Override
    public void restore(Persona persona) {
        store.run("restore persona " + key(persona.scope(), persona.id()), () -> {
            requireScope(persona.scope());
            store.personas.replaceOne(Filters.eq("_id", key(persona.scope(), persona.id())),
                    BsonMapping.persona(persona), new ReplaceOptions().upsert(true));
        });
    }
}
