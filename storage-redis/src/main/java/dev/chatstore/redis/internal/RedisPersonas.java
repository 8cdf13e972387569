package dev.chatstore.redis.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.spi.PersonaRepository;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Personas: a hash per persona and a zero-score sorted set of IDs per scope. A user's personas live under the
 * user's hash tag (so deleting the user removes them, and inserting checks the user in the same script); global
 * personas have their own tag {@code {g}}.
 */
final class RedisPersonas implements PersonaRepository {

    private final RedisAccess redis;
    private final Keys keys;

    RedisPersonas(RedisAccess redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public void insert(Persona persona) {
        write("insert", persona);
    }

    @Override
    public Persona update(Persona next, long expectedVersion) {
        List<Object> args = new ArrayList<>();
        args.add(Long.toString(expectedVersion));
        args.addAll(RedisRecords.persona(next));
        RedisAccess.Reply r = redis.run(RedisScript.VERSIONED_UPDATE, List.of(keys.persona(next.scope(), next.id())),
                args);
        if (r.failed("NOTFOUND")) {
            throw new NotFoundException("persona", next.scope() + "/" + next.id());
        }
        if (r.failed("CONFLICT")) {
            throw new OptimisticConflictException("persona", next.scope() + "/" + next.id(), expectedVersion,
                    Long.parseLong(r.text(0)));
        }
        return RedisRecords.persona(RedisAccess.hash(r.orThrow("persona update").values()));
    }

    @Override
    public Optional<Persona> find(PersonaScope scope, String personaId) {
        Map<String, String> h = redis.call("find persona", j -> j.hgetAll(keys.persona(scope, personaId)));
        return h.isEmpty() ? Optional.empty() : Optional.of(RedisRecords.persona(h));
    }

    @Override
    public List<Persona> list(PersonaScope scope) {
        RedisAccess.Reply r = redis.run(RedisScript.PERSONA_LIST, List.of(keys.personaIds(scope)),
                List.of(keys.personaBase(scope) + "persona:"));
        return RedisAccess.countedHashes(r.orThrow("persona list").values()).stream()
                .map(RedisRecords::persona).toList();
    }

    @Override
    public boolean delete(PersonaScope scope, String personaId) {
        RedisAccess.Reply r = redis.run(RedisScript.PERSONA_DELETE,
                List.of(keys.personaIds(scope), keys.persona(scope, personaId)), List.of(personaId));
        return !"0".equals(r.orThrow("persona delete").text(0));
    }

    @Override
    public void restore(Persona persona) {
        write("restore", persona);
    }

    private void write(String mode, Persona p) {
        String owner = p.scope().userId().map(keys::user).orElse(keys.personaIds(p.scope()));
        List<Object> args = new ArrayList<>(List.of(mode, p.id()));
        args.addAll(RedisRecords.persona(p));
        RedisAccess.Reply r = redis.run(RedisScript.PERSONA_WRITE,
                List.of(owner, keys.personaIds(p.scope()), keys.persona(p.scope(), p.id())), args);
        if (r.failed("NOTFOUND")) {
            throw new NotFoundException("user", p.scope().userId().orElse(""));
        }
        if (r.failed("DUP")) {
            throw new DuplicateKeyException("persona", p.scope() + "/" + p.id());
        }
        r.orThrow("persona " + mode);
    }
}
