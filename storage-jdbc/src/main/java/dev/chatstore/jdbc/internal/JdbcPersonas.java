package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.spi.PersonaRepository;
import dev.chatstore.jdbc.internal.mapping.PersonaRow;
import dev.chatstore.jdbc.internal.mapping.UserRow;
import org.hibernate.StatelessSession;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;

/** Personas through Hibernate's StatelessSession; the scope is the user ID, or {@code ""} for global. */
final class JdbcPersonas implements PersonaRepository {

    private static final String GLOBAL = "";

    private final Database db;
    private final Codec codec;

    JdbcPersonas(Database db, Codec codec) {
        this.db = db;
        this.codec = codec;
    }

    private static String scope(PersonaScope scope) {
        return scope.userId().orElse(GLOBAL);
    }

    private static void requireUser(StatelessSession s, PersonaScope scope) {
        if (!scope.isGlobal() && s.get(UserRow.class, scope.userId().get()) == null) {
            throw new NotFoundException("user", scope.userId().get());
        }
    }

    @Override
    public void insert(Persona persona) {
        try {
            db.writeStateless("creating persona " + persona.id(), s -> {
                requireUser(s, persona.scope());
                s.insert(row(persona));
                return null;
            });
        } catch (DuplicateKeyException e) {
            throw new DuplicateKeyException("persona", persona.scope() + "/" + persona.id(), e);
        }
    }

    @Override
    public Persona update(Persona next, long expectedVersion) {
        return db.writeStateless("updating persona " + next.id(), s -> {
            int updated = s.createMutationQuery("update PersonaRow p set p.data = :data, p.updatedAt = :updatedAt,"
                            + " p.version = :version where p.scopeUserId = :scope and p.id = :id and p.version = :expected")
                    .setParameter("data", Codec.json(next.data()))
                    .setParameter("updatedAt", Codec.millis(next.updatedAt()))
                    .setParameter("version", next.version())
                    .setParameter("scope", scope(next.scope()))
                    .setParameter("id", next.id())
                    .setParameter("expected", expectedVersion)
                    .executeUpdate();
            if (updated == 1) {
                return next;
            }
            PersonaRow current = s.get(PersonaRow.class, new PersonaRow.Key(scope(next.scope()), next.id()));
            if (current == null) {
                throw new NotFoundException("persona", next.scope() + "/" + next.id());
            }
            throw new OptimisticConflictException("persona", next.scope() + "/" + next.id(), expectedVersion,
                    current.version);
        });
    }

    @Override
    public Optional<Persona> find(PersonaScope scope, String personaId) {
        return db.readStateless("reading persona " + personaId,
                s -> Optional.ofNullable(s.get(PersonaRow.class, new PersonaRow.Key(scope(scope), personaId))))
                .map(this::persona);
    }

    @Override
    public List<Persona> list(PersonaScope scope) {
        return db.readStateless("listing personas", s -> s.createSelectionQuery(
                        "from PersonaRow where scopeUserId = :scope order by id", PersonaRow.class)
                .setParameter("scope", scope(scope)).getResultList()).stream().map(this::persona).toList();
    }

    @Override
    public boolean delete(PersonaScope scope, String personaId) {
        return db.writeStateless("deleting persona " + personaId, s -> s.createMutationQuery(
                        "delete from PersonaRow where scopeUserId = :scope and id = :id")
                .setParameter("scope", scope(scope)).setParameter("id", personaId).executeUpdate() == 1);
    }

    @Override
    public void restore(Persona persona) {
        db.write("restoring persona " + persona.id(), c -> {
            db.withStateless(c, s -> {
                requireUser(s, persona.scope());
                return null;
            });
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO personas (scope_user_id, id, data, created_at,"
                    + " updated_at, version) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope_user_id, id) DO UPDATE SET"
                    + " data = excluded.data, created_at = excluded.created_at, updated_at = excluded.updated_at,"
                    + " version = excluded.version")) {
                PersonaRow r = row(persona);
                ps.setString(1, r.scopeUserId);
                ps.setString(2, r.id);
                ps.setString(3, r.data);
                ps.setLong(4, r.createdAt);
                ps.setLong(5, r.updatedAt);
                ps.setLong(6, r.version);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static PersonaRow row(Persona p) {
        PersonaRow r = new PersonaRow();
        r.scopeUserId = scope(p.scope());
        r.id = p.id();
        r.data = Codec.json(p.data());
        r.createdAt = Codec.millis(p.createdAt());
        r.updatedAt = Codec.millis(p.updatedAt());
        r.version = p.version();
        return r;
    }

    private Persona persona(PersonaRow r) {
        PersonaScope scope = r.scopeUserId.isEmpty() ? PersonaScope.global() : PersonaScope.user(r.scopeUserId);
        return new Persona(r.id, scope, codec.json(r.data, "personas", r.scopeUserId + "/" + r.id),
                Codec.instant(r.createdAt), Codec.instant(r.updatedAt), r.version);
    }
}
