package dev.chatstore.flatfile.internal;

import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Usage;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Writes a log record's JSON body straight into bytes, without building a Jackson tree: the append path's
 * encoder. Its output is byte for byte what {@code Json.compact(Json.message(m))} produces (same member order,
 * same escapes: {@code \b \t \n \f \r \" \\} and backslash-u-00XX with upper-case hex for the other control
 * characters, everything else as UTF-8, and {@link Instant#toString()} for timestamps); a unit test holds it to
 * that. UTF-16 surrogates are escaped one by one, as Jackson 2 does. Non-empty metadata goes through Jackson, and
 * anything unusual (a null member, a year outside 0..9999) makes {@link #body} return null so that the caller uses
 * the tree.
 */
final class RecordWriter {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** 0: as is; -1: backslash-u-00XX; otherwise the letter after the backslash. */
    private static final byte[] ESC = new byte[128];

    static {
        for (int i = 0; i < 32; i++) {
            ESC[i] = -1;
        }
        ESC['"'] = '"';
        ESC['\\'] = '\\';
        ESC['\b'] = 'b';
        ESC['\t'] = 't';
        ESC['\f'] = 'f';
        ESC['\n'] = 'n';
        ESC['\r'] = 'r';
    }

    private byte[] buf;
    private int len;

    private RecordWriter(int capacity) {
        buf = new byte[capacity];
    }

    /** The compact JSON object of the record (ending with '}'), or null if only the tree can write it. */
    static byte[] body(Message m) {
        RecordWriter w = new RecordWriter(256 + m.content().length() + m.content().length() / 4);
        return w.message(m) ? Arrays.copyOf(w.buf, w.len) : null;
    }

    private boolean message(Message m) {
        ascii("{\"seq\":");
        ascii(Long.toString(m.seq()));
        ascii(",\"id\":");
        if (!string(m.id())) {
            return false;
        }
        ascii(",\"sessionId\":");
        if (!string(m.sessionId())) {
            return false;
        }
        ascii(",\"role\":");
        if (!string(m.role())) {
            return false;
        }
        ascii(",\"createdAt\":\"");
        if (!instant(m.createdAt())) {
            return false;
        }
        ascii("\",\"content\":");
        if (!string(m.content())) {
            return false;
        }
        ascii(",\"attachments\":[");
        List<String> attachments = m.attachments();
        for (int i = 0; i < attachments.size(); i++) {
            if (i > 0) {
                put((byte) ',');
            }
            if (!string(attachments.get(i))) {
                return false;
            }
        }
        ascii("],\"metadata\":");
        if (m.metadata().members().isEmpty()) {
            ascii("{}");
        } else {
            bytes(Json.compact(Json.toNode(m.metadata())));
        }
        ascii(",\"usage\":");
        if (m.usage().isPresent()) {
            Usage u = m.usage().get();
            ascii("{\"inputTokens\":");
            ascii(Long.toString(u.inputTokens()));
            ascii(",\"outputTokens\":");
            ascii(Long.toString(u.outputTokens()));
            ascii(",\"cost\":");
            if (u.cost() == null) {
                return false;
            }
            ascii(u.cost().toString());
            ascii(",\"currency\":");
            if (!string(u.currency())) {
                return false;
            }
            put((byte) '}');
        } else {
            ascii("null");
        }
        ascii(",\"model\":");
        if (!optional(m.model())) {
            return false;
        }
        ascii(",\"provider\":");
        if (!optional(m.provider())) {
            return false;
        }
        put((byte) '}');
        return true;
    }

    private boolean optional(Optional<String> v) {
        if (v.isPresent()) {
            return string(v.get());
        }
        ascii("null");
        return true;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    /** Characters known to be ASCII and to need no escape. */
    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    /** A JSON string with its quotes; false for null (the tree writes that). */
    private boolean string(String s) {
        if (s == null) {
            return false;
        }
        int n = s.length();
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte e = ESC[c];
                if (e == 0) {
                    ensure(1);
                    buf[len++] = (byte) c;
                } else if (e > 0) {
                    ensure(2);
                    buf[len++] = '\\';
                    buf[len++] = e;
                } else {
                    ensure(6);
                    buf[len++] = '\\';
                    buf[len++] = 'u';
                    buf[len++] = '0';
                    buf[len++] = '0';
                    buf[len++] = HEX[c >> 4];
                    buf[len++] = HEX[c & 0xf];
                }
            } else if (c < 0x800) {
                ensure(2);
                buf[len++] = (byte) (0xc0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                // Jackson 2 escapes each UTF-16 surrogate on its own (paired or not), upper-case hex
                ensure(6);
                buf[len++] = '\\';
                buf[len++] = 'u';
                buf[len++] = HEX[c >> 12];
                buf[len++] = HEX[(c >> 8) & 0xf];
                buf[len++] = HEX[(c >> 4) & 0xf];
                buf[len++] = HEX[c & 0xf];
            } else {
                ensure(3);
                buf[len++] = (byte) (0xe0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        put((byte) '"');
        return true;
    }

    /** {@link Instant#toString()} for years 0..9999 (without quotes); false for other years. */
    private boolean instant(Instant t) {
        long secs = t.getEpochSecond();
        int nano = t.getNano();
        long days = Math.floorDiv(secs, 86_400L);
        int secOfDay = (int) Math.floorMod(secs, 86_400L);
        // civil from days (H. Hinnant), proleptic Gregorian as java.time
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int mo = (int) (mp < 10 ? mp + 3 : mp - 9);
        if (mo <= 2) {
            y++;
        }
        if (y < 0 || y > 9999) {
            return false;
        }
        ensure(30);
        digits((int) y, 4);
        buf[len++] = '-';
        digits(mo, 2);
        buf[len++] = '-';
        digits(d, 2);
        buf[len++] = 'T';
        digits(secOfDay / 3600, 2);
        buf[len++] = ':';
        digits(secOfDay / 60 % 60, 2);
        buf[len++] = ':';
        digits(secOfDay % 60, 2);
        if (nano != 0) {
            buf[len++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                digits(nano / 1000, 6);
            } else {
                digits(nano, 9);
            }
        }
        buf[len++] = 'Z';
        return true;
    }

    private void digits(int v, int width) {
        for (int i = width - 1; i >= 0; i--) {
            buf[len + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += width;
    }
}
