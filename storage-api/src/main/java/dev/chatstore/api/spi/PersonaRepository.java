package dev.chatstore.api.spi;

import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;

import java.util.List;
import java.util.Optional;

/** Personas, keyed by (scope, id). */
public interface PersonaRepository {

    /**
     * @throws dev.chatstore.api.error.DuplicateKeyException if the scope already has that ID
     * @throws dev.chatstore.api.error.NotFoundException     if the scope's user does not exist
     */
    void insert(Persona persona);

    /**
     * Compare-and-set on the version: stores data, updatedAt and version of {@code next}.
     *
     * @throws dev.chatstore.api.error.NotFoundException            if it does not exist
     * @throws dev.chatstore.api.error.OptimisticConflictException if the stored version differs
     */
    Persona update(Persona next, long expectedVersion);

    /** The persona in exactly this scope (no shadowing here; {@code ChatStore} applies it). */
    Optional<Persona> find(PersonaScope scope, String personaId);

    /** The personas of exactly this scope, by ID ({@link Orderings#CODE_POINTS}). */
    List<Persona> list(PersonaScope scope);

    boolean delete(PersonaScope scope, String personaId);

    /** Writes the persona exactly as given (import, backfill, repair). */
    void restore(Persona persona);
}
