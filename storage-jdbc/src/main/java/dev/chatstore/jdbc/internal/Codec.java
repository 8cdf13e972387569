package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Usage;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How values of the API become column values and back, identically for both dialects except costs
 * (PostgreSQL NUMERIC, SQLite exact decimal TEXT). A value that cannot be decoded is a
 * {@link StorageCorruptionException} naming the table and row, never a silent default.
 */
final class Codec {

    /** The message columns after the owner and seq, in the order {@link #bindMessage} binds them. */
    static final String MESSAGE_COLUMNS =
            "id, role, content, created_at, attachments, metadata, input_tokens, output_tokens, cost, currency, model, provider";

    private final Dialect dialect;
    private final String location;

    Codec(Dialect dialect, String location) {
        this.dialect = dialect;
        this.location = location;
    }

    static String text(String s) {
        return NulEscaping.encode(s);
    }

    static String untext(String s) {
        return NulEscaping.decode(s);
    }

    static long millis(Instant i) {
        return i.toEpochMilli();
    }

    static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }

    static String json(JsonObject o) {
        return o.toJson();
    }

    JsonObject json(String text, String table, String key) {
        if ("{}".equals(text)) {
            return JsonObject.empty(); // most messages' metadata: no parse on the read path
        }
        try {
            return JsonObject.parse(text);
        } catch (RuntimeException e) {
            throw corrupt(table, key, "unreadable JSON: " + e.getMessage(), e);
        }
    }

    static String jsonArray(List<String> values) {
        StringBuilder out = new StringBuilder();
        JsonCodec.writeValue(out, values);
        return out.toString();
    }

    List<String> stringArray(String text, String table, String key) {
        if ("[]".equals(text)) {
            return List.of(); // most messages' attachments
        }
        try {
            Object parsed = JsonCodec.parse(text);
            List<String> out = new ArrayList<>();
            for (Object o : (List<?>) parsed) {
                out.add((String) o);
            }
            return out;
        } catch (RuntimeException e) {
            throw corrupt(table, key, "unreadable JSON array: " + e.getMessage(), e);
        }
    }

    StorageCorruptionException corrupt(String table, String key, String problem, Throwable cause) {
        return new StorageCorruptionException(location + " table " + table + " row " + key, -1, problem, cause);
    }

    static void setNullableText(PreparedStatement ps, int i, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            ps.setString(i, text(value.get()));
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    static Optional<String> nullableText(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(untext(rs.getString(column)));
    }

    /** Binds the {@link #MESSAGE_COLUMNS} of {@code m} from index {@code i}; returns the next index. */
    int bindMessage(PreparedStatement ps, int i, Message m) throws SQLException {
        ps.setString(i++, m.id());
        ps.setString(i++, text(m.role()));
        ps.setString(i++, text(m.content()));
        ps.setLong(i++, millis(m.createdAt()));
        ps.setString(i++, jsonArray(m.attachments()));
        ps.setString(i++, json(m.metadata()));
        if (m.usage().isPresent()) {
            Usage u = m.usage().get();
            ps.setLong(i++, u.inputTokens());
            ps.setLong(i++, u.outputTokens());
            if (dialect == Dialect.POSTGRESQL) {
                ps.setBigDecimal(i++, u.cost());
            } else {
                ps.setString(i++, u.cost().toPlainString());
            }
            ps.setString(i++, u.currency());
        } else {
            ps.setNull(i++, Types.BIGINT);
            ps.setNull(i++, Types.BIGINT);
            ps.setNull(i++, dialect == Dialect.POSTGRESQL ? Types.NUMERIC : Types.VARCHAR);
            ps.setNull(i++, Types.VARCHAR);
        }
        setNullableText(ps, i++, m.model());
        setNullableText(ps, i++, m.provider());
        return i;
    }

    /** Reads a message from a row holding {@link #MESSAGE_COLUMNS} and {@code seq}. */
    Message message(ResultSet rs, String ownerId, String table) throws SQLException {
        String id = rs.getString("id");
        long seq = rs.getLong("seq");
        String key = ownerId + "/" + seq;
        Optional<Usage> usage = Optional.empty();
        String currency = rs.getString("currency");
        if (currency != null) {
            usage = Optional.of(new Usage(rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                    cost(rs, "cost", table, key), currency));
        }
        return new Message(id, ownerId, seq, untext(rs.getString("role")), untext(rs.getString("content")),
                instant(rs.getLong("created_at")), stringArray(rs.getString("attachments"), table, key),
                json(rs.getString("metadata"), table, key), usage, nullableText(rs, "model"),
                nullableText(rs, "provider"));
    }

    BigDecimal cost(ResultSet rs, String column, String table, String key) throws SQLException {
        BigDecimal raw;
        try {
            raw = dialect == Dialect.POSTGRESQL ? rs.getBigDecimal(column) : new BigDecimal(rs.getString(column));
        } catch (NumberFormatException | NullPointerException e) {
            throw corrupt(table, key, "unreadable cost '" + rs.getString(column) + "'", e);
        }
        return normaliseCost(raw);
    }

    static BigDecimal normaliseCost(BigDecimal raw) {
        if (raw.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal c = raw.stripTrailingZeros();
        return c.scale() < 0 ? c.setScale(0) : c; // the API's normal form: 10, not 1E+1
    }
}
