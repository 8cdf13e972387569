package dev.chatstore.mongo.internal;

import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.Usage;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.StoredCredential;
import dev.chatstore.api.spi.TextSearch;
import org.bson.Document;
import org.bson.types.Decimal128;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How each record is stored as a BSON document, in one place. Instants are BSON dates (the core truncates them to
 * milliseconds, which is what a date holds); costs are {@link Decimal128}; free-form JSON (metadata, profiles,
 * persona data, ...) is kept as its canonical JSON text, because BSON cannot hold every JSON object exactly (keys
 * with dots or a leading {@code $}, numbers of any precision), and the contract demands an exact round trip.
 */
public final class BsonMapping {

    private BsonMapping() {
    }

    // ---- keys ------------------------------------------------------------------------------------------------

    /** The {@code log} field of a log's messages: {@code s/<user>/<session>} or {@code p/<panel>}. */
    public static String logKey(LogRef ref) {
        if (ref instanceof LogRef.SessionLog s) {
            return "s/" + s.userId() + "/" + s.sessionId();
        }
        return "p/" + ((LogRef.PanelLog) ref).panelId();
    }

    /** A session document's {@code _id}. IDs never contain '/', so the pair is unambiguous. */
    public static String sessionKey(String userId, String sessionId) {
        return userId + "/" + sessionId;
    }

    public static String documentKey(String userId, String sessionId, String name) {
        return userId + "/" + sessionId + "/" + name;
    }

    public static String scopeKey(PersonaScope scope) {
        return scope.userId().map(u -> "user:" + u).orElse("global");
    }

    // ---- values ----------------------------------------------------------------------------------------------

    public static Date date(Instant instant) {
        return new Date(instant.toEpochMilli());
    }

    public static Instant instant(Document d, String field) {
        return d.getDate(field).toInstant();
    }

    static Optional<Instant> optionalInstant(Document d, String field) {
        Date date = d.getDate(field);
        return date == null ? Optional.empty() : Optional.of(date.toInstant());
    }

    static JsonObject json(Document d, String field) {
        String text = d.getString(field);
        return text == null ? JsonObject.empty() : JsonObject.parse(text);
    }

    static Optional<String> optionalString(Document d, String field) {
        return Optional.ofNullable(d.getString(field));
    }

    static long longValue(Document d, String field) {
        Object v = d.get(field);
        return v == null ? 0L : ((Number) v).longValue();
    }

    /** A cost as Decimal128 when it fits (34 significant digits), else as decimal text. */
    static Object cost(BigDecimal cost) {
        try {
            return new Decimal128(cost);
        } catch (NumberFormatException | ArithmeticException tooPrecise) {
            return cost.toPlainString();
        }
    }

    static BigDecimal cost(Object stored) {
        if (stored instanceof Decimal128 d) {
            return d.bigDecimalValue();
        }
        if (stored instanceof Number n) {
            return new BigDecimal(n.toString()); // a $sum over no Decimal128 values
        }
        return new BigDecimal(stored.toString());
    }

    // ---- records ---------------------------------------------------------------------------------------------

    public static Document user(User u) {
        return new Document("_id", u.id())
                .append("displayName", u.displayName())
                .append("profile", u.profile().toJson())
                .append("createdAt", date(u.createdAt()))
                .append("updatedAt", date(u.updatedAt()))
                .append("version", u.version());
    }

    public static User user(Document d) {
        return new User(d.getString("_id"), d.getString("displayName"), json(d, "profile"), instant(d, "createdAt"),
                instant(d, "updatedAt"), longValue(d, "version"));
    }

    /** The fields of a session the caller owns (everything but the log counters and the commit pointer). */
    public static Document sessionFields(Session s) {
        Document d = new Document("user", s.userId())
                .append("sid", s.id())
                .append("title", s.title())
                .append("archived", s.archived())
                .append("metadata", s.metadata().toJson())
                .append("createdAt", date(s.createdAt()))
                .append("updatedAt", date(s.updatedAt()))
                .append("version", s.version());
        s.model().ifPresent(m -> d.append("model", m));
        s.provider().ifPresent(p -> d.append("provider", p));
        return d;
    }

    public static Session session(Document d) {
        return new Session(d.getString("sid"), d.getString("user"), d.getString("title"), optionalString(d, "model"),
                optionalString(d, "provider"), d.getBoolean("archived", false), json(d, "metadata"),
                longValue(d, "lastSeq"), optionalInstant(d, "lastMessageAt"), instant(d, "createdAt"),
                instant(d, "updatedAt"), longValue(d, "version"));
    }

    /**
     * A message as stored. Session messages also carry {@code user} and {@code words} (the core tokenizer's words
     * of the content, every length, so any configured minimum is a subset) for the search index; {@code tok} is
     * the reservation token of the append that wrote it.
     */
    public static Document message(LogRef ref, String logKey, Message m, String token) {
        Document d = new Document("log", logKey)
                .append("seq", m.seq())
                .append("mid", m.id())
                .append("sid", m.sessionId())
                .append("role", m.role())
                .append("content", m.content())
                .append("createdAt", date(m.createdAt()))
                .append("attachments", m.attachments())
                .append("metadata", m.metadata().toJson())
                .append("tok", token);
        m.usage().ifPresent(u -> {
            Object cost = cost(u.cost());
            Document usage = new Document("in", u.inputTokens())
                    .append("out", u.outputTokens())
                    .append("cost", cost)
                    .append("currency", u.currency());
            if (cost instanceof String) {
                usage.append("costText", true); // summed on the client: the server cannot add it exactly
            }
            d.append("usage", usage);
        });
        m.model().ifPresent(v -> d.append("model", v));
        m.provider().ifPresent(v -> d.append("provider", v));
        if (ref instanceof LogRef.SessionLog s) {
            d.append("user", s.userId());
            d.append("words", TextSearch.words(m.content(), 1));
        }
        return d;
    }

    public static Message message(Document d) {
        Document u = d.get("usage", Document.class);
        Optional<Usage> usage = u == null ? Optional.empty() : Optional.of(new Usage(longValue(u, "in"),
                longValue(u, "out"), cost(u.get("cost")), u.getString("currency")));
        return new Message(d.getString("mid"), d.getString("sid"), longValue(d, "seq"), d.getString("role"),
                d.getString("content"), instant(d, "createdAt"), d.getList("attachments", String.class, List.of()),
                json(d, "metadata"), usage, optionalString(d, "model"), optionalString(d, "provider"));
    }

    public static Document panelFields(Panel p) {
        return new Document("type", p.type())
                .append("personas", p.personas())
                .append("config", p.config().toJson())
                .append("createdAt", date(p.createdAt()))
                .append("updatedAt", date(p.updatedAt()));
    }

    public static Panel panel(Document d) {
        return new Panel(d.getString("_id"), d.getString("type"), d.getList("personas", String.class, List.of()),
                json(d, "config"), instant(d, "createdAt"), instant(d, "updatedAt"));
    }

    public static Document insight(Insight i) {
        return new Document("_id", i.panelId() + "/" + i.id())
                .append("panel", i.panelId())
                .append("iid", i.id())
                .append("createdAt", date(i.createdAt()))
                .append("content", i.content().toJson());
    }

    public static Insight insight(Document d) {
        return new Insight(d.getString("iid"), d.getString("panel"), instant(d, "createdAt"), json(d, "content"));
    }

    public static Document persona(Persona p) {
        Document d = new Document("_id", scopeKey(p.scope()) + "/" + p.id())
                .append("scope", scopeKey(p.scope()))
                .append("pid", p.id())
                .append("data", p.data().toJson())
                .append("createdAt", date(p.createdAt()))
                .append("updatedAt", date(p.updatedAt()))
                .append("version", p.version());
        p.scope().userId().ifPresent(u -> d.append("user", u));
        return d;
    }

    public static Persona persona(Document d) {
        String user = d.getString("user");
        PersonaScope scope = user == null ? PersonaScope.global() : PersonaScope.user(user);
        return new Persona(d.getString("pid"), scope, json(d, "data"), instant(d, "createdAt"),
                instant(d, "updatedAt"), longValue(d, "version"));
    }

    public static Document credential(StoredCredential c) {
        return new Document("_id", c.userId() + "/" + c.provider())
                .append("user", c.userId())
                .append("provider", c.provider())
                .append("keyId", c.keyId())
                .append("nonce", c.nonce())
                .append("ciphertext", c.ciphertext())
                .append("createdAt", date(c.createdAt()))
                .append("updatedAt", date(c.updatedAt()));
    }

    public static StoredCredential credential(Document d) {
        return new StoredCredential(d.getString("user"), d.getString("provider"), d.getString("keyId"),
                d.getString("nonce"), d.getString("ciphertext"), instant(d, "createdAt"), instant(d, "updatedAt"));
    }

    /** A context; entities as a list of {name, values} pairs, since entity names may be any text. */
    public static Document context(SituationalContext c) {
        List<Document> entities = new ArrayList<>();
        c.entities().forEach((k, v) -> entities.add(new Document("name", k).append("values", v)));
        return new Document("summary", c.summary())
                .append("keyPoints", c.keyPoints())
                .append("entities", entities)
                .append("confidence", c.confidence())
                .append("capturedAt", date(c.capturedAt()));
    }

    public static SituationalContext context(Document d) {
        Map<String, List<String>> entities = new LinkedHashMap<>();
        for (Document e : d.getList("entities", Document.class, List.of())) {
            entities.put(e.getString("name"), e.getList("values", String.class, List.of()));
        }
        return new SituationalContext(d.getString("summary"), d.getList("keyPoints", String.class, List.of()),
                entities, ((Number) d.get("confidence")).doubleValue(), instant(d, "capturedAt"));
    }
}
