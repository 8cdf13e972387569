package dev.chatstore.api.json;

import dev.chatstore.api.error.ValidationException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable JSON object, the type of every JSON-valued field ({@code profile}, {@code metadata},
 * {@code config}, {@code analysis}, persona {@code data}, insight content). It depends on no JSON library.
 *
 * <p>Values are normalised on construction so that every backend returns exactly what it was given:
 * <ul>
 *   <li>JSON {@code null} is Java {@code null}; booleans are {@link Boolean}; strings are {@link String};</li>
 *   <li>numbers with no fractional part that fit in a {@code long} are {@link Long}; every other number is a
 *       {@link BigDecimal} with trailing zeros stripped ({@code 1.50} becomes {@code 1.5}, {@code 2.0} becomes
 *       {@code 2L}); {@code NaN} and infinities are rejected;</li>
 *   <li>arrays are unmodifiable {@link List}s, nested objects are {@code JsonObject}s.</li>
 * </ul>
 * Equality is by content; member order is kept for display but does not take part in {@code equals}.
 * Strings must be valid Unicode (no unpaired surrogates) and nesting is limited to {@value #MAX_DEPTH} levels;
 * anything else is a {@link ValidationException}.
 *
 * @param members the members, normalised as described above; unmodifiable
 */
public record JsonObject(Map<String, Object> members) {

    /** Deepest nesting accepted, counting this object as level 1. */
    public static final int MAX_DEPTH = 64;

    /** Largest number of digits, and largest decimal exponent, a number may have. */
    public static final int MAX_NUMBER_SCALE = 1000;

    private static final JsonObject EMPTY = new JsonObject(Map.of());
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    public JsonObject {
        members = normaliseMembers(members, 1);
    }

    /** The empty object {@code {}}. */
    public static JsonObject empty() {
        return EMPTY;
    }

    /** An object holding the given members, normalised; nested maps and collections are converted too. */
    public static JsonObject from(Map<String, ?> members) {
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = (Map<String, Object>) members;
        return new JsonObject(raw);
    }

    /** An object of alternating keys and values: {@code JsonObject.of("theme", "dark", "fontSize", 14)}. */
    public static JsonObject of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new ValidationException("json", "JsonObject.of needs key/value pairs, got an odd number of arguments");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (!(keysAndValues[i] instanceof String key)) {
                throw new ValidationException("json", "key #" + (i / 2) + " is not a string: " + keysAndValues[i]);
            }
            map.put(key, keysAndValues[i + 1]);
        }
        return new JsonObject(map);
    }

    /** Parses JSON text that must hold exactly one object. */
    public static JsonObject parse(String json) {
        return JsonCodec.parseObject(json);
    }

    /** The compact JSON text of this object (members in insertion order). */
    public String toJson() {
        return JsonCodec.write(this);
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public boolean has(String key) {
        return members.containsKey(key);
    }

    /** The member's value (possibly a JSON null, as Java null) or empty if absent or null. */
    public Optional<Object> get(String key) {
        return Optional.ofNullable(members.get(key));
    }

    public Optional<String> getString(String key) {
        return members.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    public Optional<JsonObject> getObject(String key) {
        return members.get(key) instanceof JsonObject o ? Optional.of(o) : Optional.empty();
    }

    /** A copy with one member set (added or replaced). */
    public JsonObject with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(members);
        copy.put(key, value);
        return new JsonObject(copy);
    }

    /** A copy without the given member. */
    public JsonObject without(String key) {
        if (!members.containsKey(key)) {
            return this;
        }
        Map<String, Object> copy = new LinkedHashMap<>(members);
        copy.remove(key);
        return new JsonObject(copy);
    }

    /** A copy where the given members are added or replace existing ones (a shallow merge). */
    public JsonObject merge(JsonObject other) {
        Map<String, Object> copy = new LinkedHashMap<>(members);
        copy.putAll(other.members);
        return new JsonObject(copy);
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Normalises any supported Java value into the JSON value model described on this class. */
    public static Object normaliseValue(Object value) {
        return normalise(value, 1, "json");
    }

    private static Map<String, Object> normaliseMembers(Map<String, Object> members, int depth) {
        if (members == null) {
            throw new ValidationException("json", "members must not be null (use JsonObject.empty())");
        }
        if (members instanceof JsonObjectMap) {
            return members; // already normalised and unmodifiable
        }
        if (depth > MAX_DEPTH) {
            throw new ValidationException("json", "nesting deeper than " + MAX_DEPTH + " levels");
        }
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(Math.max(4, members.size() * 2));
        for (Map.Entry<String, Object> e : members.entrySet()) {
            String key = e.getKey();
            if (key == null) {
                throw new ValidationException("json", "object keys must not be null");
            }
            if (JsonCodec.firstUnpairedSurrogate(key) >= 0) {
                throw new ValidationException("json", "key contains an unpaired surrogate: " + JsonCodec.quote(key));
            }
            copy.put(key, normalise(e.getValue(), depth, key));
        }
        return new JsonObjectMap(copy);
    }

    private static Object normalise(Object value, int depth, String where) {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof String s) {
            if (JsonCodec.firstUnpairedSurrogate(s) >= 0) {
                throw new ValidationException("json", "value of '" + where + "' contains an unpaired surrogate");
            }
            return s;
        }
        if (value instanceof Number n) {
            return normaliseNumber(n, where);
        }
        if (value instanceof JsonObject o) {
            if (depth + 1 > MAX_DEPTH) {
                throw new ValidationException("json", "nesting deeper than " + MAX_DEPTH + " levels");
            }
            return o;
        }
        if (value instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) {
                    throw new ValidationException("json", "object keys must be strings, found " + k + " in '" + where + "'");
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) m;
            return new JsonObject(normaliseMembers(typed, depth + 1));
        }
        if (value instanceof Collection<?> c) {
            return normaliseList(c, depth, where);
        }
        if (value instanceof Object[] array) {
            return normaliseList(List.of(array), depth, where);
        }
        throw new ValidationException("json", "value of '" + where + "' has unsupported type "
                + value.getClass().getName() + " (use String, Number, Boolean, Map, List, JsonObject or null)");
    }

    private static List<Object> normaliseList(Collection<?> values, int depth, String where) {
        if (depth + 1 > MAX_DEPTH) {
            throw new ValidationException("json", "nesting deeper than " + MAX_DEPTH + " levels");
        }
        List<Object> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(normalise(v, depth + 1, where));
        }
        return Collections.unmodifiableList(out);
    }

    /** Integers that fit in a long become {@link Long}; everything else a trailing-zero-free {@link BigDecimal}. */
    public static Number normaliseNumber(Number n, String where) {
        if (n instanceof Long) {
            return n;
        }
        if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return n.longValue();
        }
        BigDecimal decimal;
        if (n instanceof BigDecimal bd) {
            decimal = bd;
        } else if (n instanceof BigInteger bi) {
            decimal = new BigDecimal(bi);
        } else if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new ValidationException("json", "value of '" + where + "' is " + d + ", which JSON cannot represent");
            }
            decimal = n instanceof Float ? new BigDecimal(Float.toString(n.floatValue())) : BigDecimal.valueOf(d);
        } else {
            try {
                decimal = new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                throw new ValidationException("json", "value of '" + where + "' is not a number: " + n);
            }
        }
        if (decimal.signum() == 0) {
            return 0L;
        }
        BigDecimal stripped = decimal.stripTrailingZeros();
        if (Math.abs((long) stripped.scale()) > MAX_NUMBER_SCALE || stripped.precision() > MAX_NUMBER_SCALE) {
            throw new ValidationException("json", "value of '" + where + "' is out of range: more than "
                    + MAX_NUMBER_SCALE + " digits or an exponent beyond " + MAX_NUMBER_SCALE);
        }
        if (stripped.scale() <= 0) {
            if (stripped.compareTo(LONG_MIN) >= 0 && stripped.compareTo(LONG_MAX) <= 0) {
                return stripped.longValueExact();
            }
            return stripped.setScale(0);
        }
        return stripped;
    }

    /** Marks a map as already normalised, so re-wrapping does not copy it again. */
    private static final class JsonObjectMap extends java.util.AbstractMap<String, Object> {
        private final Map<String, Object> delegate;

        JsonObjectMap(LinkedHashMap<String, Object> delegate) {
            this.delegate = Collections.unmodifiableMap(delegate);
        }

        @Override
        public java.util.Set<Entry<String, Object>> entrySet() {
            return delegate.entrySet();
        }

        @Override
        public Object get(Object key) {
            return delegate.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return delegate.containsKey(key);
        }

        @Override
        public int size() {
            return delegate.size();
        }
    }
}
