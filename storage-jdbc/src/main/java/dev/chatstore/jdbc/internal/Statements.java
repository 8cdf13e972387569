package dev.chatstore.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prepared statements of one unit of hot-path work (appends).
 *
 * <p>On SQLite they are cached for the life of the single writer connection: the driver has no statement
 * cache, and compiling the same three statements on every append cost more than executing them. On
 * PostgreSQL they are prepared per call and closed at its end: pgjdbc already keeps server-side prepared
 * statements per connection, keyed by SQL.
 */
final class Statements {

    /** Work done with the statements of one call. */
    @FunctionalInterface
    interface Work<T> {
        T run(Statements statements) throws SQLException;
    }

    private final Connection connection;
    private final boolean cached;
    private final Map<String, PreparedStatement> bySql = new HashMap<>();
    private final List<PreparedStatement> opened = new ArrayList<>();

    private Statements(Connection connection, boolean cached) {
        this.connection = connection;
        this.cached = cached;
    }

    /** Statements kept until {@link #closeAll()} (when the connection they belong to goes away). */
    static Statements cachedOn(Connection physical) {
        return new Statements(physical, true);
    }

    /** Statements closed by {@link #release()} at the end of the call. */
    static Statements perCall(Connection connection) {
        return new Statements(connection, false);
    }

    Connection connection() {
        return connection;
    }

    boolean belongsTo(Connection physical) {
        return connection == physical;
    }

    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = bySql.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            bySql.put(sql, ps);
            opened.add(ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    /** Ends a call: per-call statements are closed, cached ones stay. */
    void release() {
        if (!cached) {
            closeAll();
        }
    }

    void closeAll() {
        for (PreparedStatement ps : opened) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the connection is being discarded or the call has ended; nothing to recover
            }
        }
        opened.clear();
        bySql.clear();
    }
}
