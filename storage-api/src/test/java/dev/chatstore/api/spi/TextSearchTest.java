package dev.chatstore.api.spi;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextSearchTest {

    private static List<String> words(String text) {
        return TextSearch.words(text, 3);
    }

    @Test
    void punctuationWhitespaceAndSymbolsSplitWords() {
        assertThat(words("Hello, world! foo-bar baz_qux (tea)\tcup\nsaucer… «quote» e-mail@example.com"))
                .containsExactly("hello", "world", "foo", "bar", "baz", "qux", "tea", "cup", "saucer", "quote", "mail",
                        "example", "com");
        assertThat(words("")).isEmpty();
        assertThat(words("  ,;:!?  ")).isEmpty();
    }

    @Test
    void digitsAreWordCharacters() {
        assertThat(words("version 2024, v2025, abc123 4567 12 x9")).containsExactly("version", "2024", "v2025", "abc123", "4567");
        assertThat(words("3.14159")).containsExactly("14159");
        assertThat(words("٣٤٥ arabic-indic digits")).as("Unicode digits count").startsWith("٣٤٥");
    }

    @Test
    void wordsAreLowerCasedAndDistinctInOrderOfFirstAppearance() {
        assertThat(words("The CAT and the Cat saw THE cat")).containsExactly("the", "cat", "and", "saw");
        assertThat(words("ΣΟΦΙΑ Straße")).containsExactly("σοφια", "straße");
    }

    @Test
    void composedAndDecomposedFormsAreTheSameWord() {
        String composed = "caf\u00e9";     // é as one code point
        String decomposed = "cafe\u0301";  // e + combining acute accent
        assertThat(words(composed)).containsExactly("caf\u00e9");
        assertThat(words(decomposed)).containsExactly("caf\u00e9");
        assertThat(TextSearch.matches("Un CAFE\u0301 noir", words(composed), 3)).isTrue();
        assertThat(TextSearch.matches("un café noir", words(decomposed), 3)).isTrue();
    }

    @Test
    void combiningMarksStayInsideTheirWord() {
        // Devanagari: vowel signs (Mc) and virama (Mn) must not split the word
        assertThat(words("हिन्दी भाषा")).containsExactly("हिन्दी", "भाषा");
        // a mark with no base letter before it is not a word of its own
        assertThat(words("\u0301\u0301\u0301 abc")).containsExactly("abc");
        // enclosing mark after a letter stays with it
        assertThat(words("ab\u20DD")).as("2 letters + 1 mark = 3 code points").containsExactly("ab\u20DD");
        // Hebrew with niqqud
        assertThat(words("שָׁלוֹם")).hasSize(1);
    }

    @Test
    void minimumLengthCountsCodePointsNotChars() {
        assertThat(words("日本語")).as("three CJK code points are one word").containsExactly("日本語");
        assertThat(words("日本")).isEmpty();
        assertThat(words("日本語のテキスト")).as("a CJK run is one word").containsExactly("日本語のテキスト");
        // Deseret letters are outside the BMP: 2 chars each, so 2 letters = 4 chars but only 2 code points
        assertThat(words("\uD801\uDC00\uD801\uDC01")).isEmpty();
        assertThat(words("\uD801\uDC00\uD801\uDC01\uD801\uDC02"))
                .as("and lower-cased").containsExactly("\uD801\uDC28\uD801\uDC29\uD801\uDC2A");
        assertThat(TextSearch.words("ab abc abcd", 4)).containsExactly("abcd");
        assertThat(TextSearch.words("a ab", 1)).containsExactly("a", "ab");
    }

    @Test
    void emojiAreNotWords() {
        assertThat(words("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00")).isEmpty();
        assertThat(words("good\uD83D\uDC4Dnews")).containsExactly("good", "news");
        assertThat(words("\uD83D\uDC69\u200D\uD83D\uDCBB coder")).containsExactly("coder");
    }

    @Test
    void matchesNeedsEveryQueryWordAsAWholeWord() {
        String text = "The quick brown fox jumps over the lazy dog";
        assertThat(TextSearch.matches(text, words("QUICK fox"), 3)).isTrue();
        assertThat(TextSearch.matches(text, words("fox dog the"), 3)).isTrue();
        assertThat(TextSearch.matches(text, words("quick cat"), 3)).isFalse();
        assertThat(TextSearch.matches(text, words("qui"), 3)).as("no prefix match").isFalse();
        assertThat(TextSearch.matches("category", words("cat"), 3)).as("no substring match").isFalse();
        assertThat(TextSearch.matches("brown-fox", words("fox"), 3)).isTrue();
    }

    @Test
    void anEmptyQueryMatchesNothing() {
        assertThat(TextSearch.matches("anything at all", List.of(), 3)).isFalse();
        assertThat(TextSearch.matches("a an to", words("a an"), 3)).as("query words below the minimum are ignored")
                .isFalse();
    }

    @Test
    void shortWordsInTheTextAreIgnored() {
        assertThat(TextSearch.matches("go to it", List.of("go"), 3)).isFalse();
        assertThat(TextSearch.matches("go to it", List.of("go"), 2)).isTrue();
    }
}
