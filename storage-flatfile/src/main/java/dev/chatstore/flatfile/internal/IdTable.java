package dev.chatstore.flatfile.internal;

/**
 * Message ID to seq, as an open-addressing table of 64-bit hashes (16 bytes per message, no String kept), so
 * duplicate detection and lookup by ID never scan the log. A hash hit is confirmed by reading the record; a
 * collision (two IDs, one hash) is resolved by the caller.
 */
final class IdTable {

    private long[] keys = new long[64];
    private long[] vals = new long[64];
    private int size;

    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /** The seq stored for this hash, or -1. */
    long get(long h) {
        int mask = keys.length - 1;
        for (int i = (int) (h & mask); ; i = (i + 1) & mask) {
            if (keys[i] == 0) {
                return -1;
            }
            if (keys[i] == h) {
                return vals[i];
            }
        }
    }

    void put(long h, long seq) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = (int) (h & mask); ; i = (i + 1) & mask) {
            if (keys[i] == 0) {
                keys[i] = h;
                vals[i] = seq;
                size++;
                return;
            }
            if (keys[i] == h) {
                vals[i] = seq;
                return;
            }
        }
    }

    /** Adds every entry of {@code other}. */
    void putAll(IdTable other) {
        for (int i = 0; i < other.keys.length; i++) {
            if (other.keys[i] != 0) {
                put(other.keys[i], other.vals[i]);
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldK = keys;
        long[] oldV = vals;
        keys = new long[oldK.length * 2];
        vals = new long[oldK.length * 2];
        size = 0;
        for (int i = 0; i < oldK.length; i++) {
            if (oldK[i] != 0) {
                put(oldK[i], oldV[i]);
            }
        }
    }
}
