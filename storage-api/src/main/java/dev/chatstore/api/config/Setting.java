package dev.chatstore.api.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every configuration key Chatstore knows, with its default and its value rules. A key is written in lowercase
 * with dots between groups and hyphens between words ({@code limits.max-message-bytes}); as a system property it
 * takes the prefix {@code chatstore.}; as an environment variable it is upper-cased with {@code CHATSTORE_} in
 * front and dots and hyphens turned into underscores ({@code CHATSTORE_LIMITS_MAX_MESSAGE_BYTES}).
 */
public enum Setting {
    URL("url", Type.STRING, "file:./data", "where the data lives: file:, mem:, jdbc:sqlite:, jdbc:postgresql:, "
            + "mongodb:, mongodb+srv:, redis:, rediss:, redis-cluster:, migration:, dual-write:"),
    MAX_MESSAGE_BYTES("limits.max-message-bytes", Type.INT, "1048576", "largest message content, in UTF-8 bytes"),
    MAX_MESSAGES_PER_SESSION("limits.max-messages-per-session", Type.LONG, "100000", "messages a session or panel may hold"),
    MAX_SESSIONS_PER_USER("limits.max-sessions-per-user", Type.INT, "1000", "sessions a user may have"),
    MAX_DOCUMENT_BYTES("limits.max-document-bytes", Type.LONG, "104857600", "largest document, in bytes"),
    ALLOWED_DOCUMENT_EXTENSIONS("limits.allowed-document-extensions", Type.LIST,
            ".pdf,.txt,.md,.json,.csv,.png,.jpg,.jpeg", "document file extensions accepted (comma-separated; * for any)"),
    MAX_PERSONAS_PER_PANEL("limits.max-personas-per-panel", Type.INT, "10", "personas a panel may have"),
    MAX_CONTEXT_HISTORY("limits.max-context-history", Type.INT, "100", "context snapshots kept per session (older ones are pruned)"),
    MAX_CONTEXT_SUMMARY_LENGTH("limits.max-context-summary-length", Type.INT, "500", "longest context summary, in characters"),
    MAX_CONTEXT_KEY_POINTS("limits.max-context-key-points", Type.INT, "10", "key points a context may list"),
    MAX_JSON_BYTES("limits.max-json-bytes", Type.INT, "1048576", "largest JSON-valued field (profile, metadata, ...), in UTF-8 bytes"),
    MESSAGE_DEFAULT_LIMIT("paging.message-default-limit", Type.INT, "100", "page size when a message read names none"),
    SESSION_DEFAULT_LIMIT("paging.session-default-limit", Type.INT, "50", "page size when a session listing names none"),
    SEARCH_DEFAULT_LIMIT("paging.search-default-limit", Type.INT, "20", "results when a search names no limit"),
    MAX_PAGE_LIMIT("paging.max-limit", Type.INT, "10000", "largest page size a caller may ask for"),
    SEARCH_MIN_WORD_LENGTH("search.min-word-length", Type.INT, "3", "query and text words shorter than this are ignored"),
    INSIGHT_RETENTION_DAYS("panels.insight-retention-days", Type.INT, "90", "age after which panel insights are purged"),
    CREATE_IF_MISSING("store.create-if-missing", Type.BOOLEAN, "true",
            "create the store (directory, database file, schema) when the URL names none; false: fail with 'no Chatstore store at ...'"),
    READ_ONLY("store.read-only", Type.BOOLEAN, "false",
            "open for reading only: nothing is written, created, repaired or locked (writes fail)"),
    DURABILITY("durability", Type.ENUM, "sync", "when writes reach disk: sync, batch or none"),
    BATCH_INTERVAL_MILLIS("durability.batch-interval-millis", Type.INT, "200", "fsync interval in batch durability"),
    ENCRYPTION_KEYS("encryption.keys", Type.SECRET, "",
            "credential encryption keys: keyId:base64(32 bytes)[,keyId:base64...]; no default"),
    ENCRYPTION_ACTIVE_KEY("encryption.active-key-id", Type.STRING, "", "the key new credentials are encrypted with");

    /** The value kinds a setting can have. */
    public enum Type { STRING, INT, LONG, LIST, ENUM, SECRET, BOOLEAN }

    /** System-property prefix. */
    public static final String PROPERTY_PREFIX = "chatstore.";
    /** Environment-variable prefix. */
    public static final String ENV_PREFIX = "CHATSTORE_";
    /** Keys under this prefix are handed to the backend, which declares which it accepts. */
    public static final String BACKEND_PREFIX = "backend.";
    /** The meta keys that choose the profile and the properties file; they are not settings themselves. */
    public static final String PROFILE_KEY = "profile";
    public static final String CONFIG_FILE_KEY = "config";

    private static final Map<String, Setting> BY_KEY = new LinkedHashMap<>();

    static {
        for (Setting s : values()) {
            BY_KEY.put(s.key, s);
        }
    }

    private final String key;
    private final Type type;
    private final String defaultValue;
    private final String description;

    Setting(String key, Type type, String defaultValue, String description) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The system property that sets this key. */
    public String propertyName() {
        return PROPERTY_PREFIX + key;
    }

    /** The environment variable that sets this key. */
    public String environmentName() {
        return environmentName(key);
    }

    public static String environmentName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static Optional<Setting> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    public static List<Setting> all() {
        return Arrays.asList(values());
    }
}
