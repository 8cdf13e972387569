package dev.chatstore.api.config;

import dev.chatstore.api.error.StorageConfigurationException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The validated, immutable configuration of a {@code ChatStore}: the storage URL, limits, paging defaults,
 * search settings, panel settings, durability, credential encryption keys and backend options.
 *
 * <p>Values are resolved with this precedence, highest first: code (the {@link Builder}) &gt; system property
 * {@code chatstore.<key>} &gt; environment variable {@code CHATSTORE_<KEY>} &gt; properties file &gt; profile
 * &gt; built-in defaults. The profile ({@code development}, {@code production}) is chosen by the key
 * {@code profile} and the properties file by the key {@code config}, from the same sources. Every key is
 * listed in {@link Setting}. An unknown key or a malformed value fails {@link Builder#build()} with a
 * {@link StorageConfigurationException} that names the key and where it came from.
 *
 * <p>Keys under {@code backend.} are passed to the backend, which rejects those it does not know when the
 * store opens. Variables and properties under {@code test.} ({@code CHATSTORE_TEST_*}) are reserved for test
 * harnesses and ignored here. There is no default encryption key: credentials need {@code encryption.keys}.
 */
public final class ChatStoreConfig {

    /** Where a value came from. */
    public enum Source { CODE, SYSTEM_PROPERTY, ENVIRONMENT, FILE, PROFILE, DEFAULT }

    private static final String TEST_PREFIX = "test.";
    private static final int AES_256_KEY_BYTES = 32;

    private final Map<Setting, String> values;
    private final Map<Setting, Source> sources;
    private final Map<String, String> backendOptions;
    private final Profile profile;
    private final Map<String, byte[]> encryptionKeys;

    private ChatStoreConfig(Map<Setting, String> values, Map<Setting, Source> sources,
                            Map<String, String> backendOptions, Profile profile) {
        this.values = Collections.unmodifiableMap(values);
        this.sources = Collections.unmodifiableMap(sources);
        this.backendOptions = Collections.unmodifiableMap(new TreeMap<>(backendOptions));
        this.profile = profile;
        for (Setting s : Setting.values()) {
            check(s, values.get(s), sources.get(s));
        }
        this.encryptionKeys = parseKeys(values.get(Setting.ENCRYPTION_KEYS), sources.get(Setting.ENCRYPTION_KEYS));
        String active = values.get(Setting.ENCRYPTION_ACTIVE_KEY);
        if (!active.isEmpty() && !encryptionKeys.containsKey(active)) {
            throw new StorageConfigurationException("encryption.active-key-id (" + describe(sources.get(Setting.ENCRYPTION_ACTIVE_KEY))
                    + ") names key '" + active + "', which is not among encryption.keys " + encryptionKeys.keySet());
        }
        if (active.isEmpty() && encryptionKeys.size() > 1) {
            throw new StorageConfigurationException("encryption.keys holds " + encryptionKeys.size()
                    + " keys; set encryption.active-key-id to say which one encrypts new credentials");
        }
    }

    /**
     * A builder that reads system properties, environment variables and the properties file (if one is named)
     * beneath whatever is set on it in code.
     */
    public static Builder builder() {
        return new Builder(true);
    }

    /** A builder that ignores system properties, the environment and files: code and defaults only (tests). */
    public static Builder isolated() {
        return new Builder(false);
    }

    /** The configuration the environment describes, with nothing set in code. */
    public static ChatStoreConfig fromEnvironment() {
        return builder().build();
    }

    /** The built-in defaults with the given URL and nothing read from the environment. */
    public static ChatStoreConfig forUrl(String url) {
        return isolated().url(url).build();
    }

    /** A builder starting from this configuration's values (all counted as set in code). */
    public Builder toBuilder() {
        Builder b = isolated();
        b.profile = profile;
        for (Map.Entry<Setting, String> e : values.entrySet()) {
            if (sources.get(e.getKey()) != Source.DEFAULT && sources.get(e.getKey()) != Source.PROFILE) {
                b.code.put(e.getKey().key(), e.getValue());
            }
        }
        backendOptions.forEach((k, v) -> b.code.put(k, v));
        return b;
    }

    public String url() {
        return values.get(Setting.URL);
    }

    public Profile profile() {
        return profile;
    }

    public int maxMessageBytes() {
        return intValue(Setting.MAX_MESSAGE_BYTES);
    }

    public long maxMessagesPerSession() {
        return longValue(Setting.MAX_MESSAGES_PER_SESSION);
    }

    public int maxSessionsPerUser() {
        return intValue(Setting.MAX_SESSIONS_PER_USER);
    }

    public long maxDocumentBytes() {
        return longValue(Setting.MAX_DOCUMENT_BYTES);
    }

    /** Lowercase extensions with their dot ({@code .pdf}); the single entry {@code *} allows any. */
    public List<String> allowedDocumentExtensions() {
        return splitList(values.get(Setting.ALLOWED_DOCUMENT_EXTENSIONS));
    }

    public int maxPersonasPerPanel() {
        return intValue(Setting.MAX_PERSONAS_PER_PANEL);
    }

    public int maxContextHistory() {
        return intValue(Setting.MAX_CONTEXT_HISTORY);
    }

    public int maxContextSummaryLength() {
        return intValue(Setting.MAX_CONTEXT_SUMMARY_LENGTH);
    }

    public int maxContextKeyPoints() {
        return intValue(Setting.MAX_CONTEXT_KEY_POINTS);
    }

    public int maxJsonBytes() {
        return intValue(Setting.MAX_JSON_BYTES);
    }

    public int messageDefaultLimit() {
        return intValue(Setting.MESSAGE_DEFAULT_LIMIT);
    }

    public int sessionDefaultLimit() {
        return intValue(Setting.SESSION_DEFAULT_LIMIT);
    }

    public int searchDefaultLimit() {
        return intValue(Setting.SEARCH_DEFAULT_LIMIT);
    }

    public int maxPageLimit() {
        return intValue(Setting.MAX_PAGE_LIMIT);
    }

    public int searchMinWordLength() {
        return intValue(Setting.SEARCH_MIN_WORD_LENGTH);
    }

    public int insightRetentionDays() {
        return intValue(Setting.INSIGHT_RETENTION_DAYS);
    }

    /** Whether opening a URL that names no store creates one (the zero-configuration default) or fails. */
    public boolean createIfMissing() {
        return Boolean.parseBoolean(values.get(Setting.CREATE_IF_MISSING).trim());
    }

    /** Whether the store is opened for reading only: nothing written, created, repaired or locked. */
    public boolean readOnly() {
        return Boolean.parseBoolean(values.get(Setting.READ_ONLY).trim());
    }

    public Durability durability() {
        return Durability.valueOf(values.get(Setting.DURABILITY).toUpperCase(Locale.ROOT));
    }

    public int batchIntervalMillis() {
        return intValue(Setting.BATCH_INTERVAL_MILLIS);
    }

    /** The credential keys by key ID (copies; 32 bytes each). Empty when none are configured. */
    public Map<String, byte[]> encryptionKeys() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        encryptionKeys.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** The key ID new credentials are encrypted with: the configured one, or the only key. */
    public Optional<String> activeKeyId() {
        String active = values.get(Setting.ENCRYPTION_ACTIVE_KEY);
        if (!active.isEmpty()) {
            return Optional.of(active);
        }
        return encryptionKeys.keySet().stream().findFirst();
    }

    /** The options under {@code backend.} (keys keep the prefix), for the backend to interpret. */
    public Map<String, String> backendOptions() {
        return backendOptions;
    }

    /** The raw value of a setting, as text. */
    public String value(Setting setting) {
        return values.get(setting);
    }

    /** Where the value of a setting came from. */
    public Source source(Setting setting) {
        return sources.get(setting);
    }

    /** One line per setting, {@code key = value  (source)}, with secrets masked. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("profile = " + profile.id());
        for (Setting s : Setting.values()) {
            String v = s.type() == Setting.Type.SECRET && !values.get(s).isEmpty() ? "****" : values.get(s);
            lines.add(s.key() + " = " + v + "  (" + describe(sources.get(s)) + ")");
        }
        backendOptions.forEach((k, v) -> lines.add(k + " = " + v));
        return lines;
    }

    @Override
    public String toString() {
        return "ChatStoreConfig" + describe();
    }

    private int intValue(Setting s) {
        return Integer.parseInt(values.get(s).replace("_", ""));
    }

    // Digit-group underscores ("1_000_000") are accepted by check(), so the accessors must accept them too.
    private long longValue(Setting s) {
        return Long.parseLong(values.get(s).replace("_", ""));
    }

    private static List<String> splitList(String raw) {
        List<String> out = new ArrayList<>();
        for (String part : raw.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    private static String describe(Source source) {
        return source == null ? "unset" : source.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static void check(Setting s, String value, Source source) {
        String where = s.key() + " (" + describe(source) + ")";
        switch (s.type()) {
            case STRING, SECRET -> {
                if (s == Setting.URL && value.isBlank()) {
                    throw new StorageConfigurationException(where + " must not be empty");
                }
            }
            case INT -> {
                long v = parseWhole(where, value);
                if (v < 1 || v > Integer.MAX_VALUE) {
                    throw new StorageConfigurationException(where + " = '" + value + "': must be between 1 and " + Integer.MAX_VALUE);
                }
            }
            case LONG -> {
                long v = parseWhole(where, value);
                if (v < 1) {
                    throw new StorageConfigurationException(where + " = '" + value + "': must be at least 1");
                }
            }
            case ENUM -> {
                try {
                    Durability.valueOf(value.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new StorageConfigurationException(where + " = '" + value + "': must be one of sync, batch, none");
                }
            }
            case BOOLEAN -> {
                String v = value.trim().toLowerCase(Locale.ROOT);
                if (!v.equals("true") && !v.equals("false")) {
                    throw new StorageConfigurationException(where + " = '" + value + "': must be true or false");
                }
            }
            case LIST -> {
                List<String> items = splitList(value);
                if (items.isEmpty()) {
                    throw new StorageConfigurationException(where + " must list at least one extension (or *)");
                }
                for (String item : items) {
                    if (!item.equals("*") && (!item.startsWith(".") || item.length() < 2 || item.indexOf('/') >= 0)) {
                        throw new StorageConfigurationException(where + ": '" + item + "' is not an extension like .pdf");
                    }
                }
            }
        }
    }

    private static long parseWhole(String where, String value) {
        try {
            return Long.parseLong(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new StorageConfigurationException(where + " = '" + value + "': not a whole number");
        }
    }

    private static Map<String, byte[]> parseKeys(String raw, Source source) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return keys;
        }
        String where = "encryption.keys (" + describe(source) + ")";
        for (String entry : raw.split(",")) {
            String e = entry.trim();
            int colon = e.indexOf(':');
            if (colon <= 0) {
                throw new StorageConfigurationException(where + ": entry #" + (keys.size() + 1) + " is not keyId:base64key");
            }
            String id = e.substring(0, colon).trim();
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new StorageConfigurationException(where + ": key id '" + id + "' must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(e.substring(colon + 1).trim());
            } catch (IllegalArgumentException ex) {
                throw new StorageConfigurationException(where + ": key '" + id + "' is not valid base64");
            }
            if (key.length != AES_256_KEY_BYTES) {
                throw new StorageConfigurationException(where + ": key '" + id + "' is " + key.length
                        + " bytes; AES-256 needs " + AES_256_KEY_BYTES);
            }
            if (keys.put(id, key) != null) {
                throw new StorageConfigurationException(where + ": key id '" + id + "' appears twice");
            }
        }
        return keys;
    }

    /** Collects values set in code and, unless isolated, reads the other sources when {@link #build()} runs. */
    public static final class Builder {
        private final boolean readEnvironment;
        private final Map<String, String> code = new LinkedHashMap<>();
        private Profile profile;
        private Path propertiesFile;
        private Properties systemProperties;
        private Map<String, String> environment;

        private Builder(boolean readEnvironment) {
            this.readEnvironment = readEnvironment;
        }

        /**
         * Sets any key of {@link Setting}, any {@code backend.} option, or the meta keys {@code profile} and
         * {@code config}; fails at once on an unknown key.
         */
        public Builder set(String key, Object value) {
            if (value == null) {
                throw new StorageConfigurationException(key + " (code) must not be null");
            }
            if (key.equals(Setting.PROFILE_KEY)) {
                return profile(Profile.byName(String.valueOf(value)).orElseThrow(() -> new StorageConfigurationException(
                        "profile (code) = '" + value + "': must be one of default, development, production")));
            }
            if (key.equals(Setting.CONFIG_FILE_KEY)) {
                return propertiesFile(Path.of(String.valueOf(value)));
            }
            if (Setting.byKey(key).isEmpty() && !key.startsWith(Setting.BACKEND_PREFIX)) {
                throw unknown(key, "code");
            }
            code.put(key, String.valueOf(value));
            return this;
        }

        public Builder set(Setting setting, Object value) {
            return set(setting.key(), value);
        }

        public Builder url(String url) {
            return set(Setting.URL, url);
        }

        public Builder durability(Durability durability) {
            return set(Setting.DURABILITY, durability.name().toLowerCase(Locale.ROOT));
        }

        /** Adds a credential encryption key (32 bytes, AES-256) under a key ID. */
        public Builder encryptionKey(String keyId, byte[] key) {
            String entry = keyId + ":" + Base64.getEncoder().encodeToString(key);
            String existing = code.get(Setting.ENCRYPTION_KEYS.key());
            code.put(Setting.ENCRYPTION_KEYS.key(), existing == null || existing.isEmpty() ? entry : existing + "," + entry);
            return this;
        }

        public Builder activeKeyId(String keyId) {
            return set(Setting.ENCRYPTION_ACTIVE_KEY, keyId);
        }

        /** Sets a backend option ({@code backend.} is added if missing). */
        public Builder backendOption(String key, Object value) {
            return set(key.startsWith(Setting.BACKEND_PREFIX) ? key : Setting.BACKEND_PREFIX + key, value);
        }

        public Builder profile(Profile newProfile) {
            this.profile = newProfile;
            return this;
        }

        /** Reads this properties file (keys as in {@link Setting}, optionally prefixed {@code chatstore.}). */
        public Builder propertiesFile(Path file) {
            this.propertiesFile = file;
            return this;
        }

        /** Uses these system properties instead of {@link System#getProperties()} (for tests). */
        public Builder systemProperties(Properties properties) {
            this.systemProperties = properties;
            return this;
        }

        /** Uses this environment instead of {@link System#getenv()} (for tests). */
        public Builder environment(Map<String, String> env) {
            this.environment = Map.copyOf(env);
            return this;
        }

        public ChatStoreConfig build() {
            Map<String, String> sysLayer = new LinkedHashMap<>();
            Map<String, String> envLayer = new LinkedHashMap<>();
            Map<String, String> fileLayer = new LinkedHashMap<>();
            if (readEnvironment) {
                Properties props = systemProperties != null ? systemProperties : System.getProperties();
                for (String name : props.stringPropertyNames()) {
                    if (name.startsWith(Setting.PROPERTY_PREFIX)) {
                        String key = name.substring(Setting.PROPERTY_PREFIX.length());
                        if (!key.startsWith(TEST_PREFIX)) {
                            sysLayer.put(key, props.getProperty(name));
                        }
                    }
                }
                Map<String, String> env = environment != null ? environment : System.getenv();
                Map<String, String> knownEnv = new LinkedHashMap<>();
                for (Setting s : Setting.values()) {
                    knownEnv.put(s.environmentName(), s.key());
                }
                knownEnv.put(Setting.environmentName(Setting.PROFILE_KEY), Setting.PROFILE_KEY);
                knownEnv.put(Setting.environmentName(Setting.CONFIG_FILE_KEY), Setting.CONFIG_FILE_KEY);
                String backendEnvPrefix = Setting.environmentName(Setting.BACKEND_PREFIX);
                String testEnvPrefix = Setting.environmentName(TEST_PREFIX);
                for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
                    String name = e.getKey();
                    if (!name.startsWith(Setting.ENV_PREFIX) || name.startsWith(testEnvPrefix)) {
                        continue;
                    }
                    if (knownEnv.containsKey(name)) {
                        envLayer.put(knownEnv.get(name), e.getValue());
                    } else if (name.startsWith(backendEnvPrefix) && name.length() > backendEnvPrefix.length()) {
                        envLayer.put(Setting.BACKEND_PREFIX + name.substring(backendEnvPrefix.length())
                                .toLowerCase(Locale.ROOT).replace('_', '-'), e.getValue());
                    } else {
                        throw unknown(name, "environment variable");
                    }
                }
                String file = firstOf(Setting.CONFIG_FILE_KEY, code, sysLayer, envLayer);
                Path path = propertiesFile != null ? propertiesFile : file == null ? null : Path.of(file);
                if (path != null) {
                    fileLayer.putAll(readFile(path));
                }
            } else if (propertiesFile != null) {
                fileLayer.putAll(readFile(propertiesFile));
            }
            for (Map.Entry<String, Map<String, String>> layer : Map.of("system property", sysLayer,
                    "environment", envLayer, "file", fileLayer).entrySet()) {
                for (String key : layer.getValue().keySet()) {
                    if (Setting.byKey(key).isEmpty() && !key.startsWith(Setting.BACKEND_PREFIX)
                            && !key.equals(Setting.PROFILE_KEY) && !key.equals(Setting.CONFIG_FILE_KEY)) {
                        throw unknown(layer.getKey().equals("system property") ? Setting.PROPERTY_PREFIX + key : key,
                                layer.getKey() + (layer.getKey().equals("file") ? " " + propertiesPathFor(file(sysLayer, envLayer)) : ""));
                    }
                }
            }

            Profile chosen = profile;
            if (chosen == null) {
                String name = firstOf(Setting.PROFILE_KEY, code, sysLayer, envLayer, fileLayer);
                if (name == null || name.isBlank()) {
                    chosen = Profile.DEFAULT;
                } else {
                    chosen = Profile.byName(name).orElseThrow(() -> new StorageConfigurationException(
                            "profile = '" + name + "': must be one of default, development, production"));
                }
            }

            Map<Setting, String> values = new EnumMap<>(Setting.class);
            Map<Setting, Source> sources = new EnumMap<>(Setting.class);
            for (Setting s : Setting.values()) {
                String key = s.key();
                if (code.containsKey(key)) {
                    values.put(s, code.get(key));
                    sources.put(s, Source.CODE);
                } else if (sysLayer.containsKey(key)) {
                    values.put(s, sysLayer.get(key));
                    sources.put(s, Source.SYSTEM_PROPERTY);
                } else if (envLayer.containsKey(key)) {
                    values.put(s, envLayer.get(key));
                    sources.put(s, Source.ENVIRONMENT);
                } else if (fileLayer.containsKey(key)) {
                    values.put(s, fileLayer.get(key));
                    sources.put(s, Source.FILE);
                } else if (chosen.overrides().containsKey(s)) {
                    values.put(s, chosen.overrides().get(s));
                    sources.put(s, Source.PROFILE);
                } else {
                    values.put(s, s.defaultValue());
                    sources.put(s, Source.DEFAULT);
                }
                values.put(s, values.get(s).trim());
            }
            Map<String, String> backend = new LinkedHashMap<>();
            for (Map<String, String> layer : List.of(fileLayer, envLayer, sysLayer, code)) {
                layer.forEach((k, v) -> {
                    if (k.startsWith(Setting.BACKEND_PREFIX)) {
                        backend.put(k, v.trim());
                    }
                });
            }
            return new ChatStoreConfig(values, sources, backend, chosen);
        }

        private Path file(Map<String, String> sysLayer, Map<String, String> envLayer) {
            if (propertiesFile != null) {
                return propertiesFile;
            }
            String f = firstOf(Setting.CONFIG_FILE_KEY, code, sysLayer, envLayer);
            return f == null ? null : Path.of(f);
        }

        private static String propertiesPathFor(Path p) {
            return p == null ? "" : p.toString();
        }

        @SafeVarargs
        private static String firstOf(String key, Map<String, String>... layers) {
            for (Map<String, String> layer : layers) {
                if (layer.containsKey(key)) {
                    return layer.get(key);
                }
            }
            return null;
        }

        private static Map<String, String> readFile(Path path) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new StorageConfigurationException("cannot read configuration file " + path + ": " + e.getMessage(), e);
            }
            Map<String, String> out = new LinkedHashMap<>();
            Set<String> names = new java.util.TreeSet<>(p.stringPropertyNames());
            for (String name : names) {
                String key = name.startsWith(Setting.PROPERTY_PREFIX) ? name.substring(Setting.PROPERTY_PREFIX.length()) : name;
                if (key.equals(Setting.CONFIG_FILE_KEY)) {
                    throw new StorageConfigurationException("configuration file " + path + " must not name another file (key '" + name + "')");
                }
                out.put(key, p.getProperty(name));
            }
            return out;
        }

        private static StorageConfigurationException unknown(String key, String where) {
            return new StorageConfigurationException("unknown configuration key '" + key + "' (" + where.trim()
                    + "); known keys: " + Setting.all().stream().map(Setting::key).toList()
                    + ", plus profile, config and backend.* options");
        }
    }
}
