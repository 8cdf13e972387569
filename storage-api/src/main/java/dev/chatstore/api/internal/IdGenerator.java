package dev.chatstore.api.internal;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Generated IDs: the seeds' readable forms with a random suffix so that two created in the same second never
 * collide ({@code chat_session_20261122_133000_k3j9x2qa7m}), and time-ordered message IDs (ULID: 48-bit
 * millisecond time and 80 random bits in Crockford base32, monotonic within one generator).
 */
public final class IdGenerator {

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final char[] LOWER = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final int SUFFIX_CHARS = 10; // 50 random bits

    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private final long[] lastRandom = new long[2]; // high 16 bits, low 64 bits of the 80-bit random part

    public String sessionId(Instant now) {
        return "chat_session_" + STAMP.format(now) + "_" + suffix();
    }

    public String panelId(Instant now) {
        return "panel_" + STAMP.format(now) + "_" + suffix();
    }

    public String insightId(Instant now) {
        return "insight_" + STAMP.format(now) + "_" + suffix();
    }

    /** A 26-character ULID; IDs from one generator sort in creation order even within one millisecond. */
    public synchronized String messageId(Instant now) {
        long millis = Math.max(0, now.toEpochMilli());
        if (millis <= lastMillis) {
            millis = lastMillis;
            // increment the 80-bit random part; on overflow move to the next millisecond
            lastRandom[1]++;
            if (lastRandom[1] == 0) {
                lastRandom[0] = (lastRandom[0] + 1) & 0xFFFF;
                if (lastRandom[0] == 0) {
                    millis++;
                }
            }
        } else {
            lastRandom[0] = random.nextInt() & 0xFFFF;
            lastRandom[1] = random.nextLong();
        }
        lastMillis = millis;
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (millis & 31)];
            millis >>>= 5;
        }
        long hi = lastRandom[0];
        long lo = lastRandom[1];
        // 80 bits = 16 chars of 5 bits; take them from (hi:16 | lo:64)
        for (int i = 25; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo = (lo >>> 5) | ((hi & 31) << 59);
            hi >>>= 5;
        }
        return new String(out);
    }

    private String suffix() {
        char[] out = new char[SUFFIX_CHARS];
        for (int i = 0; i < out.length; i++) {
            out[i] = LOWER[random.nextInt(32)];
        }
        return new String(out);
    }
}
