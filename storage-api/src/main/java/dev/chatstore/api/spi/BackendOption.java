package dev.chatstore.api.spi;

import dev.chatstore.api.error.StorageConfigurationException;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A {@code backend.*} option an adapter accepts, with its type, default, allowed range and documentation. Providers
 * list theirs in {@link StorageBackendProvider#options()}; the core rejects unknown keys and malformed values at
 * open time with a message naming the key, and adapters read typed values with {@link BackendContext#option}.
 *
 * @param key          the key without the {@code backend.} prefix, e.g. {@code lock-timeout-ms}
 * @param type         how the value is written
 * @param defaultValue the value when none is configured, as text
 * @param description  one line for help texts and error messages
 * @param allowed      for {@link Type#ENUM}: the accepted values (lower case)
 * @param min          for numbers and durations: the smallest accepted value
 * @param max          for numbers and durations: the largest accepted value
 * @param <T>          the parsed type
 */
public record BackendOption<T>(String key, Type type, String defaultValue, String description, List<String> allowed,
                               long min, long max, Class<T> javaType) {

    /** The value kinds of an option. */
    public enum Type { BOOLEAN, LONG, MILLIS, ENUM, STRING }

    public BackendOption {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        allowed = List.copyOf(allowed);
        if (key.startsWith("backend.")) {
            throw new IllegalArgumentException("option keys are given without the backend. prefix: " + key);
        }
    }

    public static BackendOption<Boolean> bool(String key, boolean defaultValue, String description) {
        return new BackendOption<>(key, Type.BOOLEAN, Boolean.toString(defaultValue), description, List.of(), 0, 0,
                Boolean.class);
    }

    public static BackendOption<Long> number(String key, long defaultValue, long min, long max, String description) {
        return new BackendOption<>(key, Type.LONG, Long.toString(defaultValue), description, List.of(), min, max,
                Long.class);
    }

    /** A duration in milliseconds; by convention its key ends in {@code -ms}. */
    public static BackendOption<Duration> millis(String key, long defaultMillis, long min, long max,
                                                 String description) {
        return new BackendOption<>(key, Type.MILLIS, Long.toString(defaultMillis), description, List.of(), min, max,
                Duration.class);
    }

    public static BackendOption<String> choice(String key, String defaultValue, List<String> allowed,
                                               String description) {
        return new BackendOption<>(key, Type.ENUM, defaultValue, description, allowed, 0, 0, String.class);
    }

    public static BackendOption<String> text(String key, String defaultValue, String description) {
        return new BackendOption<>(key, Type.STRING, defaultValue, description, List.of(), 0, 0, String.class);
    }

    /** The full configuration key, {@code backend.<key>}. */
    public String fullKey() {
        return "backend." + key;
    }

    /**
     * Parses a configured value (or the default when empty).
     *
     * @throws StorageConfigurationException naming the key, the value and what is accepted
     */
    public T parse(Optional<String> configured) {
        String raw = configured.map(String::strip).orElse(defaultValue);
        Object value = switch (type) {
            case BOOLEAN -> parseBoolean(raw);
            case LONG -> parseRanged(raw, Function.identity());
            case MILLIS -> parseRanged(raw, Duration::ofMillis);
            case ENUM -> parseChoice(raw);
            case STRING -> raw;
        };
        return javaType.cast(value);
    }

    /** What the option accepts, for messages: {@code true|false}, {@code 1..60000 ms}, {@code full|tail|none}. */
    public String accepted() {
        return switch (type) {
            case BOOLEAN -> "true|false";
            case LONG -> min + ".." + max;
            case MILLIS -> min + ".." + max + " (milliseconds)";
            case ENUM -> String.join("|", allowed);
            case STRING -> "text";
        };
    }

    private Boolean parseBoolean(String raw) {
        String v = raw.toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.valueOf(v);
        }
        throw invalid(raw);
    }

    private <R> R parseRanged(String raw, Function<Long, R> wrap) {
        long v;
        try {
            v = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw invalid(raw);
        }
        if (v < min || v > max) {
            throw invalid(raw);
        }
        return wrap.apply(v);
    }

    private String parseChoice(String raw) {
        String v = raw.toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw invalid(raw);
        }
        return v;
    }

    private StorageConfigurationException invalid(String raw) {
        return new StorageConfigurationException("invalid value '" + raw + "' for " + fullKey() + ": expected "
                + accepted() + " (" + description + ")");
    }
}
