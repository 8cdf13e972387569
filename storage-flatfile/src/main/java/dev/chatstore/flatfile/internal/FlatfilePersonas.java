package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.spi.Orderings;
import dev.chatstore.api.spi.PersonaRepository;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static dev.chatstore.flatfile.internal.StoreLocks.Level;

/**
 * How the file backend stores a persona: one pretty-printed JSON file per persona,
 * {@code personas_global/<persona>.json} for the global scope and {@code users/<user>/personas/<persona>.json} for
 * a user's own (which shadow global ones with the same ID; {@code ChatStore} applies the shadowing). The file holds
 * id, userId ({@code null} for a global persona), data, createdAt, updatedAt and version ({@link Json#persona}); it is replaced atomically (temporary
 * file, fsync, rename), and version is the compare-and-set token of {@link #update}. Writes to the global scope
 * take the global-personas lock, writes to a user's scope the user's lock. A user's personas are deleted with the
 * user's directory.
 */
final class FlatfilePersonas implements PersonaRepository {

    private final FlatfileStore store;
    private final StoreLayout layout;

    FlatfilePersonas(FlatfileStore store) {
        this.store = store;
        this.layout = store.layout;
    }

    private <T> T lockedScope(PersonaScope scope, Supplier<T> action) {
        return scope.isGlobal() ? store.locked(Level.GLOBAL_PERSONAS, "g", action)
                : store.locked(Level.USER, FlatfileStore.userKey(scope.userId().orElseThrow()), action);
    }

    private void requireUser(PersonaScope scope) {
        if (!scope.isGlobal() && !Files.exists(layout.userFile(scope.userId().orElseThrow()))) {
            throw new NotFoundException("user", scope.userId().orElseThrow());
        }
    }

    @Override
    public void insert(Persona persona) {
        lockedScope(persona.scope(), () -> {
            requireUser(persona.scope());
            Path f = layout.personaFile(persona.scope(), persona.id());
            if (Files.exists(f)) {
                throw new DuplicateKeyException("persona", persona.scope() + "/" + persona.id());
            }
            store.mkdirs(f.getParent());
            store.write(f, Json.persona(persona));
            return null;
        });
    }

    @Override
    public Persona update(Persona next, long expectedVersion) {
        return lockedScope(next.scope(), () -> {
            requireUser(next.scope());
            Persona cur = find(next.scope(), next.id())
                    .orElseThrow(() -> new NotFoundException("persona", next.scope() + "/" + next.id()));
            if (cur.version() != expectedVersion) {
                throw new OptimisticConflictException("persona", next.scope() + "/" + next.id(), expectedVersion,
                        cur.version());
            }
            store.write(layout.personaFile(next.scope(), next.id()), Json.persona(next));
            return next;
        });
    }

    @Override
    public Optional<Persona> find(PersonaScope scope, String personaId) {
        store.checkOpen();
        return FlatfileStore.read(layout.personaFile(scope, personaId), Json::persona)
                .filter(p -> p.id().equals(personaId));
    }

    @Override
    public List<Persona> list(PersonaScope scope) {
        store.checkOpen();
        List<Persona> out = new ArrayList<>();
        for (Path f : FlatfileStore.children(layout.personasDir(scope), false, ".json")) {
            FlatfileStore.read(f, Json::persona).ifPresent(out::add);
        }
        out.sort((a, b) -> Orderings.CODE_POINTS.compare(a.id(), b.id()));
        return out;
    }

    @Override
    public boolean delete(PersonaScope scope, String personaId) {
        return lockedScope(scope, () -> store.delete(layout.personaFile(scope, personaId)));
    }

    @Override
    public void restore(Persona persona) {
        lockedScope(persona.scope(), () -> {
            requireUser(persona.scope());
            Path f = layout.personaFile(persona.scope(), persona.id());
            store.mkdirs(f.getParent());
            store.write(f, Json.persona(persona));
            return null;
        });
    }
}
