package dev.chatstore.api.json;

import dev.chatstore.api.error.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class JsonObjectTest {

    static Stream<Arguments> numberNormalisation() {
        return Stream.of(
                arguments("Integer", 42, 42L),
                arguments("Short", (short) -7, -7L),
                arguments("Byte", (byte) 1, 1L),
                arguments("Long", Long.MAX_VALUE, Long.MAX_VALUE),
                arguments("Long.MIN_VALUE", Long.MIN_VALUE, Long.MIN_VALUE),
                arguments("1.50 loses its trailing zero", new BigDecimal("1.50"), new BigDecimal("1.5")),
                arguments("2.0 is an integer", new BigDecimal("2.0"), 2L),
                arguments("2E+3 is an integer", new BigDecimal("2E+3"), 2000L),
                arguments("BigInteger that fits a long", BigInteger.valueOf(12), 12L),
                arguments("BigInteger beyond long", new BigInteger("9223372036854775808"), new BigDecimal("9223372036854775808")),
                arguments("negative BigInteger beyond long", new BigInteger("-9223372036854775809"),
                        new BigDecimal("-9223372036854775809")),
                arguments("double 0.1", 0.1d, new BigDecimal("0.1")),
                arguments("double 3.0", 3.0d, 3L),
                arguments("double 1e300", 1e300d, new BigDecimal("1E+300").setScale(0)),
                arguments("float 0.1", 0.1f, new BigDecimal("0.1")),
                arguments("double -0.0", -0.0d, 0L),
                arguments("BigDecimal -0.000", new BigDecimal("-0.000"), 0L),
                arguments("BigDecimal 0E+5", new BigDecimal("0E+5"), 0L),
                arguments("AtomicLong (other Number)", new AtomicLong(5), 5L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void numberNormalisation(String description, Number input, Number expected) {
        Object normalised = JsonObject.of("n", input).members().get("n");
        assertThat(normalised).isInstanceOf(expected.getClass()).isEqualTo(expected);
        if (normalised instanceof BigDecimal d) {
            assertThat(d.scale()).as("canonical scale").isEqualTo(((BigDecimal) expected).scale());
        }
    }

    @Test
    void integersBeyondLongStayIntegralBigDecimals() {
        BigDecimal big = (BigDecimal) JsonObject.of("n", new BigInteger("123456789012345678901234567890")).members().get("n");
        assertThat(big.scale()).isZero();
        assertThat(big.toBigIntegerExact()).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(JsonObject.of("n", big).toJson()).isEqualTo("{\"n\":123456789012345678901234567890}");
    }

    @Test
    void nanAndInfinitiesAreRejected() {
        for (Number n : List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.NaN)) {
            assertThatThrownBy(() -> JsonObject.of("n", n))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("'n'");
        }
    }

    @Test
    void numbersBeyondTheScaleLimitAreRejected() {
        assertThatThrownBy(() -> JsonObject.of("n", new BigDecimal("1E+1001"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.of("n", new BigDecimal("1E-1001"))).isInstanceOf(ValidationException.class);
        assertThat(JsonObject.of("n", new BigDecimal("1E+1000")).members().get("n")).isInstanceOf(BigDecimal.class);
    }

    @Test
    void nestedCollectionsAreNormalisedAndUnmodifiable() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("x", 1);
        List<Object> list = new ArrayList<>(List.of(1, "two", 3.0));
        JsonObject o = JsonObject.from(Map.of("inner", inner, "list", list, "array", new Object[]{(short) 4}, "set", Set.of(5)));
        assertThat(o.getObject("inner")).contains(JsonObject.of("x", 1L));
        assertThat(o.members().get("list")).isEqualTo(List.of(1L, "two", 3L));
        assertThat(o.members().get("array")).isEqualTo(List.of(4L));
        assertThat(o.members().get("set")).isEqualTo(List.of(5L));
        @SuppressWarnings("unchecked")
        List<Object> normalisedList = (List<Object>) o.members().get("list");
        assertThatThrownBy(() -> normalisedList.add(4L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> o.members().put("y", 1L)).isInstanceOf(UnsupportedOperationException.class);
        // the caller's collections are copied, not wrapped
        inner.put("x", 2);
        list.add(9);
        assertThat(o.getObject("inner").orElseThrow().members().get("x")).isEqualTo(1L);
        assertThat((List<?>) o.members().get("list")).hasSize(3);
    }

    @Test
    void jsonNullMembersArePresentButEmptyThroughGet() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nothing", null);
        JsonObject o = JsonObject.from(m);
        assertThat(o.has("nothing")).isTrue();
        assertThat(o.get("nothing")).isEmpty();
        assertThat(o.toJson()).isEqualTo("{\"nothing\":null}");
    }

    @Test
    void unsupportedValuesAndKeysAreRejected() {
        assertThatThrownBy(() -> JsonObject.of("when", java.time.Instant.EPOCH))
                .isInstanceOf(ValidationException.class).hasMessageContaining("unsupported type");
        assertThatThrownBy(() -> JsonObject.of("odd")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.of(1, "x")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.of("m", Map.of(1, "x")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("keys must be strings");
        assertThatThrownBy(() -> new JsonObject(null)).isInstanceOf(ValidationException.class);
        Map<String, Object> nullKey = new LinkedHashMap<>();
        nullKey.put(null, 1);
        assertThatThrownBy(() -> JsonObject.from(nullKey)).isInstanceOf(ValidationException.class);
    }

    @Test
    void unpairedSurrogatesAreRejectedInValuesAndKeys() {
        assertThatThrownBy(() -> JsonObject.of("k", "a\uD800b")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> JsonObject.of("k", "\uDC00")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.of("k", List.of("ok", "\uD83D"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonObject.of("bad\uDFFFkey", 1)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("key");
        assertThat(JsonObject.of("emoji \uD83D\uDE00", "\uD83D\uDE00").toJson()).isEqualTo("{\"emoji 😀\":\"😀\"}");
    }

    @Test
    void equalityIgnoresMemberOrderButKeepsItForDisplay() {
        JsonObject ab = JsonObject.of("a", 1, "b", JsonObject.of("x", true, "y", false));
        JsonObject ba = JsonObject.of("b", JsonObject.of("y", false, "x", true), "a", 1L);
        assertThat(ab).isEqualTo(ba).hasSameHashCodeAs(ba);
        assertThat(ab.toJson()).isEqualTo("{\"a\":1,\"b\":{\"x\":true,\"y\":false}}");
        assertThat(ba.toJson()).isEqualTo("{\"b\":{\"y\":false,\"x\":true},\"a\":1}");
        assertThat(JsonObject.of("l", List.of(1, 2))).isNotEqualTo(JsonObject.of("l", List.of(2, 1)));
        assertThat(JsonObject.of("n", 1)).isEqualTo(JsonObject.of("n", new BigDecimal("1.000")));
    }

    @Test
    void copyOperationsLeaveTheOriginalAlone() {
        JsonObject o = JsonObject.of("a", 1);
        JsonObject with = o.with("b", 2);
        assertThat(o).isEqualTo(JsonObject.of("a", 1));
        assertThat(with).isEqualTo(JsonObject.of("a", 1, "b", 2));
        assertThat(with.without("a")).isEqualTo(JsonObject.of("b", 2));
        assertThat(o.without("zzz")).isSameAs(o);
        assertThat(o.merge(JsonObject.of("a", "x", "c", 3))).isEqualTo(JsonObject.of("a", "x", "c", 3));
        assertThat(JsonObject.empty().isEmpty()).isTrue();
        assertThat(JsonObject.of("s", "v").getString("s")).contains("v");
        assertThat(JsonObject.of("s", 1).getString("s")).isEmpty();
    }

    @Test
    void nestingIsLimitedToMaxDepthWhenBuiltFromMaps() {
        assertThat(nestedMaps(JsonObject.MAX_DEPTH)).isNotNull();
        assertThatThrownBy(() -> nestedMaps(JsonObject.MAX_DEPTH + 1))
                .isInstanceOf(ValidationException.class).hasMessageContaining("nesting deeper than 64");
    }

    @Test
    void theDeepestLegalObjectRoundTripsThroughText() {
        // composing JsonObjects may go deeper (export records wrap fields); ChatStore's Validator.json checks fields
        JsonObject deepest = nestedObjects(JsonObject.MAX_DEPTH);
        assertThat(JsonObject.parse(deepest.toJson())).isEqualTo(deepest);
        JsonObject deepestWithList = JsonObject.of("a", List.of(nestedObjects(JsonObject.MAX_DEPTH - 2)));
        assertThat(JsonObject.parse(deepestWithList.toJson())).isEqualTo(deepestWithList);
    }

    @Test
    void nestingIsLimitedToMaxDepthForLists() {
        Object list = "x";
        for (int i = 0; i < JsonObject.MAX_DEPTH - 1; i++) {
            list = List.of(list);
        }
        Object legal = list;
        assertThat(JsonObject.parse(JsonObject.of("l", legal).toJson())).isEqualTo(JsonObject.of("l", legal));
        assertThatThrownBy(() -> JsonObject.of("l", List.of(legal))).isInstanceOf(ValidationException.class);
    }

    /** An object {@code levels} deep built from plain maps: {"a":{"a":...{}}}. */
    private static JsonObject nestedMaps(int levels) {
        Map<String, Object> current = new LinkedHashMap<>();
        for (int i = 1; i < levels; i++) {
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put("a", current);
            current = outer;
        }
        return JsonObject.from(current);
    }

    /** An object {@code levels} deep built by wrapping JsonObjects. */
    static JsonObject nestedObjects(int levels) {
        JsonObject current = JsonObject.empty();
        for (int i = 1; i < levels; i++) {
            current = JsonObject.of("a", current);
        }
        return current;
    }
}
