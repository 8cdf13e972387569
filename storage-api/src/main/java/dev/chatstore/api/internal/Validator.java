package dev.chatstore.api.internal;

import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** The argument rules of CONTRACT §2, applied once by {@code ChatStore} before any backend is touched. */
public final class Validator {

    /** IDs: case-sensitive, 1 to 128 characters. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Longest document name, in UTF-16 code units (file systems allow 255 bytes; we leave room for encoding). */
    public static final int MAX_DOCUMENT_NAME = 200;
    /** Longest free-text label (title, display name, type, mime type, currency, ...), in characters. */
    public static final int MAX_LABEL = 1000;

    /** Earliest and latest timestamps every backend can store exactly. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private Validator() {
    }

    public static String id(String field, String value) {
        if (value == null) {
            throw new ValidationException(field, "must not be null");
        }
        if (!ID.matcher(value).matches()) {
            throw new ValidationException(field, "'" + printable(value)
                    + "' is not a valid ID: it must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}");
        }
        return value;
    }

    /** Any valid Unicode (NUL included), no unpaired surrogate. */
    public static String text(String field, String value) {
        if (value == null) {
            throw new ValidationException(field, "must not be null");
        }
        int bad = JsonCodec.firstUnpairedSurrogate(value);
        if (bad >= 0) {
            throw new ValidationException(field, "contains an unpaired surrogate at index " + bad);
        }
        return value;
    }

    /** Text of at most {@link #MAX_LABEL} characters. */
    public static String label(String field, String value) {
        text(field, value);
        if (value.length() > MAX_LABEL) {
            throw new ValidationException(field, "is " + value.length() + " characters long; at most " + MAX_LABEL + " allowed");
        }
        return value;
    }

    public static JsonObject json(String field, JsonObject value, int maxBytes) {
        if (value == null) {
            throw new ValidationException(field, "must not be null (use JsonObject.empty())");
        }
        if (value.isEmpty()) {
            return value;
        }
        // JsonObject checks depth only for maps and lists it converts; one nested from JsonObjects is checked here
        int depth = depth(value);
        if (depth > JsonObject.MAX_DEPTH) {
            throw new ValidationException(field, "nesting of " + depth + " levels is deeper than the "
                    + JsonObject.MAX_DEPTH + " allowed");
        }
        long bytes = utf8Length(value.toJson());
        if (bytes > maxBytes) {
            throw new LimitExceededException("limits.max-json-bytes", maxBytes, bytes);
        }
        return value;
    }

    /** Levels of objects and arrays, the outermost counting as 1 (as the JSON parser counts them). */
    private static int depth(Object value) {
        int deepest = 0;
        if (value instanceof JsonObject o) {
            for (Object member : o.members().values()) {
                deepest = Math.max(deepest, depth(member));
            }
            return 1 + deepest;
        }
        if (value instanceof java.util.List<?> list) {
            for (Object item : list) {
                deepest = Math.max(deepest, depth(item));
            }
            return 1 + deepest;
        }
        return 0;
    }

    /**
     * A document file name: 1 to {@link #MAX_DOCUMENT_NAME} characters of valid Unicode, no path separator,
     * no control character, not {@code .} or {@code ..}, no leading or trailing space.
     */
    public static String documentName(String field, String name) {
        if (name == null) {
            throw new ValidationException(field, "must not be null");
        }
        text(field, name);
        if (name.isEmpty() || name.length() > MAX_DOCUMENT_NAME) {
            throw new ValidationException(field, "must be 1 to " + MAX_DOCUMENT_NAME + " characters, got " + name.length());
        }
        if (name.equals(".") || name.equals("..")) {
            throw new ValidationException(field, "'" + name + "' is not a file name");
        }
        if (!name.strip().equals(name)) {
            throw new ValidationException(field, "must not start or end with white space");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                throw new ValidationException(field, "'" + printable(name) + "' must not contain a path separator");
            }
            if (Character.isISOControl(c)) {
                throw new ValidationException(field, "'" + printable(name) + "' must not contain control characters");
            }
        }
        return name;
    }

    /** A caller-supplied timestamp, truncated to milliseconds and checked to be storable everywhere. */
    public static Instant instant(String field, Instant value) {
        if (value == null) {
            throw new ValidationException(field, "must not be null");
        }
        Instant t = value.truncatedTo(ChronoUnit.MILLIS);
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw new ValidationException(field, value + " is outside the storable range " + EARLIEST + " .. " + LATEST);
        }
        return t;
    }

    public static int offset(String field, int offset) {
        if (offset < 0) {
            throw new ValidationException(field, "must not be negative, got " + offset);
        }
        return offset;
    }

    public static int limit(String field, int limit, int max) {
        if (limit < 1) {
            throw new ValidationException(field, "must be at least 1, got " + limit);
        }
        if (limit > max) {
            throw new ValidationException(field, limit + " is larger than paging.max-limit " + max);
        }
        return limit;
    }

    public static long utf8Length(CharSequence s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The value with control characters escaped and cut to 80 characters, for error messages. */
    public static String printable(String value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length() && sb.length() < 80; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= 80) {
            sb.append("…(").append(value.length()).append(" chars)");
        }
        return sb.toString();
    }
}
