package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.NotFoundException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/** Resolving a user's session ID to the surrogate key its messages, documents and contexts refer to. */
final class Sessions {

    private Sessions() {
    }

    static OptionalLong findKey(Connection c, String userId, String sessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sk FROM sessions WHERE user_id = ? AND id = ?")) {
            ps.setString(1, userId);
            ps.setString(2, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** @throws NotFoundException if the user has no such session */
    static long key(Connection c, String userId, String sessionId) throws SQLException {
        return findKey(c, userId, sessionId).orElseThrow(() -> notFound(userId, sessionId));
    }

    static NotFoundException notFound(String userId, String sessionId) {
        return new NotFoundException("session", userId + "/" + sessionId);
    }
}
