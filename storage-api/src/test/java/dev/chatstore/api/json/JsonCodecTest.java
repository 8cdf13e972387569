package dev.chatstore.api.json;

import dev.chatstore.api.error.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class JsonCodecTest {

    static Stream<Arguments> parsedNumbers() {
        return Stream.of(
                arguments("0", 0L),
                arguments("-0", 0L),
                arguments("-0.0", 0L),
                arguments("0e5", 0L),
                arguments("42", 42L),
                arguments("-42", -42L),
                arguments("1.50", new BigDecimal("1.5")),
                arguments("2.0", 2L),
                arguments("2.5e1", 25L),
                arguments("1E2", 100L),
                arguments("1e+2", 100L),
                arguments("1.5e-10", new BigDecimal("1.5E-10")),
                arguments("9223372036854775807", Long.MAX_VALUE),
                arguments("-9223372036854775808", Long.MIN_VALUE),
                arguments("9223372036854775808", new BigDecimal("9223372036854775808")),
                arguments("1e20", new BigDecimal("100000000000000000000")),
                arguments("0.1", new BigDecimal("0.1")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource
    void parsedNumbers(String text, Number expected) {
        Object value = JsonCodec.parse(text);
        assertThat(value).isInstanceOf(expected.getClass()).isEqualTo(expected);
        // and the written form parses back to the same value
        assertThat(JsonObject.parse(JsonObject.of("n", value).toJson()).members().get("n")).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-", "1.", ".5", "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity", "1.2.3", "--1"})
    void malformedNumbersAreRejected(String text) {
        assertThatThrownBy(() -> JsonCodec.parse(text)).isInstanceOf(ValidationException.class);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void hugeExponentsAreRejectedWithoutHanging() {
        for (String text : List.of("1e999999", "1e-999999", "-1E999999999", "1e2147483648", "1e-2147483649", "1e1001", "1.5e1002")) {
            assertThatThrownBy(() -> JsonCodec.parse(text)).as(text).isInstanceOf(ValidationException.class);
        }
        assertThat(JsonCodec.parse("0e999999999")).isEqualTo(0L);
        assertThat(JsonCodec.parse("1.5e1001")).as("15 followed by 1000 zeros is still in range").isInstanceOf(BigDecimal.class);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void hugeDigitStringsAreRejectedWithoutHanging() {
        // BigDecimal parsing and stripping trailing zeros are quadratic in the number of digits
        assertThatThrownBy(() -> JsonCodec.parse("1" + "0".repeat(1_000_000))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonCodec.parse("7".repeat(1_000_000))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonCodec.parse("0." + "3".repeat(1_000_000))).isInstanceOf(ValidationException.class);
    }

    @Test
    void theLargestAcceptedNumbersRoundTrip() {
        // 1000 significant digits shifted by the largest exponent: written as 2000 digits, which must parse back
        BigDecimal widest = new BigDecimal(new java.math.BigInteger("9".repeat(JsonObject.MAX_NUMBER_SCALE)),
                -JsonObject.MAX_NUMBER_SCALE);
        JsonObject o = JsonObject.of("n", widest);
        assertThat(JsonObject.parse(o.toJson())).isEqualTo(o);
        JsonObject tiny = JsonObject.of("n", new BigDecimal("1E-1000"));
        assertThat(JsonObject.parse(tiny.toJson())).isEqualTo(tiny);
    }

    @Test
    void literalsAndStructure() {
        assertThat(JsonCodec.parse(" true ")).isEqualTo(true);
        assertThat(JsonCodec.parse("false")).isEqualTo(false);
        assertThat(JsonCodec.parse("null")).isNull();
        assertThat(JsonCodec.parse("[1, \"a\", [], {}]")).isEqualTo(List.of(1L, "a", List.of(), JsonObject.empty()));
        assertThat(JsonObject.parse("\r\n\t{ \"a\" : [ 1 , 2 ] }  ")).isEqualTo(JsonObject.of("a", List.of(1, 2)));
        assertThatThrownBy(() -> JsonCodec.parseObject("[1]")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("expected a JSON object, found an array");
        assertThatThrownBy(() -> JsonCodec.parse(null)).isInstanceOf(ValidationException.class);
    }

    static Stream<Arguments> errorOffsets() {
        return Stream.of(
                arguments("", "unexpected end of input at offset 0"),
                arguments("{\"a\":1,}", "expected a string key at offset 7"),
                arguments("{\"a\":1} x", "unexpected trailing content at offset 8"),
                arguments("{\"a\" 1}", "expected ':' at offset 5"),
                arguments("{\"a\":1 \"b\":2}", "expected ',' or '}' at offset 7"),
                arguments("[1 2]", "expected ',' or ']' at offset 3"),
                arguments("{\"a\":tru}", "invalid literal at offset 5"),
                arguments("{\"a\":\"x", "unterminated string at offset 7"),
                arguments("{\"a\":@}", "unexpected character '@' at offset 5"),
                arguments("{\"a\":\"\\q\"}", "invalid escape '\\q' at offset 8"),
                arguments("{\"a\":\"x\ny\"}", "unescaped control character in string at offset 7"),
                arguments("{\"a\":1,\"a\":2}", "duplicate key \"a\" at offset 12"),
                arguments("{'a':1}", "expected a string key at offset 1"),
                arguments("{\"a\":[1,]}", "unexpected character ']' at offset 8"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource
    void errorOffsets(String text, String message) {
        assertThatThrownBy(() -> JsonCodec.parse(text))
                .isInstanceOf(ValidationException.class)
                .hasMessage("json: " + message);
    }

    @Test
    void duplicateKeysAreRejectedAtAnyDepth() {
        assertThatThrownBy(() -> JsonCodec.parse("{\"o\":{\"k\":1,\"k\":1}}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("duplicate key \"k\"");
        // keys that differ only after unescaping are the same key
        assertThatThrownBy(() -> JsonCodec.parse("{\"k\":1,\"\\u006b\":2}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("duplicate key");
    }

    @Test
    void stringEscapesRoundTrip() {
        String nasty = "quote \" backslash \\ slash / nl \n cr \r tab \t bs \b ff \f nul \u0000 unit \u001f del \u007f"
                + " ls \u2028 ps \u2029 emoji \uD83D\uDE00 hebrew שלום combining e\u0301";
        JsonObject o = JsonObject.of(nasty, nasty);
        String text = o.toJson();
        assertThat(text).doesNotContain("\u0000", "\n", "\r", "\u2028", "\u2029", "\u007f");
        assertThat(text).contains("\\u0000", "\\n", "\\u2028", "\\u2029", "\\u007f", "\\\"", "\\\\", "\uD83D\uDE00");
        assertThat(JsonObject.parse(text)).isEqualTo(o);
        assertThat(JsonObject.parse(text).members().keySet()).containsExactly(nasty);
    }

    @Test
    void escapesAreDecoded() {
        assertThat(JsonCodec.parse("\"\\u0041\\u00e9\\u20AC\\/\\\"\"")).isEqualTo("Aé€/\"");
        assertThat(JsonCodec.parse("\"\\ud83d\\ude00\"")).isEqualTo("\uD83D\uDE00");
        assertThat(JsonCodec.parse("\"\\uD83D\uDE00\"")).as("escaped high, raw low").isEqualTo("\uD83D\uDE00");
        assertThat(JsonCodec.parse("\"\\u0000\"")).isEqualTo("\u0000");
        assertThat(JsonCodec.parse("\"\u2028\"")).as("raw U+2028 is legal JSON").isEqualTo("\u2028");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\u12\"", "\"\\u12G4\"", "\"\\u+041\"", "\"\\u-041\"", "\"\\u 041\"", "\"\\u０041\"", "\"\\u"})
    void malformedUnicodeEscapesAreRejected(String text) {
        assertThatThrownBy(() -> JsonCodec.parse(text)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("escape");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\ud800\"", "\"\\udc00\"", "\"a\\ud83d\"", "\"\\ude00\\ud83d\"", "\"\\ud83d x\"",
            "{\"\\ud800\":1}", "{\"k\":[\"\\udfff\"]}"})
    void escapedUnpairedSurrogatesAreRejected(String text) {
        assertThatThrownBy(() -> JsonCodec.parse(text)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("unpaired surrogate");
    }

    @Test
    void rawUnpairedSurrogatesAreRejected() {
        assertThatThrownBy(() -> JsonCodec.parse("\"\uD800\"")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JsonCodec.parse("{\"\uDC00\":1}")).isInstanceOf(ValidationException.class);
    }

    @Test
    void depthLimitWhenParsing() {
        String ok = "{\"a\":".repeat(JsonObject.MAX_DEPTH - 1) + "{}" + "}".repeat(JsonObject.MAX_DEPTH - 1);
        assertThat(JsonObject.parse(ok)).isEqualTo(JsonObjectTest.nestedObjects(JsonObject.MAX_DEPTH));
        String tooDeep = "{\"a\":" + ok + "}";
        assertThatThrownBy(() -> JsonObject.parse(tooDeep)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("nesting deeper than 64 levels at offset");
        String arrays = "[".repeat(JsonObject.MAX_DEPTH + 1) + "]".repeat(JsonObject.MAX_DEPTH + 1);
        assertThatThrownBy(() -> JsonCodec.parse(arrays)).isInstanceOf(ValidationException.class);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void veryDeepInputFailsCleanlyWithoutStackOverflow() {
        String deep = "[".repeat(200_000);
        assertThatThrownBy(() -> JsonCodec.parse(deep)).isInstanceOf(ValidationException.class);
        String deepObjects = "{\"a\":".repeat(200_000);
        assertThatThrownBy(() -> JsonCodec.parse(deepObjects)).isInstanceOf(ValidationException.class);
    }

    @Test
    void writeValueHandlesEveryModelType() {
        StringBuilder out = new StringBuilder();
        JsonCodec.writeValue(out, List.of(1, 2.5, "s", true, Map.of("k", 1)));
        assertThat(out.toString()).isEqualTo("[1,2.5,\"s\",true,{\"k\":1}]");
        assertThatThrownBy(() -> JsonCodec.writeValue(new StringBuilder(), new Object()))
                .isInstanceOf(ValidationException.class);
        assertThat(JsonCodec.quote("a\"b")).isEqualTo("\"a\\\"b\"");
    }

    @Test
    void firstUnpairedSurrogate() {
        assertThat(JsonCodec.firstUnpairedSurrogate("plain")).isEqualTo(-1);
        assertThat(JsonCodec.firstUnpairedSurrogate("\uD83D\uDE00\uD83D\uDE00")).isEqualTo(-1);
        assertThat(JsonCodec.firstUnpairedSurrogate("ab\uD83D")).isEqualTo(2);
        assertThat(JsonCodec.firstUnpairedSurrogate("ab\uDE00\uD83D")).isEqualTo(2);
        assertThat(JsonCodec.firstUnpairedSurrogate("\uD83D\uD83D\uDE00")).isEqualTo(0);
    }
}
