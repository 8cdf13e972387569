package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.UserRepository;
import dev.chatstore.jdbc.internal.mapping.UserRow;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Users: CRUD through Hibernate's StatelessSession (no persistence context, no dirty checking), keyset pages and restores native. */
final class JdbcUsers implements UserRepository {

    private final Database db;
    private final Dialect dialect;
    private final Codec codec;

    JdbcUsers(Database db, Codec codec) {
        this.db = db;
        this.dialect = db.dialect();
        this.codec = codec;
    }

    @Override
    public void insert(User user) {
        try {
            db.writeStateless("creating user " + user.id(), s -> {
                s.insert(row(user));
                return null;
            });
        } catch (DuplicateKeyException e) {
            throw new DuplicateKeyException("user", user.id(), e);
        }
    }

    @Override
    public Optional<User> find(String userId) {
        return db.readStateless("reading user " + userId, s -> Optional.ofNullable(s.get(UserRow.class, userId)))
                .map(this::user);
    }

    @Override
    public User update(User next, long expectedVersion) {
        int updated = db.writeStateless("updating user " + next.id(), s -> s.createMutationQuery(
                        "update UserRow u set u.displayName = :name, u.profile = :profile, u.updatedAt = :updatedAt,"
                                + " u.version = :version where u.id = :id and u.version = :expected")
                .setParameter("name", Codec.text(next.displayName()))
                .setParameter("profile", Codec.json(next.profile()))
                .setParameter("updatedAt", Codec.millis(next.updatedAt()))
                .setParameter("version", next.version())
                .setParameter("id", next.id())
                .setParameter("expected", expectedVersion)
                .executeUpdate());
        if (updated == 1) {
            return next;
        }
        User current = find(next.id()).orElseThrow(() -> new NotFoundException("user", next.id()));
        throw new OptimisticConflictException("user", next.id(), expectedVersion, current.version());
    }

    @Override
    public boolean delete(String userId) {
        // sessions (with messages, documents, contexts) and credentials go by ON DELETE CASCADE; personas
        // have no foreign key (the global scope has no user row), so they are deleted here
        return db.write("deleting user " + userId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM personas WHERE scope_user_id = ?")) {
                ps.setString(1, userId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
                ps.setString(1, userId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<User> list(String afterUserId, int limit) {
        return db.read("listing users", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, display_name, profile, created_at, updated_at,"
                    + " version FROM users WHERE " + dialect.byCodePoint("id") + " > ? ORDER BY "
                    + dialect.byCodePoint("id") + " LIMIT ?")) {
                ps.setString(1, afterUserId);
                ps.setInt(2, limit);
                List<User> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString("id");
                        out.add(new User(id, Codec.untext(rs.getString("display_name")),
                                codec.json(rs.getString("profile"), "users", id), Codec.instant(rs.getLong("created_at")),
                                Codec.instant(rs.getLong("updated_at")), rs.getLong("version")));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public long count() {
        return db.readStateless("counting users",
                s -> s.createSelectionQuery("select count(*) from UserRow", Long.class).getSingleResult());
    }

    @Override
    public void restore(User user) {
        db.write("restoring user " + user.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, display_name, profile, created_at,"
                    + " updated_at, version) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                    + " display_name = excluded.display_name, profile = excluded.profile,"
                    + " created_at = excluded.created_at, updated_at = excluded.updated_at, version = excluded.version")) {
                UserRow r = row(user);
                ps.setString(1, r.id);
                ps.setString(2, r.displayName);
                ps.setString(3, r.profile);
                ps.setLong(4, r.createdAt);
                ps.setLong(5, r.updatedAt);
                ps.setLong(6, r.version);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static UserRow row(User u) {
        UserRow r = new UserRow();
        r.id = u.id();
        r.displayName = Codec.text(u.displayName());
        r.profile = Codec.json(u.profile());
        r.createdAt = Codec.millis(u.createdAt());
        r.updatedAt = Codec.millis(u.updatedAt());
        r.version = u.version();
        return r;
    }

    private User user(UserRow r) {
        return new User(r.id, Codec.untext(r.displayName), codec.json(r.profile, "users", r.id),
                Codec.instant(r.createdAt), Codec.instant(r.updatedAt), r.version);
    }
}
