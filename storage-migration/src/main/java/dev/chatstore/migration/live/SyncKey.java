package dev.chatstore.migration.live;

import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a repair re-copies: the smallest unit {@link StoreSync} brings from one store to another in one step. A key
 * names a record and everything that belongs to it, so copying the key again always yields the source's state:
 * <ul>
 *   <li>{@link User}: the user row, its credentials and its user-scoped personas (not its sessions);</li>
 *   <li>{@link Session}: the session row, its message log, documents and situational context;</li>
 *   <li>{@link Panel}: the panel row, its message log and insights;</li>
 *   <li>{@link GlobalPersonas}: every global persona;</li>
 *   <li>{@link AllPanels}: every panel (an insight purge cuts across panels).</li>
 * </ul>
 * Keys are what the repair journal stores and what a verify report's findings point at.
 */
public sealed interface SyncKey permits SyncKey.User, SyncKey.Session, SyncKey.Panel, SyncKey.GlobalPersonas,
        SyncKey.AllPanels {

    static SyncKey user(String userId) {
        return new User(userId);
    }

    static SyncKey session(String userId, String sessionId) {
        return new Session(userId, sessionId);
    }

    static SyncKey panel(String panelId) {
        return new Panel(panelId);
    }

    static SyncKey globalPersonas() {
        return GlobalPersonas.INSTANCE;
    }

    static SyncKey allPanels() {
        return AllPanels.INSTANCE;
    }

    /** This key as a JSON object, e.g. {@code {"kind":"session","userId":"u","sessionId":"s"}}. */
    JsonObject toJson();

    /**
     * The key a JSON object written by {@link #toJson()} describes.
     *
     * @throws ValidationException if it describes no key
     */
    static SyncKey fromJson(JsonObject json) {
        Object kind = json.members().get("kind");
        try {
            return switch (String.valueOf(kind)) {
                case "user" -> user(text(json, "userId"));
                case "session" -> session(text(json, "userId"), text(json, "sessionId"));
                case "panel" -> panel(text(json, "panelId"));
                case "global-personas" -> globalPersonas();
                case "all-panels" -> allPanels();
                default -> throw new ValidationException("key.kind", "unknown sync key kind '" + kind + "'");
            };
        } catch (ClassCastException e) {
            throw new ValidationException("key", "malformed sync key " + json);
        }
    }

    private static String text(JsonObject json, String field) {
        Object v = json.members().get(field);
        if (!(v instanceof String s)) {
            throw new ValidationException("key." + field, "missing in sync key " + json);
        }
        return s;
    }

    private static JsonObject json(String kind, String... fieldsAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            m.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return JsonObject.from(m);
    }

    /** A user row with its credentials and user-scoped personas. */
    record User(String userId) implements SyncKey {
        public User {
            Objects.requireNonNull(userId, "userId");
        }

        @Override
        public JsonObject toJson() {
            return json("user", "userId", userId);
        }
    }

    /** A session with its log, documents and context. */
    record Session(String userId, String sessionId) implements SyncKey {
        public Session {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(sessionId, "sessionId");
        }

        @Override
        public JsonObject toJson() {
            return json("session", "userId", userId, "sessionId", sessionId);
        }
    }

    /** A panel with its log and insights. */
    record Panel(String panelId) implements SyncKey {
        public Panel {
            Objects.requireNonNull(panelId, "panelId");
        }

        @Override
        public JsonObject toJson() {
            return json("panel", "panelId", panelId);
        }
    }

    /** Every global persona. */
    enum GlobalPersonas implements SyncKey {
        INSTANCE;

        @Override
        public JsonObject toJson() {
            return json("global-personas");
        }
    }

    /** Every panel. */
    enum AllPanels implements SyncKey {
        INSTANCE;

        @Override
        public JsonObject toJson() {
            return json("all-panels");
        }
    }
}
