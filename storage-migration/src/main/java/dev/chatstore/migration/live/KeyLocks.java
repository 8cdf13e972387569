package dev.chatstore.migration.live;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by {@link SyncKey}: a dual-write holds its key's lock from the primary write to the end of the
 * mirror, so writes to one key reach both stores in one order. Two {@link DualWriteBackend}s over the same pair in
 * opposite directions (before and after a cutover) share one instance, so a write still in flight on the old
 * direction and one on the new never interleave on a key.
 */
public final class KeyLocks {

    private static final int STRIPES = 256;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    public KeyLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock of(SyncKey key) {
        return locks[Math.floorMod(key.hashCode(), STRIPES)];
    }
}
