package dev.chatstore.api.spi;

import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Session;

import java.util.Comparator;

/**
 * Every list order of the contract, in one place. Adapters sort natively where they can, but must give exactly
 * these orders; the core and the TCK use these comparators as the reference.
 *
 * <p>Strings compare by Unicode code point ({@link #CODE_POINTS}), which is what a database's binary collation
 * and a UTF-8 byte comparison give. {@link String#compareTo} compares UTF-16 units and disagrees for characters
 * above U+FFFF against characters in U+E000..U+FFFF, so it is never used for a listed order.
 */
public final class Orderings {

    /** Unicode code point order (equal to the order of the UTF-8 bytes). */
    public static final Comparator<String> CODE_POINTS = Orderings::compareCodePoints;

    /** Sessions: updatedAt descending, then ID in code point order. */
    public static final Comparator<Session> SESSIONS_NEWEST_FIRST = Comparator
            .comparing(Session::updatedAt, Comparator.reverseOrder())
            .thenComparing(Session::id, CODE_POINTS);

    /** Panels: createdAt descending, then ID in code point order. */
    public static final Comparator<Panel> PANELS_NEWEST_FIRST = Comparator
            .comparing(Panel::createdAt, Comparator.reverseOrder())
            .thenComparing(Panel::id, CODE_POINTS);

    /** Insights: createdAt descending, then ID descending (code point order). */
    public static final Comparator<Insight> INSIGHTS_NEWEST_FIRST = Comparator
            .comparing(Insight::createdAt, Comparator.reverseOrder())
            .thenComparing(Insight::id, CODE_POINTS.reversed());

    /** Documents of a session: by name in code point order. */
    public static final Comparator<Document> DOCUMENTS_BY_NAME = Comparator.comparing(Document::name, CODE_POINTS);

    private Orderings() {
    }

    /** Compares two strings by code point; a proper prefix sorts first. */
    public static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
