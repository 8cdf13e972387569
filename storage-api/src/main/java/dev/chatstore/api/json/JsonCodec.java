package dev.chatstore.api.json;

import dev.chatstore.api.error.ValidationException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader and a compact writer for the {@link JsonObject} value model, so that the API and
 * the portable export format need no JSON library. Numbers are normalised as {@link JsonObject} describes.
 * Parse errors are {@link ValidationException}s naming the character offset.
 */
public final class JsonCodec {

    private JsonCodec() {
    }

    /** Parses text that must hold exactly one JSON object (surrounding whitespace allowed). */
    public static JsonObject parseObject(String text) {
        return parseObject(text, JsonObject.MAX_DEPTH);
    }

    /**
     * Parses one JSON object nested at most {@code maxDepth} levels. Records that wrap JSON-valued fields (the
     * portable export's lines) need one level more than {@link JsonObject#MAX_DEPTH}.
     */
    public static JsonObject parseObject(String text, int maxDepth) {
        Object value = parse(text, maxDepth);
        if (!(value instanceof JsonObject o)) {
            throw new ValidationException("json", "expected a JSON object, found " + describe(value));
        }
        return o;
    }

    /** Parses text that must hold exactly one JSON value. */
    public static Object parse(String text) {
        return parse(text, JsonObject.MAX_DEPTH);
    }

    private static Object parse(String text, int maxDepth) {
        if (text == null) {
            throw new ValidationException("json", "text must not be null");
        }
        Parser p = new Parser(text, maxDepth);
        p.skipWhitespace();
        Object value = p.value(1);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected trailing content");
        }
        return value;
    }

    /** Compact JSON text for an object. */
    public static String write(JsonObject object) {
        StringBuilder out = new StringBuilder(64);
        writeValue(out, object);
        return out.toString();
    }

    /** Appends the compact JSON text of a normalised value (see {@link JsonObject}). */
    public static void writeValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Long l) {
            out.append(l.longValue());
        } else if (value instanceof BigDecimal d) {
            out.append(d.toString());
        } else if (value instanceof Number n) {
            writeValue(out, JsonObject.normaliseNumber(n, "json"));
        } else if (value instanceof JsonObject o) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : o.members().entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, e.getKey());
                out.append(':');
                writeValue(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeValue(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> || value instanceof java.util.Collection<?>) {
            writeValue(out, JsonObject.normaliseValue(value));
        } else {
            throw new ValidationException("json", "cannot write value of type " + value.getClass().getName());
        }
    }

    /** Appends a JSON string literal; control characters and U+2028/U+2029 are escaped, everything else kept. */
    public static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A JSON string literal for the given text. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        writeString(out, s);
        return out.toString();
    }

    /** Index of the first unpaired surrogate in {@code s}, or -1 when {@code s} is valid Unicode. */
    public static int firstUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a number";
    }

    private static final class Parser {
        private final String text;
        private final int maxDepth;
        private int pos;

        Parser(String text, int maxDepth) {
            this.text = text;
            this.maxDepth = maxDepth;
        }

        ValidationException error(String problem) {
            return new ValidationException("json", problem + " at offset " + pos);
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        Object value(int depth) {
            if (pos >= text.length()) {
                throw error("unexpected end of input");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("invalid literal");
            }
            pos += word.length();
            return value;
        }

        private JsonObject object(int depth) {
            if (depth > maxDepth) {
                throw error("nesting deeper than " + maxDepth + " levels");
            }
            pos++; // {
            LinkedHashMap<String, Object> members = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return new JsonObject(members);
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected a string key");
                }
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                Object v = value(depth + 1);
                if (members.containsKey(key)) {
                    throw error("duplicate key " + quote(key));
                }
                members.put(key, v);
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == '}') {
                    return new JsonObject(members);
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array(int depth) {
            if (depth > maxDepth) {
                throw error("nesting deeper than " + maxDepth + " levels");
            }
            pos++; // [
            List<Object> items = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return Collections.unmodifiableList(items);
            }
            while (true) {
                skipWhitespace();
                items.add(value(depth + 1));
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == ']') {
                    return Collections.unmodifiableList(items);
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']'");
                }
            }
        }

        private char peek() {
            if (pos >= text.length()) {
                throw error("unexpected end of input");
            }
            return text.charAt(pos);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private String string() {
            pos++; // opening quote
            StringBuilder sb = null;
            int start = pos;
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
                    pos++;
                    if (firstUnpairedSurrogate(s) >= 0) {
                        throw error("string contains an unpaired surrogate");
                    }
                    return s;
                }
                if (c < 0x20) {
                    throw error("unescaped control character in string");
                }
                if (c == '\\') {
                    if (sb == null) {
                        sb = new StringBuilder();
                    }
                    sb.append(text, start, pos);
                    pos++;
                    char e = peek();
                    pos++;
                    switch (e) {
                        case '"' -> sb.append('"');
                        case '\\' -> sb.append('\\');
                        case '/' -> sb.append('/');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'n' -> sb.append('\n');
                        case 'r' -> sb.append('\r');
                        case 't' -> sb.append('\t');
                        case 'u' -> {
                            if (pos + 4 > text.length()) {
                                throw error("truncated \\u escape");
                            }
                            // exactly four ASCII hex digits: Integer.parseInt would also take a sign or non-ASCII digits
                            int code = 0;
                            for (int k = 0; k < 4; k++) {
                                int d = hexDigit(text.charAt(pos + k));
                                if (d < 0) {
                                    throw error("invalid \\u escape");
                                }
                                code = code << 4 | d;
                            }
                            sb.append((char) code);
                            pos += 4;
                        }
                        default -> throw error("invalid escape '\\" + e + "'");
                    }
                    start = pos;
                } else {
                    pos++;
                }
            }
        }

        private Number number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (pos < text.length() && text.charAt(pos) == '0') {
                pos++;
            } else {
                digits();
            }
            if (pos < text.length() && text.charAt(pos) == '.') {
                pos++;
                digits();
            }
            if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                pos++;
                if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                    pos++;
                }
                digits();
            }
            String literal = text.substring(start, pos);
            // BigDecimal parsing is quadratic in the digits: refuse what normaliseNumber would refuse anyway
            // (the longest accepted value, 1000 digits times 10^1000, is written with 2001 characters)
            if (literal.length() > 2 * JsonObject.MAX_NUMBER_SCALE + 16) {
                throw error("number longer than " + (2 * JsonObject.MAX_NUMBER_SCALE + 16) + " characters");
            }
            try {
                return JsonObject.normaliseNumber(new BigDecimal(literal), "json");
            } catch (NumberFormatException | ArithmeticException e) {
                throw error("invalid number " + literal);
            }
        }

        private static int hexDigit(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }

        private void digits() {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == start) {
                throw error("expected a digit");
            }
        }
    }
}
