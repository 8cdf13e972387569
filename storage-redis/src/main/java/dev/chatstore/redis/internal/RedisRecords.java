package dev.chatstore.redis.internal;

import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.Usage;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.StoredCredential;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How each record is laid out in Redis: one hash field per attribute (nested values as compact JSON, instants as
 * ISO-8601 text, plus an {@code ...Ms} copy where a script compares or scores by time); stream entries of
 * messages use the same field names. The single mapping for this backend; the README lists the fields.
 */
final class RedisRecords {

    private RedisRecords() {
    }

    // ---- users ---------------------------------------------------------------------------------------------

    static List<String> user(User u) {
        return List.of("id", u.id(), "displayName", u.displayName(), "profile", u.profile().toJson(),
                "createdAt", u.createdAt().toString(), "updatedAt", u.updatedAt().toString(),
                "version", Long.toString(u.version()));
    }

    static User user(Map<String, String> h) {
        return new User(h.get("id"), h.get("displayName"), json(h, "profile"), instant(h, "createdAt"),
                instant(h, "updatedAt"), Long.parseLong(h.get("version")));
    }

    // ---- sessions ------------------------------------------------------------------------------------------

    /** The session's fields, without messageCount and lastMessageAt (which only the log's scripts write). */
    static List<String> session(Session s) {
        List<String> f = new ArrayList<>(List.of("id", s.id(), "userId", s.userId(), "title", s.title(),
                "archived", Boolean.toString(s.archived()), "metadata", s.metadata().toJson(),
                "createdAt", s.createdAt().toString(), "updatedAt", s.updatedAt().toString(),
                "updatedAtMs", Long.toString(s.updatedAt().toEpochMilli()), "version", Long.toString(s.version())));
        s.model().ifPresent(v -> f.addAll(List.of("model", v)));
        s.provider().ifPresent(v -> f.addAll(List.of("provider", v)));
        return f;
    }

    static Session session(Map<String, String> h) {
        return new Session(h.get("id"), h.get("userId"), h.get("title"), Optional.ofNullable(h.get("model")),
                Optional.ofNullable(h.get("provider")), Boolean.parseBoolean(h.get("archived")), json(h, "metadata"),
                Long.parseLong(h.getOrDefault("messageCount", "0")),
                Optional.ofNullable(h.get("lastMessageAt")).map(Instant::parse), instant(h, "createdAt"),
                instant(h, "updatedAt"), Long.parseLong(h.get("version")));
    }

    // ---- messages ------------------------------------------------------------------------------------------

    /** A message's stream entry fields; {@code words} (space-separated) is added for session logs only. */
    static List<String> message(Message m, Optional<String> words) {
        List<String> f = new ArrayList<>(List.of("id", m.id(), "role", m.role(), "content", m.content(),
                "createdAt", m.createdAt().toString(), "attachments", jsonArray(m.attachments()),
                "metadata", m.metadata().toJson()));
        m.usage().ifPresent(u -> f.addAll(List.of("inputTokens", Long.toString(u.inputTokens()),
                "outputTokens", Long.toString(u.outputTokens()), "cost", u.cost().toPlainString(),
                "currency", u.currency())));
        m.model().ifPresent(v -> f.addAll(List.of("model", v)));
        m.provider().ifPresent(v -> f.addAll(List.of("provider", v)));
        words.ifPresent(w -> f.addAll(List.of("w", w)));
        return f;
    }

    static Message message(String logId, long seq, Map<String, String> h) {
        Optional<Usage> usage = h.containsKey("inputTokens")
                ? Optional.of(new Usage(Long.parseLong(h.get("inputTokens")), Long.parseLong(h.get("outputTokens")),
                new BigDecimal(h.get("cost")), h.get("currency")))
                : Optional.empty();
        return new Message(h.get("id"), logId, seq, h.get("role"), h.get("content"), instant(h, "createdAt"),
                strings(JsonCodec.parse(h.get("attachments"))), json(h, "metadata"), usage,
                Optional.ofNullable(h.get("model")), Optional.ofNullable(h.get("provider")));
    }

    // ---- documents -----------------------------------------------------------------------------------------

    /** The metadata fields a script returns for a document, in this order. */
    static final List<String> DOCUMENT_FIELDS = List.of("name", "mimeType", "size", "sha256", "uploadedAt",
            "analysis", "metadata");

    static List<Object> document(Document d, byte[] content) {
        return List.of("name", d.name(), "mimeType", d.mimeType(), "size", Long.toString(d.size()),
                "sha256", d.sha256(), "uploadedAt", d.uploadedAt().toString(), "analysis", d.analysis().toJson(),
                "metadata", d.metadata().toJson(), "content", content);
    }

    /** A document from the values of {@link #DOCUMENT_FIELDS}. */
    static Document document(String sessionId, List<?> values) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < DOCUMENT_FIELDS.size(); i++) {
            h.put(DOCUMENT_FIELDS.get(i), RedisAccess.text(values.get(i)));
        }
        return new Document(sessionId, h.get("name"), h.get("mimeType"), Long.parseLong(h.get("size")),
                h.get("sha256"), instant(h, "uploadedAt"), json(h, "analysis"), json(h, "metadata"));
    }

    // ---- contexts ------------------------------------------------------------------------------------------

    static String context(SituationalContext c) {
        return JsonObject.of("summary", c.summary(), "keyPoints", c.keyPoints(), "entities", c.entities(),
                "confidence", Double.toString(c.confidence()), "capturedAt", c.capturedAt().toString()).toJson();
    }

    static SituationalContext context(String json) {
        JsonObject o = JsonObject.parse(json);
        Map<String, List<String>> entities = new LinkedHashMap<>();
        o.getObject("entities").orElseThrow().members().forEach((k, v) -> entities.put(k, strings(v)));
        return new SituationalContext(o.getString("summary").orElseThrow(),
                strings(o.get("keyPoints").orElseThrow()), entities,
                Double.parseDouble(o.getString("confidence").orElseThrow()),
                Instant.parse(o.getString("capturedAt").orElseThrow()));
    }

    // ---- personas ------------------------------------------------------------------------------------------

    static List<String> persona(Persona p) {
        List<String> f = new ArrayList<>(List.of("id", p.id(), "data", p.data().toJson(),
                "createdAt", p.createdAt().toString(), "updatedAt", p.updatedAt().toString(),
                "version", Long.toString(p.version())));
        p.scope().userId().ifPresent(u -> f.addAll(List.of("userId", u)));
        return f;
    }

    static Persona persona(Map<String, String> h) {
        PersonaScope scope = h.containsKey("userId") ? PersonaScope.user(h.get("userId")) : PersonaScope.global();
        return new Persona(h.get("id"), scope, json(h, "data"), instant(h, "createdAt"), instant(h, "updatedAt"),
                Long.parseLong(h.get("version")));
    }

    // ---- credentials ---------------------------------------------------------------------------------------

    static String credential(StoredCredential c) {
        return JsonObject.of("keyId", c.keyId(), "nonce", c.nonce(), "ciphertext", c.ciphertext(),
                "createdAt", c.createdAt().toString(), "updatedAt", c.updatedAt().toString()).toJson();
    }

    static StoredCredential credential(String userId, String provider, String json) {
        JsonObject o = JsonObject.parse(json);
        return new StoredCredential(userId, provider, o.getString("keyId").orElseThrow(),
                o.getString("nonce").orElseThrow(), o.getString("ciphertext").orElseThrow(),
                Instant.parse(o.getString("createdAt").orElseThrow()),
                Instant.parse(o.getString("updatedAt").orElseThrow()));
    }

    // ---- panels --------------------------------------------------------------------------------------------

    static List<String> panel(Panel p) {
        return List.of("id", p.id(), "type", p.type(), "personas", jsonArray(p.personas()),
                "config", p.config().toJson(), "createdAt", p.createdAt().toString(),
                "updatedAt", p.updatedAt().toString(), "updatedAtMs", Long.toString(p.updatedAt().toEpochMilli()));
    }

    static Panel panel(Map<String, String> h) {
        return new Panel(h.get("id"), h.get("type"), strings(JsonCodec.parse(h.get("personas"))), json(h, "config"),
                instant(h, "createdAt"), instant(h, "updatedAt"));
    }

    /** An insight's stored value: createdAt, a space, then the content JSON (kept whole, not nested deeper). */
    static String insight(Insight i) {
        return i.createdAt().toString() + " " + i.content().toJson();
    }

    static Insight insight(String panelId, String id, String stored) {
        int space = stored.indexOf(' ');
        return new Insight(id, panelId, Instant.parse(stored.substring(0, space)),
                JsonObject.parse(stored.substring(space + 1)));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static String jsonArray(List<String> values) {
        StringBuilder sb = new StringBuilder();
        JsonCodec.writeValue(sb, JsonObject.normaliseValue(values));
        return sb.toString();
    }

    private static List<String> strings(Object parsed) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) parsed) {
            out.add((String) o);
        }
        return out;
    }

    private static JsonObject json(Map<String, String> h, String field) {
        String text = h.get(field);
        if (text == null) {
            throw new StorageCorruptionException("redis hash " + h.get("id"), -1, "field " + field + " is missing");
        }
        return JsonObject.parse(text);
    }

    private static Instant instant(Map<String, String> h, String field) {
        String text = h.get(field);
        if (text == null) {
            throw new StorageCorruptionException("redis hash " + h.get("id"), -1, "field " + field + " is missing");
        }
        return Instant.parse(text);
    }
}
