package dev.chatstore.api;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Persona definitions, global or per user; a user's persona shadows a global one with the same ID.
 * Obtained from {@link ChatStore#personas()}.
 */
public final class Personas {

    private final StoreCore core;

    Personas(StoreCore core) {
        this.core = core;
    }

    /**
     * Saves the persona in the scope: creates it at version 1, or replaces its data and adds 1 to its version.
     *
     * @throws NotFoundException if the scope is a user that does not exist
     */
    public Persona save(PersonaScope scope, String personaId, JsonObject data) {
        check(scope, personaId, data);
        return StoreCore.retryOnConflict("save of persona " + personaId, () -> {
            Optional<Persona> current = core.backend.personas().find(scope, personaId);
            if (current.isEmpty()) {
                Instant now = core.now();
                Persona created = new Persona(personaId, scope, data, now, now, 1);
                try {
                    core.backend.personas().insert(created);
                    return created;
                } catch (DuplicateKeyException raced) {
                    throw new OptimisticConflictException("persona", scope + "/" + personaId, 0, -1);
                }
            }
            return write(current.get(), data);
        });
    }

    /**
     * Stores {@code modified}'s data if the stored persona is still at {@code modified.version()}.
     *
     * @throws OptimisticConflictException if someone saved it since it was read
     * @throws NotFoundException           if it does not exist
     */
    public Persona update(Persona modified) {
        check(modified.scope(), modified.id(), modified.data());
        Persona current = core.backend.personas().find(modified.scope(), modified.id())
                .orElseThrow(() -> new NotFoundException("persona", modified.scope() + "/" + modified.id()));
        if (current.version() != modified.version()) {
            throw new OptimisticConflictException("persona", modified.scope() + "/" + modified.id(),
                    modified.version(), current.version());
        }
        return write(current, modified.data());
    }

    /** The persona in exactly this scope. */
    public Optional<Persona> find(PersonaScope scope, String personaId) {
        checkScope(scope);
        Validator.id("personaId", personaId);
        return core.backend.personas().find(scope, personaId);
    }

    /** The persona the user sees under this ID: the user's own, else the global one. */
    public Optional<Persona> resolve(String userId, String personaId) {
        Validator.id("userId", userId);
        Validator.id("personaId", personaId);
        Optional<Persona> own = core.backend.personas().find(PersonaScope.user(userId), personaId);
        return own.isPresent() ? own : core.backend.personas().find(PersonaScope.global(), personaId);
    }

    /** The personas of exactly this scope, by ID. */
    public List<Persona> list(PersonaScope scope) {
        checkScope(scope);
        return core.backend.personas().list(scope);
    }

    /** Every persona the user sees (global ones, shadowed by the user's own of the same ID), by ID. */
    public List<Persona> listVisibleTo(String userId) {
        Validator.id("userId", userId);
        Map<String, Persona> visible = new TreeMap<>();
        core.backend.personas().list(PersonaScope.global()).forEach(p -> visible.put(p.id(), p));
        core.backend.personas().list(PersonaScope.user(userId)).forEach(p -> visible.put(p.id(), p));
        return List.copyOf(visible.values());
    }

    public boolean delete(PersonaScope scope, String personaId) {
        checkScope(scope);
        Validator.id("personaId", personaId);
        return core.backend.personas().delete(scope, personaId);
    }

    private Persona write(Persona current, JsonObject data) {
        Persona next = new Persona(current.id(), current.scope(), data, current.createdAt(),
                StoreCore.later(current.updatedAt(), core.now()), current.version() + 1);
        return core.backend.personas().update(next, current.version());
    }

    private void check(PersonaScope scope, String personaId, JsonObject data) {
        checkScope(scope);
        Validator.id("personaId", personaId);
        Validator.json("data", data, core.config.maxJsonBytes());
    }

    private static void checkScope(PersonaScope scope) {
        scope.userId().ifPresent(u -> Validator.id("scope.userId", u));
    }
}
