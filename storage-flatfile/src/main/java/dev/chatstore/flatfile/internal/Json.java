package dev.chatstore.flatfile.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.Usage;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.StoredCredential;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shapes of the store's files (see FORMAT.md), written and read with Jackson. Anything that does not
 * parse, or lacks a field, is a {@link StorageCorruptionException} naming the file and offset: a damaged file is
 * never read as "empty".
 */
public final class Json {

    static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .nodeFactory(NODES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {
    }

    /** A record that parsed as JSON but does not have the expected shape. */
    static final class BadRecord extends RuntimeException {
        BadRecord(String message) {
            super(message);
        }
    }

    // ---- files ---------------------------------------------------------------------------------------------

    /** Reads a JSON object file; empty if it does not exist. */
    public static Optional<ObjectNode> readFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", file, e);
        }
        return Optional.of(parseObject(bytes, 0, bytes.length, file.toString(), 0));
    }

    /** Parses one JSON object from a byte range; {@code baseOffset} is the range's offset in its file. */
    static ObjectNode parseObject(byte[] bytes, int off, int len, String location, long baseOffset) {
        try {
            JsonNode node = MAPPER.readTree(bytes, off, len);
            if (node == null || !node.isObject()) {
                throw new StorageCorruptionException(location, baseOffset, "not a JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            throw new StorageCorruptionException(location, at < 0 ? baseOffset : baseOffset + at,
                    "invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new StorageCorruptionException(location, baseOffset, "unreadable JSON: " + e.getMessage(), e);
        }
    }

    /** Pretty-printed bytes of a JSON file, ending with a newline. */
    static byte[] pretty(ObjectNode node) {
        try {
            byte[] body = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
            byte[] out = new byte[body.length + 1];
            System.arraycopy(body, 0, out, 0, body.length);
            out[body.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] compact(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Converts a shape error into corruption of the given place. */
    static <T> T decode(String location, long offset, java.util.function.Supplier<T> decoder) {
        try {
            return decoder.get();
        } catch (BadRecord | DateTimeParseException | IllegalArgumentException | NullPointerException
                 | ClassCastException e) {
            throw new StorageCorruptionException(location, offset, "unexpected content: " + e.getMessage(), e);
        }
    }

    // ---- field helpers -------------------------------------------------------------------------------------

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static JsonNode req(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            throw new BadRecord("missing field '" + field + "'");
        }
        return v;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = req(node, field);
        if (!v.isTextual()) {
            throw new BadRecord("field '" + field + "' is not a string");
        }
        return v.textValue();
    }

    static long longValue(JsonNode node, String field) {
        JsonNode v = req(node, field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new BadRecord("field '" + field + "' is not an integer");
        }
        return v.longValue();
    }

    static long longValue(JsonNode node, String field, long dflt) {
        return node.has(field) ? longValue(node, field) : dflt;
    }

    static boolean bool(JsonNode node, String field) {
        JsonNode v = req(node, field);
        if (!v.isBoolean()) {
            throw new BadRecord("field '" + field + "' is not a boolean");
        }
        return v.booleanValue();
    }

    static Instant instant(JsonNode node, String field) {
        return Instant.parse(text(node, field));
    }

    static Optional<Instant> optInstant(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(Instant.parse(v.asText()));
    }

    static Optional<String> optText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new BadRecord("field '" + field + "' is not a string");
        }
        return Optional.of(v.textValue());
    }

    static List<String> textList(JsonNode node, String field) {
        JsonNode v = req(node, field);
        if (!v.isArray()) {
            throw new BadRecord("field '" + field + "' is not an array");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new BadRecord("field '" + field + "' holds a non-string");
            }
            out.add(e.textValue());
        }
        return out;
    }

    static ArrayNode array(List<String> values) {
        ArrayNode a = NODES.arrayNode(values.size());
        values.forEach(a::add);
        return a;
    }

    static void putOpt(ObjectNode n, String field, Optional<String> value) {
        if (value.isPresent()) {
            n.put(field, value.get());
        } else {
            n.putNull(field);
        }
    }

    // ---- JsonObject <-> tree -------------------------------------------------------------------------------

    static ObjectNode toNode(JsonObject obj) {
        ObjectNode n = NODES.objectNode();
        obj.members().forEach((k, v) -> n.set(k, valueNode(v)));
        return n;
    }

    private static JsonNode valueNode(Object v) {
        if (v == null) {
            return NODES.nullNode();
        } else if (v instanceof String s) {
            return NODES.textNode(s);
        } else if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        } else if (v instanceof Long l) {
            return NODES.numberNode(l);
        } else if (v instanceof BigDecimal d) {
            return NODES.numberNode(d);
        } else if (v instanceof BigInteger i) {
            return NODES.numberNode(i);
        } else if (v instanceof Number num) {
            return NODES.numberNode(new BigDecimal(num.toString()));
        } else if (v instanceof JsonObject o) {
            return toNode(o);
        } else if (v instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode(list.size());
            list.forEach(e -> a.add(valueNode(e)));
            return a;
        }
        throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }

    static JsonObject jsonObject(JsonNode node, String field) {
        JsonNode v = req(node, field);
        if (!v.isObject()) {
            throw new BadRecord("field '" + field + "' is not an object");
        }
        return toJsonObject(v);
    }

    static JsonObject toJsonObject(JsonNode v) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), plain(e.getValue()));
        }
        return JsonObject.from(m);
    }

    private static Object plain(JsonNode v) {
        if (v.isNull()) {
            return null;
        } else if (v.isTextual()) {
            return v.textValue();
        } else if (v.isBoolean()) {
            return v.booleanValue();
        } else if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue();
        } else if (v.isNumber()) {
            return v.decimalValue();
        } else if (v.isObject()) {
            return toJsonObject(v);
        } else if (v.isArray()) {
            List<Object> list = new ArrayList<>(v.size());
            v.forEach(e -> list.add(plain(e)));
            return list;
        }
        throw new BadRecord("unsupported JSON node " + v.getNodeType());
    }

    // ---- entities ------------------------------------------------------------------------------------------

    static ObjectNode user(User u) {
        ObjectNode n = object();
        n.put("id", u.id());
        n.put("displayName", u.displayName());
        n.set("profile", toNode(u.profile()));
        n.put("createdAt", u.createdAt().toString());
        n.put("updatedAt", u.updatedAt().toString());
        n.put("version", u.version());
        return n;
    }

    static User user(JsonNode n) {
        return new User(text(n, "id"), text(n, "displayName"), jsonObject(n, "profile"), instant(n, "createdAt"),
                instant(n, "updatedAt"), longValue(n, "version"));
    }

    /** A session as session.json holds it, without {@code countersAtSeq}. */
    static ObjectNode session(dev.chatstore.api.model.Session s) {
        ObjectNode n = object();
        n.put("id", s.id());
        n.put("userId", s.userId());
        n.put("title", s.title());
        putOpt(n, "model", s.model());
        putOpt(n, "provider", s.provider());
        n.put("archived", s.archived());
        n.set("metadata", toNode(s.metadata()));
        n.put("messageCount", s.messageCount());
        putOpt(n, "lastMessageAt", s.lastMessageAt().map(Instant::toString));
        n.put("createdAt", s.createdAt().toString());
        n.put("updatedAt", s.updatedAt().toString());
        n.put("version", s.version());
        return n;
    }

    static dev.chatstore.api.model.Session session(JsonNode n) {
        return new dev.chatstore.api.model.Session(text(n, "id"), text(n, "userId"), text(n, "title"),
                optText(n, "model"), optText(n, "provider"), bool(n, "archived"), jsonObject(n, "metadata"),
                longValue(n, "messageCount"), optInstant(n, "lastMessageAt"), instant(n, "createdAt"),
                instant(n, "updatedAt"), longValue(n, "version"));
    }

    static ObjectNode message(Message m) {
        ObjectNode n = object();
        n.put("seq", m.seq());
        n.put("id", m.id());
        n.put("sessionId", m.sessionId());
        n.put("role", m.role());
        n.put("createdAt", m.createdAt().toString());
        n.put("content", m.content());
        n.set("attachments", array(m.attachments()));
        n.set("metadata", toNode(m.metadata()));
        if (m.usage().isPresent()) {
            Usage u = m.usage().get();
            ObjectNode un = n.putObject("usage");
            un.put("inputTokens", u.inputTokens());
            un.put("outputTokens", u.outputTokens());
            un.put("cost", u.cost());
            un.put("currency", u.currency());
        } else {
            n.putNull("usage");
        }
        putOpt(n, "model", m.model());
        putOpt(n, "provider", m.provider());
        return n;
    }

    static Message message(JsonNode n) {
        JsonNode un = req(n, "usage");
        Optional<Usage> usage = Optional.empty();
        if (!un.isNull()) {
            JsonNode cost = req(un, "cost");
            if (!cost.isNumber()) {
                throw new BadRecord("usage.cost is not a number");
            }
            usage = Optional.of(new Usage(longValue(un, "inputTokens"), longValue(un, "outputTokens"),
                    cost.decimalValue(), text(un, "currency")));
        }
        return new Message(text(n, "id"), text(n, "sessionId"), longValue(n, "seq"), text(n, "role"),
                text(n, "content"), instant(n, "createdAt"), textList(n, "attachments"), jsonObject(n, "metadata"),
                usage, optText(n, "model"), optText(n, "provider"));
    }

    static ObjectNode panel(Panel p, long countersAtSeq) {
        ObjectNode n = object();
        n.put("id", p.id());
        n.put("type", p.type());
        n.set("personas", array(p.personas()));
        n.set("config", toNode(p.config()));
        n.put("createdAt", p.createdAt().toString());
        n.put("updatedAt", p.updatedAt().toString());
        n.put("countersAtSeq", countersAtSeq);
        return n;
    }

    static Panel panel(JsonNode n) {
        return new Panel(text(n, "id"), text(n, "type"), textList(n, "personas"), jsonObject(n, "config"),
                instant(n, "createdAt"), instant(n, "updatedAt"));
    }

    static ObjectNode persona(Persona p) {
        ObjectNode n = object();
        n.put("id", p.id());
        putOpt(n, "userId", p.scope().userId());
        n.set("data", toNode(p.data()));
        n.put("createdAt", p.createdAt().toString());
        n.put("updatedAt", p.updatedAt().toString());
        n.put("version", p.version());
        return n;
    }

    static Persona persona(JsonNode n) {
        Optional<String> user = optText(n, "userId");
        return new Persona(text(n, "id"), user.map(PersonaScope::user).orElse(PersonaScope.global()),
                jsonObject(n, "data"), instant(n, "createdAt"), instant(n, "updatedAt"), longValue(n, "version"));
    }

    static ObjectNode credential(StoredCredential c) {
        ObjectNode n = object();
        n.put("userId", c.userId());
        n.put("provider", c.provider());
        n.put("keyId", c.keyId());
        n.put("nonce", c.nonce());
        n.put("ciphertext", c.ciphertext());
        n.put("createdAt", c.createdAt().toString());
        n.put("updatedAt", c.updatedAt().toString());
        return n;
    }

    static StoredCredential credential(JsonNode n) {
        return new StoredCredential(text(n, "userId"), text(n, "provider"), text(n, "keyId"), text(n, "nonce"),
                text(n, "ciphertext"), instant(n, "createdAt"), instant(n, "updatedAt"));
    }

    static ObjectNode insight(Insight i) {
        ObjectNode n = object();
        n.put("id", i.id());
        n.put("panelId", i.panelId());
        n.put("createdAt", i.createdAt().toString());
        n.set("content", toNode(i.content()));
        return n;
    }

    static Insight insight(JsonNode n) {
        return new Insight(text(n, "id"), text(n, "panelId"), instant(n, "createdAt"), jsonObject(n, "content"));
    }

    static ObjectNode context(SituationalContext c) {
        ObjectNode n = object();
        n.put("summary", c.summary());
        n.set("keyPoints", array(c.keyPoints()));
        ObjectNode e = n.putObject("entities");
        c.entities().forEach((k, v) -> e.set(k, array(v)));
        n.put("confidence", BigDecimal.valueOf(c.confidence()));
        n.put("capturedAt", c.capturedAt().toString());
        return n;
    }

    static SituationalContext context(JsonNode n) {
        JsonNode e = req(n, "entities");
        if (!e.isObject()) {
            throw new BadRecord("entities is not an object");
        }
        Map<String, List<String>> entities = new LinkedHashMap<>();
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            entities.put(k, textList(e, k));
        }
        JsonNode conf = req(n, "confidence");
        if (!conf.isNumber()) {
            throw new BadRecord("confidence is not a number");
        }
        return new SituationalContext(text(n, "summary"), textList(n, "keyPoints"), entities, conf.doubleValue(),
                instant(n, "capturedAt"));
    }
}
