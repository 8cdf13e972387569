package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.SessionRepository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sessions, native SQL (CAS updates with RETURNING, upserts, the per-user limit under the user's row lock). */
final class JdbcSessions implements SessionRepository {

    private static final String COLUMNS = "user_id, id, title, model, provider, archived, metadata, message_count,"
            + " last_message_at, created_at, updated_at, version";

    private final Database db;
    private final Dialect dialect;
    private final Codec codec;

    JdbcSessions(Database db, Codec codec) {
        this.db = db;
        this.dialect = db.dialect();
        this.codec = codec;
    }

    @Override
    public void insert(Session session, int maxSessionsPerUser) {
        try {
            db.write("creating session " + session.id(), c -> {
                // lock the user row: concurrent creations for one user queue here, so the count is exact
                String lock = "SELECT id FROM users WHERE id = ?" + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : "");
                try (PreparedStatement ps = c.prepareStatement(lock)) {
                    ps.setString(1, session.userId());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new NotFoundException("user", session.userId());
                        }
                    }
                }
                long count = count(c, session.userId());
                if (count >= maxSessionsPerUser) {
                    if (Sessions.findKey(c, session.userId(), session.id()).isPresent()) {
                        throw new DuplicateKeyException("session", session.userId() + "/" + session.id());
                    }
                    throw new LimitExceededException("limits.max-sessions-per-user", maxSessionsPerUser, count + 1);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO sessions (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    bind(ps, session);
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (DuplicateKeyException e) {
            if ("session".equals(e.entity())) {
                throw e;
            }
            throw new DuplicateKeyException("session", session.userId() + "/" + session.id(), e);
        }
    }

    private void bind(PreparedStatement ps, Session s) throws SQLException {
        ps.setString(1, s.userId());
        ps.setString(2, s.id());
        ps.setString(3, Codec.text(s.title()));
        Codec.setNullableText(ps, 4, s.model());
        Codec.setNullableText(ps, 5, s.provider());
        ps.setBoolean(6, s.archived());
        ps.setString(7, Codec.json(s.metadata()));
        ps.setLong(8, s.messageCount());
        if (s.lastMessageAt().isPresent()) {
            ps.setLong(9, Codec.millis(s.lastMessageAt().get()));
        } else {
            ps.setNull(9, Types.BIGINT);
        }
        ps.setLong(10, Codec.millis(s.createdAt()));
        ps.setLong(11, Codec.millis(s.updatedAt()));
        ps.setLong(12, s.version());
    }

    private Session session(ResultSet rs) throws SQLException {
        String key = rs.getString("user_id") + "/" + rs.getString("id");
        long last = rs.getLong("last_message_at");
        Optional<java.time.Instant> lastAt = rs.wasNull() ? Optional.empty() : Optional.of(Codec.instant(last));
        return new Session(rs.getString("id"), rs.getString("user_id"), Codec.untext(rs.getString("title")),
                Codec.nullableText(rs, "model"), Codec.nullableText(rs, "provider"), rs.getBoolean("archived"),
                codec.json(rs.getString("metadata"), "sessions", key), rs.getLong("message_count"), lastAt,
                Codec.instant(rs.getLong("created_at")), Codec.instant(rs.getLong("updated_at")), rs.getLong("version"));
    }

    private static long count(Connection c, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM sessions WHERE user_id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public Optional<Session> find(String userId, String sessionId) {
        return db.read("reading session " + sessionId, c -> find(c, userId, sessionId));
    }

    private Optional<Session> find(Connection c, String userId, String sessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE user_id = ? AND id = ?")) {
            ps.setString(1, userId);
            ps.setString(2, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(session(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public Session update(Session next, long expectedVersion) {
        return db.write("updating session " + next.id(), c -> {
            String sql = "UPDATE sessions SET title = ?, model = ?, provider = ?, archived = ?, metadata = ?, version = ?,"
                    + " updated_at = " + dialect.greatest("updated_at", "?")
                    + " WHERE user_id = ? AND id = ? AND version = ? RETURNING " + COLUMNS;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, Codec.text(next.title()));
                Codec.setNullableText(ps, 2, next.model());
                Codec.setNullableText(ps, 3, next.provider());
                ps.setBoolean(4, next.archived());
                ps.setString(5, Codec.json(next.metadata()));
                ps.setLong(6, next.version());
                ps.setLong(7, Codec.millis(next.updatedAt()));
                ps.setString(8, next.userId());
                ps.setString(9, next.id());
                ps.setLong(10, expectedVersion);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return session(rs);
                    }
                }
            }
            Session current = find(c, next.userId(), next.id())
                    .orElseThrow(() -> Sessions.notFound(next.userId(), next.id()));
            throw new OptimisticConflictException("session", next.userId() + "/" + next.id(), expectedVersion,
                    current.version());
        });
    }

    @Override
    public boolean delete(String userId, String sessionId) {
        return db.write("deleting session " + sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE user_id = ? AND id = ?")) {
                ps.setString(1, userId);
                ps.setString(2, sessionId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Session> listById(String userId, String afterSessionId, int limit) {
        return db.read("listing sessions of user " + userId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE user_id = ?"
                    + " AND " + dialect.byCodePoint("id") + " > ? ORDER BY " + dialect.byCodePoint("id") + " LIMIT ?")) {
                ps.setString(1, userId);
                ps.setString(2, afterSessionId);
                ps.setInt(3, limit);
                return sessions(ps);
            }
        });
    }

    /** Newest first from the index {@code sessions_by_user_updated} (the default would sort all the user's sessions). */
    @Override
    public List<Session> list(String userId, int offset, int limit) {
        return db.read("listing sessions of user " + userId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE user_id = ?"
                    + " ORDER BY updated_at DESC, " + dialect.byCodePoint("id") + " LIMIT ? OFFSET ?")) {
                ps.setString(1, userId);
                ps.setInt(2, limit);
                ps.setInt(3, offset);
                return sessions(ps);
            }
        });
    }

    private List<Session> sessions(PreparedStatement ps) throws SQLException {
        List<Session> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(session(rs));
            }
        }
        return out;
    }

    @Override
    public long count(String userId) {
        return db.read("counting sessions of user " + userId, c -> count(c, userId));
    }

    /**
     * An upsert that never writes messageCount or lastMessageAt from the given session: a new session starts with
     * an empty log (0, none), a stored one keeps the counters of its log.
     */
    @Override
    public void restore(Session session) {
        try {
            db.write("restoring session " + session.id(), c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO sessions (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, id) DO UPDATE SET"
                        + " title = excluded.title, model = excluded.model, provider = excluded.provider,"
                        + " archived = excluded.archived, metadata = excluded.metadata,"
                        + " created_at = excluded.created_at, updated_at = excluded.updated_at,"
                        + " version = excluded.version")) {
                    bind(ps, new Session(session.id(), session.userId(), session.title(), session.model(),
                            session.provider(), session.archived(), session.metadata(), 0, Optional.empty(),
                            session.createdAt(), session.updatedAt(), session.version()));
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (NotFoundException e) {
            throw new NotFoundException("user", session.userId());
        }
    }
}
