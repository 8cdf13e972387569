package dev.chatstore.flatfile.internal;

import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Usage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The append path's encoder writes exactly the bytes of the Jackson tree it replaces. */
class RecordWriterTest {

    private static final String[] PIECES = {"a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0000",
        "\u0001", "\u001f", "\u007f", "\u0080", "é", "ß", "\u07ff", "\u0800", "中文", "\u2028", "\u2029", "\ufeff",
        "\uffff", "😀", "\uD800\uDC00", "\uDBFF\uDFFF", "<", ">", "&", "'", "{}", "[]", "12", "\uD800", "\uDFFF"};

    private static String text(Random r, int max) {
        return text(r, max, PIECES.length);
    }

    /** Metadata refuses unpaired surrogates, the last two pieces. */
    private static String metaText(Random r, int max) {
        return text(r, max, PIECES.length - 2);
    }

    private static String text(Random r, int max, int pieces) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            b.append(PIECES[r.nextInt(pieces)]);
        }
        return b.toString();
    }

    private static Instant instant(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> Instant.ofEpochMilli(r.nextLong() % 253_402_300_799_000L);
            case 1 -> Instant.ofEpochSecond(Math.floorMod(r.nextLong(), 253_402_300_800L) - 62_167_219_200L,
                    r.nextInt(1_000_000_000));
            case 2 -> Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(1000) * 1000);
            case 3 -> Instant.ofEpochSecond(r.nextInt(2_000_000_000));
            case 4 -> Instant.ofEpochMilli(1_700_000_000_000L + r.nextInt(1_000_000_000));
            default -> Instant.ofEpochSecond(r.nextBoolean() ? 253_402_300_800L + r.nextInt(1000)
                    : -62_167_219_200L - 1 - r.nextInt(1000), r.nextInt(3) * 1_000_000);
        };
    }

    private static Message message(Random r) {
        List<String> attachments = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            attachments.add(text(r, 5));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            meta.put(metaText(r, 3), r.nextBoolean() ? metaText(r, 4) : (Object) (long) r.nextInt());
        }
        Optional<Usage> usage = r.nextBoolean() ? Optional.empty() : Optional.of(new Usage(r.nextLong(),
                r.nextInt(100_000), switch (r.nextInt(4)) {
                    case 0 -> new BigDecimal("0.0042");
                    case 1 -> new BigDecimal("1E+3");
                    case 2 -> BigDecimal.valueOf(r.nextLong(), r.nextInt(20) - 5);
                    default -> BigDecimal.ZERO;
                }, text(r, 3)));
        return new Message(text(r, 8), text(r, 8), Math.abs(r.nextLong()), text(r, 3), text(r, 60), instant(r),
                attachments, JsonObject.from(meta), usage, r.nextBoolean() ? Optional.empty() : Optional.of(text(r, 4)),
                r.nextBoolean() ? Optional.empty() : Optional.of(text(r, 4)));
    }

    @Test
    void sameBytesAsTheJacksonTree() {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Message m = message(r);
            byte[] expected = LogLines.encodeWithTree(m);
            byte[] actual = LogLines.encode(m);
            if (!java.util.Arrays.equals(expected, actual)) {
                assertEquals(new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8),
                        "message " + i);
            }
            assertArrayEquals(expected, actual);
        }
    }

    @Test
    void unpairedSurrogatesAreWrittenAsTheTreeWritesThem() {
        Message m = new Message("id", "s", 1, "user", "x\uD800y", Instant.ofEpochMilli(0), List.of(), JsonObject.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        assertArrayEquals(LogLines.encodeWithTree(m), LogLines.encode(m));
    }

    @Test
    void instantsMatchInstantToString() {
        Random r = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            Instant t = instant(r);
            String s = t.toString();
            Message m = new Message("i", "s", 1, "user", "", t, List.of(), JsonObject.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
            byte[] b = RecordWriter.body(m);
            if (b == null) {
                continue; // a year outside 0..9999: the tree writes it
            }
            String json = new String(b, StandardCharsets.UTF_8);
            assertEquals(s, json.substring(json.indexOf("\"createdAt\":\"") + 13, json.indexOf("\",\"content\"")));
        }
    }
}
