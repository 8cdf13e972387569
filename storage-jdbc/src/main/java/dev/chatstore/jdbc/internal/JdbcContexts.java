package dev.chatstore.jdbc.internal;

import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.spi.ContextRepository;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Situational contexts: the current one per session (upserted) and the pruned history of snapshots. */
final class JdbcContexts implements ContextRepository {

    private final Database db;
    private final Codec codec;

    JdbcContexts(Database db, Codec codec) {
        this.db = db;
        this.codec = codec;
    }

    @Override
    public void setCurrent(String userId, String sessionId, SituationalContext context) {
        db.write("setting the context of session " + sessionId, c -> {
            long sk = Sessions.key(c, userId, sessionId);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO session_contexts (session_sk, data) VALUES (?, ?)"
                    + " ON CONFLICT (session_sk) DO UPDATE SET data = excluded.data")) {
                ps.setLong(1, sk);
                ps.setString(2, encode(context));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<SituationalContext> current(String userId, String sessionId) {
        return db.read("reading the context of session " + sessionId, c -> {
            long sk = Sessions.key(c, userId, sessionId);
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM session_contexts WHERE session_sk = ?")) {
                ps.setLong(1, sk);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(decode(rs.getString(1), "session_contexts", sessionId)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void addSnapshot(String userId, String sessionId, SituationalContext snapshot, int keep) {
        db.write("saving a context snapshot of session " + sessionId, c -> {
            long sk = Sessions.key(c, userId, sessionId);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO context_snapshots (session_sk, captured_at, data) VALUES (?, ?, ?)")) {
                ps.setLong(1, sk);
                ps.setLong(2, Codec.millis(snapshot.capturedAt()));
                ps.setString(3, encode(snapshot));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM context_snapshots WHERE session_sk = ? AND sk NOT IN"
                    + " (SELECT sk FROM context_snapshots WHERE session_sk = ? ORDER BY captured_at DESC, sk DESC LIMIT ?)")) {
                ps.setLong(1, sk);
                ps.setLong(2, sk);
                ps.setInt(3, keep);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<SituationalContext> history(String userId, String sessionId, int limit) {
        return db.read("reading the context history of session " + sessionId, c -> {
            long sk = Sessions.key(c, userId, sessionId);
            try (PreparedStatement ps = c.prepareStatement("SELECT sk, data FROM context_snapshots WHERE session_sk = ?"
                    + " ORDER BY captured_at DESC, sk DESC LIMIT ?")) {
                ps.setLong(1, sk);
                ps.setInt(2, limit);
                List<SituationalContext> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(decode(rs.getString(2), "context_snapshots", String.valueOf(rs.getLong(1))));
                    }
                }
                return out;
            }
        });
    }

    /** JSON text; confidence as its exact decimal string, so the double round-trips bit for bit. */
    private static String encode(SituationalContext context) {
        Map<String, Object> entities = new LinkedHashMap<>(context.entities());
        return JsonObject.of("summary", context.summary(), "keyPoints", context.keyPoints(),
                "entities", JsonObject.from(entities), "confidence", Double.toString(context.confidence()),
                "capturedAt", Codec.millis(context.capturedAt())).toJson();
    }

    private SituationalContext decode(String text, String table, String key) {
        JsonObject o = codec.json(text, table, key);
        try {
            Map<String, List<String>> entities = new LinkedHashMap<>();
            o.getObject("entities").orElseThrow().members().forEach((k, v) -> entities.put(k, strings(v)));
            return new SituationalContext(o.getString("summary").orElseThrow(), strings(o.get("keyPoints").orElseThrow()),
                    entities, Double.parseDouble(o.getString("confidence").orElseThrow()),
                    Codec.instant(((Number) o.get("capturedAt").orElseThrow()).longValue()));
        } catch (RuntimeException e) {
            throw codec.corrupt(table, key, "not a situational context: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) value) {
            out.add((String) o);
        }
        return out;
    }
}
