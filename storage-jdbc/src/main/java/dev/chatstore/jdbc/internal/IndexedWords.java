package dev.chatstore.jdbc.internal;

import dev.chatstore.api.spi.TextSearch;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the native full-text indexes hold, computed with the API's own tokenizer ({@link TextSearch}), so the
 * candidates they return are always a superset of the exact answer (the backend still filters every
 * candidate with {@link TextSearch#matches}).
 *
 * <p>Neither native tokenizer is used on the text itself, because neither splits words as the API does:
 * PostgreSQL's parser keeps {@code alice@example.com}, {@code file.txt} and URLs as single tokens (so the
 * word {@code alice} would not be found), and SQLite's unicode61 splits at combining marks and knows only
 * Unicode 6.1 letters. Instead the backend splits the text into the API's words (NFC, lower case, all
 * lengths) and stores those:
 * <ul>
 *   <li>PostgreSQL: as lexemes of a {@code tsvector} column built with {@code array_to_tsvector} (no
 *       parser, no stemming: the {@code simple} configuration's behaviour, exactly), GIN-indexed, queried
 *       with a {@code tsquery} of quoted lexemes. A message whose words do not fit a tsvector (a word over
 *       2 KB, or about 1 MB of distinct words) gets a NULL vector and is always a candidate; a query word
 *       over 2 KB makes the search scan the user's messages.</li>
 *   <li>SQLite: as FTS5 tokens, each word written as itself when it is plain ASCII letters and digits and
 *       otherwise as {@code x} followed by the hex of its UTF-8 bytes, so FTS5's ASCII tokenizer can never
 *       split or fold it differently from the API. (A hex form can equal a plain word; that only adds a
 *       candidate, which the filter drops.)</li>
 * </ul>
 */
final class IndexedWords {

    /** PostgreSQL's limit on one lexeme is 2047 bytes; stay clear of it. */
    static final int MAX_LEXEME_BYTES = 2000;
    /** PostgreSQL's limit on a tsvector is 1 MiB; leave room for the per-lexeme overhead. */
    private static final int MAX_VECTOR_BYTES = 900_000;
    private static final Pattern PLAIN = Pattern.compile("[a-z0-9]+");

    private IndexedWords() {
    }

    /** The message's distinct words, of every length. */
    static List<String> words(String content) {
        return TextSearch.words(content, 1);
    }

    /** The lexemes for PostgreSQL, or null when they cannot all fit a tsvector (the row is then always a candidate). */
    static String[] lexemes(String content) {
        List<String> words = words(content);
        long total = 0;
        for (String w : words) {
            int bytes = w.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_LEXEME_BYTES) {
                return null;
            }
            total += bytes + 8;
        }
        return total > MAX_VECTOR_BYTES ? null : words.toArray(String[]::new);
    }

    /**
     * The lexemes as one space-separated string, for {@code array_to_tsvector(string_to_array(?, ' '))}, or
     * null like {@link #lexemes}. A word is a run of letters and digits, so it never holds a space; one
     * string binds and travels more cheaply than a {@code text[]}.
     */
    static String lexemeText(String content) {
        String[] lexemes = lexemes(content);
        return lexemes == null ? null : String.join(" ", lexemes);
    }

    /** Whether every query word can be a lexeme; if not, the search scans instead. */
    static boolean indexable(List<String> queryWords) {
        for (String w : queryWords) {
            if (w.getBytes(StandardCharsets.UTF_8).length > MAX_LEXEME_BYTES) {
                return false;
            }
        }
        return true;
    }

    /** A tsquery requiring every word: {@code 'w1' & 'w2'} (words never contain quotes or backslashes). */
    static String tsquery(List<String> queryWords) {
        StringBuilder q = new StringBuilder();
        for (String w : queryWords) {
            if (q.length() > 0) {
                q.append(" & ");
            }
            q.append('\'').append(w.replace("'", "''").replace("\\", "\\\\")).append('\'');
        }
        return q.toString();
    }

    /** The FTS5 token of a word. */
    static String token(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "x" + HexFormat.of().formatHex(word.getBytes(StandardCharsets.UTF_8));
    }

    /** The FTS5 document of a message: its tokens separated by spaces. */
    static String ftsDocument(String content) {
        StringBuilder out = new StringBuilder();
        for (String w : words(content)) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(token(w));
        }
        return out.toString();
    }

    /** An FTS5 query requiring every word (tokens are ASCII letters and digits, quoted as phrases). */
    static String ftsQuery(List<String> queryWords) {
        StringBuilder q = new StringBuilder();
        for (String w : queryWords) {
            if (q.length() > 0) {
                q.append(" AND ");
            }
            q.append('"').append(token(w)).append('"');
        }
        return q.toString();
    }
}
