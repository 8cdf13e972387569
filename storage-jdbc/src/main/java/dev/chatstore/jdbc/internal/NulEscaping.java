package dev.chatstore.jdbc.internal;

/**
 * A reversible encoding of text for columns that cannot hold U+0000 (PostgreSQL {@code text}). U+0001 is
 * the escape character: U+0000 is stored as U+0001 U+0002 and U+0001 as U+0001 U+0001; every other
 * character is stored as itself. Both are non-word characters, so the encoded text splits into the same
 * words as the original. Text without either character (nearly all text) is stored unchanged, at the cost
 * of one scan.
 */
final class NulEscaping {

    private static final char NUL = '\u0000';
    private static final char ESC = '\u0001';
    private static final char NUL_CODE = '\u0002';

    private NulEscaping() {
    }

    static String encode(String s) {
        if (s == null || !needsEncoding(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == NUL) {
                out.append(ESC).append(NUL_CODE);
            } else if (c == ESC) {
                out.append(ESC).append(ESC);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String decode(String s) {
        if (s == null || s.indexOf(ESC) < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ESC && i + 1 < s.length()) {
                char next = s.charAt(++i);
                out.append(next == NUL_CODE ? NUL : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean needsEncoding(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == NUL || c == ESC) {
                return true;
            }
        }
        return false;
    }
}
