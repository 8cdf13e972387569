package dev.chatstore.api.internal;

import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "0", "alice", "User_1", "a.b", "a-b", "a..b", "a_", "9.9.9", "chat_session_20261122_133000_k3j9x2qa7m",
            "01ARZ3NDEKTSV4RRFFQ69G5FAV"})
    void validIds(String id) {
        assertThat(Validator.id("userId", id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", ".hidden", "-x", "_x", "a/b", "/", "a\\b", "a b", " a", "a ", "a\u0000", "\u0000",
            "a\n", "é", "a:b", "a*", "user@example", "日本", "a\uD83D\uDE00", "../etc"})
    void invalidIds(String id) {
        assertThatThrownBy(() -> Validator.id("userId", id))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("userId: ")
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("userId"));
    }

    @Test
    void idLengthIsAtMost128() {
        assertThat(Validator.id("id", "a".repeat(128))).hasSize(128);
        assertThatThrownBy(() -> Validator.id("id", "a".repeat(129))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Validator.id("id", null)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("must not be null");
    }

    @Test
    void idErrorsShowControlCharactersEscaped() {
        assertThatThrownBy(() -> Validator.id("sessionId", "bad\u0000id"))
                .hasMessageContaining("bad\\u0000id")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"report.pdf", "a", "notes v2.md", "日本語.txt", "emoji \uD83D\uDE00.png", ".env", "..hidden", "a..b",
            "résumé.pdf"})
    void validDocumentNames(String name) {
        assertThat(Validator.documentName("name", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "/etc/passwd", "..\\x", "a\\b", " lead", "trail ", "\tx", "a\u0000b", "a\nb",
            "a\u007fb", "a\u0085b", "bad\uD800"})
    void invalidDocumentNames(String name) {
        assertThatThrownBy(() -> Validator.documentName("name", name)).isInstanceOf(ValidationException.class);
    }

    @Test
    void documentNameLength() {
        assertThat(Validator.documentName("name", "a".repeat(Validator.MAX_DOCUMENT_NAME))).isNotNull();
        assertThatThrownBy(() -> Validator.documentName("name", "a".repeat(Validator.MAX_DOCUMENT_NAME + 1)))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Validator.documentName("name", null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void textAcceptsAnyValidUnicodeAndRejectsUnpairedSurrogates() {
        String any = "\u0000 nul, \u202Eright-to-left\u202C, e\u0301, \uD83D\uDC69\u200D\uD83D\uDCBB, \u2028";
        assertThat(Validator.text("content", any)).isSameAs(any);
        assertThatThrownBy(() -> Validator.text("content", "x\uDC00"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("unpaired surrogate at index 1");
        assertThatThrownBy(() -> Validator.text("content", null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void labelLength() {
        assertThat(Validator.label("title", "t".repeat(Validator.MAX_LABEL))).hasSize(Validator.MAX_LABEL);
        assertThatThrownBy(() -> Validator.label("title", "t".repeat(Validator.MAX_LABEL + 1)))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void utf8LengthMatchesTheJdkEncoderOnRandomValidStrings() {
        Random random = new Random(20261122L);
        for (int round = 0; round < 2_000; round++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                sb.appendCodePoint(randomScalarValue(random));
            }
            String s = sb.toString();
            assertThat(Validator.utf8Length(s))
                    .as("utf8Length of %s", s.codePoints().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void utf8LengthBoundaries() {
        assertThat(Validator.utf8Length("")).isZero();
        assertThat(Validator.utf8Length("\u007f")).isEqualTo(1);
        assertThat(Validator.utf8Length("\u0080")).isEqualTo(2);
        assertThat(Validator.utf8Length("\u07ff")).isEqualTo(2);
        assertThat(Validator.utf8Length("\u0800")).isEqualTo(3);
        assertThat(Validator.utf8Length("\uffff")).isEqualTo(3);
        assertThat(Validator.utf8Length("\uD800\uDC00")).isEqualTo(4);
        assertThat(Validator.utf8Length("\uDBFF\uDFFF")).isEqualTo(4);
        // a lone surrogate would be encoded as three bytes (CESU-style); the JDK writes '?' instead, so the
        // API rejects such text before it is measured
        assertThat(Validator.utf8Length("\uD800")).isEqualTo(3);
    }

    /** Any Unicode scalar value, biased towards the boundaries of the UTF-8 byte lengths. */
    private static int randomScalarValue(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextInt(0x80);
            case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
            case 2 -> {
                int cp = 0x800 + random.nextInt(0x10000 - 0x800 - 0x800);
                yield cp >= 0xD800 ? cp + 0x800 : cp; // skip the surrogate block
            }
            case 3 -> 0x10000 + random.nextInt(0x110000 - 0x10000);
            default -> random.nextBoolean() ? 0x1F600 + random.nextInt(80) : 0xFFF0 + random.nextInt(16);
        };
    }

    @Test
    void instantsAreTruncatedToMilliseconds() {
        Instant t = Instant.parse("2024-05-01T10:00:00.123456789Z");
        assertThat(Validator.instant("createdAt", t)).isEqualTo(Instant.parse("2024-05-01T10:00:00.123Z"));
        Instant beforeEpoch = Instant.parse("1969-12-31T23:59:59.999999Z");
        assertThat(Validator.instant("createdAt", beforeEpoch)).as("truncation goes towards the past")
                .isEqualTo(Instant.parse("1969-12-31T23:59:59.999Z"));
    }

    @Test
    void instantRange() {
        assertThat(Validator.instant("t", Validator.EARLIEST)).isEqualTo(Validator.EARLIEST);
        assertThat(Validator.instant("t", Validator.LATEST)).isEqualTo(Validator.LATEST);
        assertThat(Validator.instant("t", Validator.LATEST.plusNanos(999_999))).isEqualTo(Validator.LATEST);
        for (Instant bad : new Instant[]{Validator.EARLIEST.minusMillis(1), Validator.EARLIEST.minusNanos(1),
                Validator.LATEST.plusMillis(1), Instant.MIN, Instant.MAX}) {
            assertThatThrownBy(() -> Validator.instant("t", bad)).as(bad.toString())
                    .isInstanceOf(ValidationException.class).hasMessageContaining("outside the storable range");
        }
        assertThatThrownBy(() -> Validator.instant("t", null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void offsetsAndLimits() {
        assertThat(Validator.offset("offset", 0)).isZero();
        assertThatThrownBy(() -> Validator.offset("offset", -1)).isInstanceOf(ValidationException.class);
        assertThat(Validator.limit("limit", 1, 10)).isEqualTo(1);
        assertThat(Validator.limit("limit", 10, 10)).isEqualTo(10);
        assertThatThrownBy(() -> Validator.limit("limit", 0, 10)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Validator.limit("limit", 11, 10)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("paging.max-limit");
    }

    @Test
    void jsonFieldsAreMeasuredInUtf8Bytes() {
        JsonObject fits = JsonObject.of("k", "é".repeat(3)); // {"k":"ééé"} = 8 + 6 bytes
        assertThat(Validator.json("metadata", fits, 14)).isSameAs(fits);
        assertThatThrownBy(() -> Validator.json("metadata", fits, 13))
                .isInstanceOf(LimitExceededException.class)
                .satisfies(e -> {
                    LimitExceededException l = (LimitExceededException) e;
                    assertThat(l.limit()).isEqualTo("limits.max-json-bytes");
                    assertThat(l.allowed()).isEqualTo(13);
                    assertThat(l.actual()).isEqualTo(14);
                });
        assertThat(Validator.json("metadata", JsonObject.empty(), 0)).isEqualTo(JsonObject.empty());
        assertThatThrownBy(() -> Validator.json("metadata", null, 10)).isInstanceOf(ValidationException.class);
    }

    @Test
    void jsonFieldsNestedFromJsonObjectsAreLimitedToMaxDepth() {
        JsonObject deepest = JsonObject.empty();
        for (int level = 1; level < JsonObject.MAX_DEPTH; level++) {
            deepest = JsonObject.of("a", deepest);
        }
        assertThat(Validator.json("metadata", deepest, Integer.MAX_VALUE)).isSameAs(deepest);
        JsonObject tooDeep = JsonObject.of("a", deepest);
        assertThatThrownBy(() -> Validator.json("metadata", tooDeep, Integer.MAX_VALUE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("metadata");
        JsonObject tooDeepThroughAList = JsonObject.of("list", java.util.List.of(deepest));
        assertThatThrownBy(() -> Validator.json("metadata", tooDeepThroughAList, Integer.MAX_VALUE))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void printableEscapesAndCuts() {
        assertThat(Validator.printable("a\u0000b\uD800")).isEqualTo("a\\u0000b\\ud800");
        assertThat(Validator.printable("x".repeat(500))).startsWith("x".repeat(80)).endsWith("…(500 chars)");
    }
}
