package dev.chatstore.flatfile.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Turns IDs and document names into one safe path segment each. The result only holds {@code [a-z0-9._-]} and
 * {@code %XX} escapes (upper-case hex of the UTF-8 bytes), so it never contains a separator, never starts with a
 * dot, never differs from another name only by case (upper-case letters are escaped), is never a Windows device
 * name, and never contains {@code ~} or {@code +}, which the store keeps for its own temporary and hashed names.
 * Very long names are cut and end with {@code +} and a hash of the whole name. The real name is always kept
 * inside the JSON next to it, so the encoding never needs to be reversed.
 */
public final class FsNames {

    /** Longest segment we produce, in bytes (file systems allow 255; room is left for suffixes). */
    static final int MAX_SEGMENT = 180;

    private static final Set<String> RESERVED = Set.of("con", "prn", "aux", "nul", "com0", "com1", "com2", "com3",
            "com4", "com5", "com6", "com7", "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6",
            "lpt7", "lpt8", "lpt9", "conin$", "conout$");

    private FsNames() {
    }

    public static String encode(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length + 8);
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xff;
            boolean plain = (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '_' || b == '-'
                    || (b == '.' && i > 0 && i < utf8.length - 1);
            if (plain) {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        String encoded = out.toString();
        int dot = encoded.indexOf('.');
        String base = (dot < 0 ? encoded : encoded.substring(0, dot)).toLowerCase(Locale.ROOT);
        if (RESERVED.contains(base)) {
            encoded = "%" + String.format(Locale.ROOT, "%02X", (int) encoded.charAt(0)) + encoded.substring(1);
        }
        if (encoded.isEmpty()) {
            return "%00empty";
        }
        if (encoded.length() > MAX_SEGMENT) {
            String cut = encoded.substring(0, MAX_SEGMENT - 41);
            int pct = cut.lastIndexOf('%');
            if (pct >= 0 && pct > cut.length() - 3) {
                cut = cut.substring(0, pct);
            }
            encoded = cut + "+" + sha256(utf8).substring(0, 40);
        }
        return encoded;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
