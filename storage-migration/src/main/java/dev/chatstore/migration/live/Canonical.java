package dev.chatstore.migration.live;

import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.Orderings;
import dev.chatstore.api.spi.StoredCredential;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The canonical form verify compares and hashes: each record as a JSON object of its fields, members sorted by code
 * point at every level, timestamps as ISO-8601, numbers as {@link JsonObject} normalises them. Two records are equal
 * exactly when their canonical texts are; the names of the members that differ are the fields a finding reports.
 */
final class Canonical {

    private Canonical() {
    }

    static Map<String, Object> user(User u) {
        return fields("id", u.id(), "displayName", u.displayName(), "profile", u.profile(),
                "createdAt", u.createdAt().toString(), "updatedAt", u.updatedAt().toString(), "version", u.version());
    }

    /** A session row; the counters are left out (they describe the log, which is compared by itself). */
    static Map<String, Object> session(Session s) {
        return fields("id", s.id(), "userId", s.userId(), "title", s.title(), "model", s.model().orElse(null),
                "provider", s.provider().orElse(null), "archived", s.archived(), "metadata", s.metadata(),
                "createdAt", s.createdAt().toString(), "updatedAt", s.updatedAt().toString(), "version", s.version());
    }

    static Map<String, Object> message(Message m) {
        return fields("id", m.id(), "sessionId", m.sessionId(), "seq", m.seq(), "role", m.role(),
                "content", m.content(), "createdAt", m.createdAt().toString(), "attachments", m.attachments(),
                "metadata", m.metadata(),
                "usage", m.usage().map(u -> (Object) fields("inputTokens", u.inputTokens(),
                        "outputTokens", u.outputTokens(), "cost", u.cost(), "currency", u.currency())).orElse(null),
                "model", m.model().orElse(null), "provider", m.provider().orElse(null));
    }

    /**
     * The canonical text of a message without building a map: the fields in a fixed order, JSON objects with sorted
     * members. Used for log digests, where it runs once per message per side.
     */
    static void messageText(StringBuilder out, Message m) {
        out.append('[');
        JsonCodec.writeString(out, m.id());
        out.append(',');
        JsonCodec.writeString(out, m.sessionId());
        out.append(',').append(m.seq()).append(',');
        JsonCodec.writeString(out, m.role());
        out.append(',');
        JsonCodec.writeString(out, m.content());
        out.append(',');
        JsonCodec.writeString(out, m.createdAt().toString());
        out.append(',');
        write(out, m.attachments());
        out.append(',');
        write(out, m.metadata());
        out.append(',');
        if (m.usage().isPresent()) {
            var u = m.usage().get();
            out.append('[').append(u.inputTokens()).append(',').append(u.outputTokens()).append(',')
                    .append(u.cost().toPlainString()).append(',');
            JsonCodec.writeString(out, u.currency());
            out.append(']');
        } else {
            out.append("null");
        }
        out.append(',');
        write(out, m.model().orElse(null));
        out.append(',');
        write(out, m.provider().orElse(null));
        out.append("]\n");
    }

    static Map<String, Object> document(Document d) {
        return fields("sessionId", d.sessionId(), "name", d.name(), "mimeType", d.mimeType(), "size", d.size(),
                "sha256", d.sha256(), "uploadedAt", d.uploadedAt().toString(), "analysis", d.analysis(),
                "metadata", d.metadata());
    }

    static Map<String, Object> context(SituationalContext c) {
        Map<String, Object> entities = new TreeMap<>(Orderings.CODE_POINTS);
        entities.putAll(c.entities());
        return fields("summary", c.summary(), "keyPoints", c.keyPoints(), "entities", entities,
                "confidence", Double.toString(c.confidence()), "capturedAt", c.capturedAt().toString());
    }

    static Map<String, Object> panel(Panel p) {
        return fields("id", p.id(), "type", p.type(), "personas", p.personas(), "config", p.config(),
                "createdAt", p.createdAt().toString(), "updatedAt", p.updatedAt().toString());
    }

    static Map<String, Object> insight(Insight i) {
        return fields("id", i.id(), "panelId", i.panelId(), "createdAt", i.createdAt().toString(),
                "content", i.content());
    }

    static Map<String, Object> persona(Persona p) {
        return fields("id", p.id(), "scope", p.scope().toString(), "data", p.data(),
                "createdAt", p.createdAt().toString(), "updatedAt", p.updatedAt().toString(), "version", p.version());
    }

    /** A credential as stored: encrypted fields only, compared exactly. */
    static Map<String, Object> credential(StoredCredential c) {
        return fields("userId", c.userId(), "provider", c.provider(), "keyId", c.keyId(), "nonce", c.nonce(),
                "ciphertext", c.ciphertext(), "createdAt", c.createdAt().toString(),
                "updatedAt", c.updatedAt().toString());
    }

    /** The canonical text: compact JSON, members sorted by code point at every level. */
    static String text(Map<String, Object> fields) {
        StringBuilder out = new StringBuilder(128);
        write(out, fields);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value instanceof JsonObject o) {
            write(out, o.members());
        } else if (value instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>(map.size());
            map.keySet().forEach(k -> keys.add((String) k));
            keys.sort(Orderings.CODE_POINTS);
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                JsonCodec.writeString(out, keys.get(i));
                out.append(':');
                write(out, map.get(keys.get(i)));
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        } else {
            JsonCodec.writeValue(out, value);
        }
    }

    /** Names of the fields whose values differ, in code point order. */
    static List<String> differingFields(Map<String, Object> a, Map<String, Object> b) {
        TreeMap<String, Boolean> names = new TreeMap<>(Orderings.CODE_POINTS);
        a.keySet().forEach(k -> names.put(k, true));
        b.keySet().forEach(k -> names.put(k, true));
        List<String> out = new ArrayList<>();
        for (String k : names.keySet()) {
            if (!Objects.equals(text(single(a.get(k))), text(single(b.get(k))))) {
                out.add(k);
            }
        }
        return out;
    }

    static String sha256(String text) {
        MessageDigest digest = newDigest();
        return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static Map<String, Object> single(Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", value);
        return m;
    }

    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }
}
