package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.UserRepository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Users, native SQL like sessions and messages: creating a user is on the path from opening a store to its first
 * append, which therefore never waits for Hibernate to start (see {@link HibernateMapping}).
 */
final class JdbcUsers implements UserRepository {

    private static final String COLUMNS = "id, display_name, profile, created_at, updated_at, version";

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
            db.writeOneStatement("creating user " + user.id(), c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                    bind(ps, user);
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (DuplicateKeyException e) {
            throw new DuplicateKeyException("user", user.id(), e);
        }
    }

    @Override
    public Optional<User> find(String userId) {
        return db.read("reading user " + userId, c -> find(c, userId));
    }

    private Optional<User> find(Connection c, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public User update(User next, long expectedVersion) {
        return db.write("updating user " + next.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET display_name = ?, profile = ?,"
                    + " updated_at = ?, version = ? WHERE id = ? AND version = ?")) {
                ps.setString(1, Codec.text(next.displayName()));
                ps.setString(2, Codec.json(next.profile()));
                ps.setLong(3, Codec.millis(next.updatedAt()));
                ps.setLong(4, next.version());
                ps.setString(5, next.id());
                ps.setLong(6, expectedVersion);
                if (ps.executeUpdate() == 1) {
                    return next;
                }
            }
            User current = find(c, next.id()).orElseThrow(() -> new NotFoundException("user", next.id()));
            throw new OptimisticConflictException("user", next.id(), expectedVersion, current.version());
        });
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
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE "
                    + dialect.byCodePoint("id") + " > ? ORDER BY " + dialect.byCodePoint("id") + " LIMIT ?")) {
                ps.setString(1, afterUserId);
                ps.setInt(2, limit);
                List<User> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(user(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public long count() {
        return db.read("counting users", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM users");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void restore(User user) {
        db.write("restoring user " + user.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, profile = excluded.profile,"
                    + " created_at = excluded.created_at, updated_at = excluded.updated_at, version = excluded.version")) {
                bind(ps, user);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static void bind(PreparedStatement ps, User u) throws SQLException {
        ps.setString(1, u.id());
        ps.setString(2, Codec.text(u.displayName()));
        ps.setString(3, Codec.json(u.profile()));
        ps.setLong(4, Codec.millis(u.createdAt()));
        ps.setLong(5, Codec.millis(u.updatedAt()));
        ps.setLong(6, u.version());
    }

    private User user(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        return new User(id, Codec.untext(rs.getString("display_name")), codec.json(rs.getString("profile"), "users", id),
                Codec.instant(rs.getLong("created_at")), Codec.instant(rs.getLong("updated_at")), rs.getLong("version"));
    }
}
