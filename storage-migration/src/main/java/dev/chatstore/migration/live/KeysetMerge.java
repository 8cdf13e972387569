package dev.chatstore.migration.live;

import dev.chatstore.api.spi.Orderings;

import java.util.List;
import java.util.function.Function;

/**
 * Walks the union of two keyset scans in code point order: each ID present on either side once, with which sides
 * hold it. Both scans must list IDs in {@link Orderings#CODE_POINTS} order, as the ports' {@code listById} do.
 */
final class KeysetMerge {

    /** An ID and where it is. */
    record Entry(String id, boolean inSource, boolean inTarget) {
    }

    private final Side source;
    private final Side target;

    /** @param pageOf the IDs after a given ID ({@code ""} to start), in order */
    KeysetMerge(Function<String, List<String>> sourcePageOf, Function<String, List<String>> targetPageOf, int pageSize) {
        this.source = new Side(sourcePageOf, pageSize);
        this.target = new Side(targetPageOf, pageSize);
    }

    /** The next entry, or null at the end of both scans. */
    Entry next() {
        String s = source.peek();
        String t = target.peek();
        if (s == null && t == null) {
            return null;
        }
        int cmp = s == null ? 1 : t == null ? -1 : Orderings.compareCodePoints(s, t);
        if (cmp == 0) {
            source.advance();
            target.advance();
            return new Entry(s, true, true);
        }
        if (cmp < 0) {
            source.advance();
            return new Entry(s, true, false);
        }
        target.advance();
        return new Entry(t, false, true);
    }

    private static final class Side {
        private final Function<String, List<String>> pageOf;
        private final int pageSize;
        private List<String> page = List.of();
        private int index;
        private String last = "";
        private boolean exhausted;

        Side(Function<String, List<String>> pageOf, int pageSize) {
            this.pageOf = pageOf;
            this.pageSize = pageSize;
        }

        String peek() {
            if (index >= page.size()) {
                if (exhausted) {
                    return null;
                }
                page = pageOf.apply(last);
                index = 0;
                if (page.size() < pageSize) {
                    exhausted = true;
                }
                if (page.isEmpty()) {
                    return null;
                }
            }
            return page.get(index);
        }

        void advance() {
            last = page.get(index);
            index++;
        }
    }
}
