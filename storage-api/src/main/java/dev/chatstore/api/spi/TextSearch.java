package dev.chatstore.api.spi;

import dev.chatstore.api.model.Message;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one definition of full-text search that every backend shares. A native index (FTS5, GIN, Lucene, ...) may
 * narrow the candidates, but the final answer must be what {@link #matches} says.
 *
 * <p>Text is brought to Unicode NFC, then split into words: maximal runs of code points that are letters or
 * digits ({@link Character#isLetterOrDigit(int)}), where a combining mark (categories Mn, Mc, Me) directly
 * following such a code point stays part of the word (so {@code "cafe\u0301"} and {@code "café"} are the same
 * word, and Devanagari vowel signs do not split words). Words are lower-cased with {@link Locale#ROOT}. Words
 * shorter than the minimum length (in code points) are ignored. A text matches when every query word is one of
 * its words.
 */
public final class TextSearch {

    /** Result order: createdAt descending, then sessionId ascending, then seq descending. */
    public static final Comparator<Message> RESULT_ORDER = Comparator
            .comparing(Message::createdAt, Comparator.reverseOrder())
            .thenComparing(Message::sessionId, Orderings.CODE_POINTS)
            .thenComparing(Message::seq, Comparator.reverseOrder());

    private TextSearch() {
    }

    /** All matching messages of a scan, put in {@link #RESULT_ORDER} and cut to the first {@code limit}. */
    public static List<Message> newestFirst(List<Message> hits, int limit) {
        List<Message> sorted = new ArrayList<>(hits);
        sorted.sort(RESULT_ORDER);
        return List.copyOf(sorted.subList(0, Math.min(sorted.size(), limit)));
    }

    /** The distinct normalised words of {@code text} that are at least {@code minLength} code points long, in order. */
    public static List<String> words(String text, int minLength) {
        return new ArrayList<>(wordSet(text, minLength));
    }

    /** Whether {@code text} contains every one of {@code queryWords} (already normalised) as a whole word. */
    public static boolean matches(String text, List<String> queryWords, int minLength) {
        if (queryWords.isEmpty()) {
            return false;
        }
        return wordSet(text, minLength).containsAll(queryWords);
    }

    private static Set<String> wordSet(String text, int minLength) {
        String normalised = Normalizer.isNormalized(text, Normalizer.Form.NFC)
                ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
        Set<String> words = new LinkedHashSet<>();
        StringBuilder current = new StringBuilder();
        int codePoints = 0;
        int i = 0;
        while (i < normalised.length()) {
            int cp = normalised.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp) || (codePoints > 0 && isMark(cp))) {
                current.appendCodePoint(cp);
                codePoints++;
            } else if (codePoints > 0) {
                addWord(words, current, codePoints, minLength);
                current.setLength(0);
                codePoints = 0;
            }
        }
        if (codePoints > 0) {
            addWord(words, current, codePoints, minLength);
        }
        return words;
    }

    private static void addWord(Set<String> words, StringBuilder word, int codePoints, int minLength) {
        if (codePoints >= minLength) {
            words.add(word.toString().toLowerCase(Locale.ROOT));
        }
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
