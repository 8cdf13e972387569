package dev.chatstore.migration.legacy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jackson streaming helpers: one factory for every legacy file, and the reading of one (small) JSON value into
 * plain Java values ({@code Map}, {@code List}, {@code String}, {@code Long}, {@code BigInteger}, {@code BigDecimal},
 * {@code Boolean}, {@code null}), which {@link dev.chatstore.api.json.JsonObject} accepts. Numbers keep their exact
 * decimal text: a cost of {@code 0.0012} is never rounded through a {@code double}.
 */
final class JsonValues {

    /** Longest string the parser accepts, in characters; longer ones end the file as unreadable. */
    static final int MAX_STRING_CHARS = 64 * 1024 * 1024;

    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_CHARS).build())
            .build();

    private JsonValues() {
    }

    /** Reads the value at the parser's current token (which must be a value start) and leaves it on its last token. */
    static Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new IOException("no value");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, read(p));
                }
                expectEnd(p, JsonToken.END_OBJECT);
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == null) {
                        throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "end of input inside an array");
                    }
                    l.add(read(p));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected token " + t);
        }
    }

    private static void expectEnd(JsonParser p, JsonToken end) throws IOException {
        if (p.currentToken() != end) {
            throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "end of input inside an object");
        }
    }

    /** Reads a whole small document (one JSON value). */
    static Object readDocument(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == null) {
                throw new IOException("the file is empty");
            }
            Object v = read(p);
            if (p.nextToken() != null) {
                throw new IOException("more than one JSON value (trailing data after line "
                        + p.currentLocation().getLineNr() + ")");
            }
            return v;
        }
    }

    /** A short name of the JSON type of a value, for reasons in the report. */
    static String typeOf(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return "a number";
    }
}
