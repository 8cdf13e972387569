package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewPanel;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.PersonaScope;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * TCK group: JSON round-trip. Every JSON-valued field (user profile, session metadata, message metadata, document
 * analysis and metadata, panel config, persona data, insight content) returns exactly what it was given, through
 * the store and through export and import, with the number normalisation {@link JsonObject} documents: integers
 * that fit in a long as {@link Long}, every other number as a {@link BigDecimal} without trailing zeros.
 */
public abstract class JsonRoundTripContract extends TckSupport {

    /** The JSON-valued fields of the model. */
    enum JsonField {
        USER_PROFILE, SESSION_METADATA, MESSAGE_METADATA, DOCUMENT_ANALYSIS, DOCUMENT_METADATA, PANEL_CONFIG,
        PERSONA_DATA, INSIGHT_CONTENT
    }

    private static final String USER = "json-user";
    private static final String SESSION = "json-session";
    private static final String PANEL = "json-panel";
    private static final String INSIGHT_PANEL = "json-insight-panel";
    private static final String PERSONA = "json-persona";
    private static final byte[] BODY = "some text".getBytes(StandardCharsets.UTF_8);

    /** Stores {@code value} in the field (creating its owners as needed); returns what the write call returned. */
    private static JsonObject write(ChatStore s, JsonField field, JsonObject value) {
        if (s.users().get(USER).isEmpty()) {
            s.users().create(USER);
            s.sessions().create(USER, NewSession.titled("json").withId(SESSION));
        }
        return switch (field) {
            case USER_PROFILE -> s.users().update(USER, u -> u.withProfile(value)).profile();
            case SESSION_METADATA -> s.sessions().update(USER, SESSION, x -> x.withMetadata(value)).metadata();
            case MESSAGE_METADATA -> s.messages().append(USER, SESSION, NewMessage.user("json").withMetadata(value))
                    .metadata();
            case DOCUMENT_ANALYSIS -> {
                s.documents().save(USER, SESSION, "analysed.txt", "text/plain", BODY);
                yield s.documents().updateAnalysis(USER, SESSION, "analysed.txt", value).analysis();
            }
            case DOCUMENT_METADATA -> s.documents().save(USER, SESSION, "described.txt", "text/plain",
                    new ByteArrayInputStream(BODY), value).metadata();
            case PANEL_CONFIG -> {
                s.panels().delete(PANEL);
                yield s.panels().create(NewPanel.of("json", List.of()).withId(PANEL).withConfig(value)).config();
            }
            case PERSONA_DATA -> s.personas().save(PersonaScope.global(), PERSONA, value).data();
            case INSIGHT_CONTENT -> {
                s.panels().delete(INSIGHT_PANEL);
                s.panels().create(NewPanel.of("json", List.of()).withId(INSIGHT_PANEL));
                yield s.panels().saveInsight(INSIGHT_PANEL, value).content();
            }
        };
    }

    /** Reads the field back as the store returns it. */
    private static JsonObject read(ChatStore s, JsonField field) {
        return switch (field) {
            case USER_PROFILE -> s.users().get(USER).orElseThrow().profile();
            case SESSION_METADATA -> s.sessions().get(USER, SESSION).orElseThrow().metadata();
            case MESSAGE_METADATA -> {
                JsonObject viaLast = s.messages().last(USER, SESSION, 1).get(0).metadata();
                JsonObject viaSeq = s.messages().get(USER, SESSION, s.messages().count(USER, SESSION)).orElseThrow()
                        .metadata();
                assertThat(viaSeq).isEqualTo(viaLast);
                yield viaLast;
            }
            case DOCUMENT_ANALYSIS -> {
                JsonObject viaGet = s.documents().get(USER, SESSION, "analysed.txt").orElseThrow().analysis();
                assertThat(s.documents().list(USER, SESSION)).filteredOn(d -> d.name().equals("analysed.txt"))
                        .singleElement().satisfies(d -> assertThat(d.analysis()).isEqualTo(viaGet));
                yield viaGet;
            }
            case DOCUMENT_METADATA -> s.documents().get(USER, SESSION, "described.txt").orElseThrow().metadata();
            case PANEL_CONFIG -> s.panels().get(PANEL).orElseThrow().config();
            case PERSONA_DATA -> s.personas().find(PersonaScope.global(), PERSONA).orElseThrow().data();
            case INSIGHT_CONTENT -> s.panels().insights(INSIGHT_PANEL).get(0).content();
        };
    }

    /** Writes into {@link #store}, exports, imports into a fresh store and reads the field from there. */
    private JsonObject throughExportAndImport(JsonField field, JsonObject value) {
        write(store, field, value);
        ChatStore target = open(b -> { });
        ExportImportContract.importText(target, ExportImportContract.exportText(store));
        return read(target, field);
    }

    /** Nested objects, arrays, nulls, booleans, empties, numbers of every kind, unusual keys and text. */
    private static JsonObject rich() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("string", "plain text");
        m.put("emptyString", "");
        m.put("nothing", null);
        m.put("yes", true);
        m.put("no", false);
        m.put("emptyObject", Map.of());
        m.put("emptyArray", List.of());
        m.put("integer", 42);
        m.put("longMax", Long.MAX_VALUE);
        m.put("longMin", Long.MIN_VALUE);
        m.put("fraction", new BigDecimal("1.50"));
        m.put("double", 0.1);
        m.put("hugeInteger", new BigDecimal("1e30"));
        m.put("hugeFraction", new BigDecimal("123456789012345678901234567890.123456789"));
        m.put("negativeZero", -0.0);
        m.put("array", Arrays.asList(1, "two", null, false, 3.25, List.of(), Map.of("in", "array"),
                List.of(List.of("deep")), Long.MIN_VALUE));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("level2", Map.of("level3", Map.of("list", List.of(1, 2, 3), "flag", true)));
        nested.put("nullInside", null);
        m.put("nested", nested);
        m.put("ключ", "значение");
        m.put("emoji 🎉", "👩‍💻 family 👨‍👩‍👧‍👦");
        m.put("rtl", "مرحبا بالعالم שלום");
        m.put("combining", "e\u0301 n\u0303");
        m.put("control", "line1\nline2\ttab \"quoted\" back\\slash \u0000 nul \u001f unit \u2028 sep");
        m.put("a.b.c", "dotted key");
        m.put("$set", "dollar key");
        m.put("$", Map.of("$inc", 1, "x.y", 2));
        m.put("_id", "underscore id key");
        m.put("  spaced key  ", "spaces");
        return JsonObject.from(m);
    }

    /** A number of each Java kind, under a key saying what it must read back as. */
    private static JsonObject numbers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("int", 42);
        m.put("short", (short) 7);
        m.put("byte", (byte) -3);
        m.put("long", 1234567890123L);
        m.put("longMax", Long.MAX_VALUE);
        m.put("longMin", Long.MIN_VALUE);
        m.put("bigIntegerSmall", BigInteger.valueOf(123));
        m.put("bigIntegerBeyondLong", BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE));
        m.put("bigIntegerBelowLong", BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE));
        m.put("decimalTrailingZero", new BigDecimal("1.50"));
        m.put("decimalWhole", new BigDecimal("2.0"));
        m.put("decimalHundred", new BigDecimal("100.00"));
        m.put("decimalNegative", new BigDecimal("-2.50"));
        m.put("decimalNegativeZero", new BigDecimal("-0.000"));
        m.put("doubleTenth", 0.1);
        m.put("doubleWhole", 3.0);
        m.put("doubleNegativeZero", -0.0);
        m.put("float", 0.25f);
        m.put("hugeInteger", new BigDecimal("1e30"));
        m.put("hugeFraction", new BigDecimal("123456789012345678901234567890.123456789"));
        m.put("tiny", new BigDecimal("0.000000000000000000000000000001"));
        m.put("manyDigits", BigInteger.TEN.pow(120).add(BigInteger.valueOf(7)));
        m.put("inArray", List.of(1, new BigDecimal("2.50"), 4.0));
        return JsonObject.from(m);
    }

    /** Asserts the exact values and Java types {@link #numbers()} must come back as. */
    private static void assertNormalisedNumbers(JsonObject o) {
        Map<String, Object> m = o.members();
        assertExactly(m.get("int"), 42L);
        assertExactly(m.get("short"), 7L);
        assertExactly(m.get("byte"), -3L);
        assertExactly(m.get("long"), 1234567890123L);
        assertExactly(m.get("longMax"), Long.MAX_VALUE);
        assertExactly(m.get("longMin"), Long.MIN_VALUE);
        assertExactly(m.get("bigIntegerSmall"), 123L);
        assertExactly(m.get("bigIntegerBeyondLong"), new BigDecimal("9223372036854775808"));
        assertExactly(m.get("bigIntegerBelowLong"), new BigDecimal("-9223372036854775809"));
        assertExactly(m.get("decimalTrailingZero"), new BigDecimal("1.5"));
        assertExactly(m.get("decimalWhole"), 2L);
        assertExactly(m.get("decimalHundred"), 100L);
        assertExactly(m.get("decimalNegative"), new BigDecimal("-2.5"));
        assertExactly(m.get("decimalNegativeZero"), 0L);
        assertExactly(m.get("doubleTenth"), new BigDecimal("0.1"));
        assertExactly(m.get("doubleWhole"), 3L);
        assertExactly(m.get("doubleNegativeZero"), 0L);
        assertExactly(m.get("float"), new BigDecimal("0.25"));
        assertExactly(m.get("hugeInteger"), new BigDecimal(BigInteger.TEN.pow(30)));
        assertExactly(m.get("hugeFraction"), new BigDecimal("123456789012345678901234567890.123456789"));
        assertExactly(m.get("tiny"), new BigDecimal("1E-30"));
        assertExactly(m.get("manyDigits"), new BigDecimal(BigInteger.TEN.pow(120).add(BigInteger.valueOf(7))));
        assertThat(m.get("inArray")).isInstanceOf(List.class);
        List<?> array = (List<?>) m.get("inArray");
        assertThat(array).hasSize(3);
        assertExactly(array.get(0), 1L);
        assertExactly(array.get(1), new BigDecimal("2.5"));
        assertExactly(array.get(2), 4L);
    }

    /** Equal and of exactly the same class (so 2L is not 2.0, and 1.5 is not 1.50). */
    private static void assertExactly(Object actual, Object expected) {
        assertThat(actual).isExactlyInstanceOf(expected.getClass());
        if (expected instanceof BigDecimal e) {
            assertThat(((BigDecimal) actual).scale()).as("scale of %s", actual).isEqualTo(e.scale());
        }
        assertThat(actual).isEqualTo(expected);
    }

    /** Asserts equality and, recursively, that every value has the Java type of the expected one. */
    private static void assertSameJson(JsonObject actual, JsonObject expected) {
        assertThat(actual).isEqualTo(expected);
        assertSameTypes(actual, expected, "$");
    }

    private static void assertSameTypes(Object actual, Object expected, String path) {
        if (expected == null) {
            assertThat(actual).as(path).isNull();
        } else if (expected instanceof JsonObject e) {
            assertThat(actual).as(path).isInstanceOf(JsonObject.class);
            JsonObject a = (JsonObject) actual;
            assertThat(a.members().keySet()).as(path).isEqualTo(e.members().keySet());
            for (String key : e.members().keySet()) {
                assertSameTypes(a.members().get(key), e.members().get(key), path + "." + key);
            }
        } else if (expected instanceof List<?> e) {
            assertThat(actual).as(path).isInstanceOf(List.class);
            List<?> a = (List<?>) actual;
            assertThat(a).as(path).hasSameSizeAs(e);
            for (int i = 0; i < e.size(); i++) {
                assertSameTypes(a.get(i), e.get(i), path + "[" + i + "]");
            }
        } else {
            assertThat(actual).as(path).isExactlyInstanceOf(expected.getClass()).isEqualTo(expected);
        }
    }

    /** An object nested {@code levels} deep (the outer object is level 1), built from plain maps. */
    private static Map<String, Object> nestedMaps(int levels) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("leaf", "bottom");
        for (int i = 1; i < levels; i++) {
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put("level" + (levels - i), inner);
            inner = outer;
        }
        return inner;
    }

    /** The same nesting built from {@link JsonObject}s, innermost first. */
    private static JsonObject nestedObjects(int levels) {
        JsonObject inner = JsonObject.of("leaf", "bottom");
        for (int i = 1; i < levels; i++) {
            inner = JsonObject.of("level" + (levels - i), inner);
        }
        return inner;
    }

    /** An object whose member is an array nested {@code levels - 1} deep. */
    private static Map<String, Object> nestedArrays(int levels) {
        Object inner = List.of("bottom");
        for (int i = 2; i < levels; i++) {
            inner = List.of(inner);
        }
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("arrays", inner);
        return top;
    }

    // ---- through the store ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsonField.class)
    @DisplayName("A rich JSON value (nesting, nulls, booleans, empties, numbers, unusual keys, Unicode) round-trips through the store")
    void richValueRoundTripsThroughStore(JsonField field) {
        JsonObject value = rich();

        assertSameJson(write(store, field, value), value);
        assertSameJson(read(store, field), value);
        assertThat(read(store, field).has("nothing")).as("a JSON null member stays a member").isTrue();
        assertThat(read(store, field).has("absent")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsonField.class)
    @DisplayName("A rich JSON value round-trips through export and import")
    void richValueRoundTripsThroughExportImport(JsonField field) {
        JsonObject value = rich();

        assertSameJson(throughExportAndImport(field, value), value);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsonField.class)
    @DisplayName("Numbers read back normalised: whole numbers within long as Long, others as BigDecimal without trailing zeros")
    void numbersAreNormalisedThroughStore(JsonField field) {
        JsonObject value = numbers();

        assertNormalisedNumbers(write(store, field, value));
        assertNormalisedNumbers(read(store, field));
        assertSameJson(read(store, field), value);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsonField.class)
    @DisplayName("Numbers keep their normalised value and type through export and import")
    void numbersAreNormalisedThroughExportImport(JsonField field) {
        assertNormalisedNumbers(throughExportAndImport(field, numbers()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsonField.class)
    @DisplayName("The empty object round-trips as the empty object")
    void emptyObjectRoundTrips(JsonField field) {
        write(store, field, JsonObject.of("first", "value"));

        assertThat(write(store, field, JsonObject.empty())).isEqualTo(JsonObject.empty());
        assertThat(read(store, field)).isEqualTo(JsonObject.empty());
        assertThat(throughExportAndImport(field, JsonObject.empty())).isEqualTo(JsonObject.empty());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsonField.class)
    @DisplayName("The deepest nesting allowed (JsonObject.MAX_DEPTH levels of objects and of arrays) round-trips")
    void deepestAllowedNestingRoundTrips(JsonField field) {
        JsonObject objects = JsonObject.from(nestedMaps(JsonObject.MAX_DEPTH));
        JsonObject arrays = JsonObject.from(nestedArrays(JsonObject.MAX_DEPTH));
        JsonObject sixty = JsonObject.from(nestedMaps(60));

        for (JsonObject value : List.of(sixty, objects, arrays)) {
            write(store, field, value);
            assertSameJson(read(store, field), value);
            assertSameJson(throughExportAndImport(field, value), value);
        }
        assertThat(nestedObjects(60)).isEqualTo(sixty);
    }

    @Test
    @DisplayName("Nesting deeper than JsonObject.MAX_DEPTH is a ValidationException, however the value is built")
    void tooDeepNestingIsRejected() {
        user(USER);
        int tooDeep = JsonObject.MAX_DEPTH + 1;

        assertThatThrownBy(() -> JsonObject.from(nestedMaps(tooDeep))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.from(nestedArrays(tooDeep))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.parse(JsonObject.from(nestedMaps(JsonObject.MAX_DEPTH)).toJson()
                .replace("\"leaf\":\"bottom\"", "\"leaf\":{\"one\":\"more\"}")))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.users().update(USER, u -> u.withProfile(nestedObjects(tooDeep))))
                .as("a value nested from JsonObjects").isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.users().update(USER, u -> u.withProfile(nestedObjects(100))))
                .isInstanceOf(ValidationException.class);
        assertThat(store.users().get(USER).orElseThrow().profile()).isEqualTo(JsonObject.empty());
        assertThat(store.users().get(USER).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    @DisplayName("NaN and infinities are a ValidationException, also inside arrays and nested objects")
    void nonFiniteNumbersAreRejected() {
        for (Object bad : List.of(Double.NaN, Float.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Float.NEGATIVE_INFINITY)) {
            assertThatThrownBy(() -> JsonObject.of("x", bad)).as("%s", bad).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> JsonObject.of("x", List.of(1, bad))).as("%s in an array", bad)
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> JsonObject.from(Map.of("outer", Map.of("inner", bad)))).as("%s nested", bad)
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> JsonObject.empty().with("x", bad)).isInstanceOf(ValidationException.class);
        }
        assertThatThrownBy(() -> JsonObject.parse("{\"x\":NaN}")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.parse("{\"x\":Infinity}")).isInstanceOf(ValidationException.class);
    }

    @Test
    @DisplayName("Values JSON cannot represent (other types, non-string keys, unpaired surrogates) are a ValidationException")
    void unrepresentableValuesAreRejected() {
        assertThatThrownBy(() -> JsonObject.of("x", new Object())).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.of("x", java.time.Instant.EPOCH)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.from(Map.of("x", Map.of(1, "numeric key"))))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.of("bad\uD800key", 1)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.of("x", "bad\uDC00value")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.of("x", List.of("ok", "\uD83D"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.of("odd")).isInstanceOf(ValidationException.class);
    }

    @Test
    @DisplayName("JSON text parses to the same normalised values the builders give, and writes back to equal text")
    void parsedAndBuiltValuesAgree() {
        JsonObject parsed = JsonObject.parse("{\"int\":42,\"fraction\":1.50,\"whole\":2.0,\"tenth\":0.1,"
                + "\"huge\":1e30,\"negZero\":-0.0,\"big\":9223372036854775808,\"nothing\":null,\"t\":true,"
                + "\"nested\":{\"a\":[1,2.50,{}]},\"k.e.y\":\"v\",\"$k\":\"\\u00e9\\ud83c\\udf89\"}");
        JsonObject built = JsonObject.from(Map.of("int", 42, "fraction", new BigDecimal("1.50"),
                "whole", new BigDecimal("2.0"), "tenth", 0.1, "huge", new BigDecimal("1e30"), "negZero", -0.0,
                "big", new BigInteger("9223372036854775808"), "t", true,
                "nested", Map.of("a", List.of(1, new BigDecimal("2.50"), Map.of())), "k.e.y", "v"))
                .with("nothing", null).with("$k", "é🎉");

        assertSameJson(parsed, built);
        assertSameJson(JsonObject.parse(built.toJson()), built);

        user(USER);
        store.users().update(USER, u -> u.withProfile(parsed));
        assertSameJson(store.users().get(USER).orElseThrow().profile(), built);
    }

    @Test
    @DisplayName("Many members and long strings round-trip through the store and export")
    void largeValuesRoundTrip() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < 2000; i++) {
            m.put("key-" + i, i % 3 == 0 ? "value " + i : i % 3 == 1 ? (Object) (long) i : new BigDecimal(i + ".5"));
        }
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(Map.of("index", i));
        }
        m.put("items", items);
        m.put("long", "ü".repeat(100_000));
        JsonObject value = JsonObject.from(m);

        for (JsonField field : JsonField.values()) {
            write(store, field, value);
            assertSameJson(read(store, field), value);
        }
        ChatStore target = open(b -> { });
        ExportImportContract.importText(target, ExportImportContract.exportText(store));
        for (JsonField field : JsonField.values()) {
            JsonObject back = read(target, field);
            if (!back.equals(value)) {
                fail("field %s did not survive export and import", field);
            }
        }
    }
}
