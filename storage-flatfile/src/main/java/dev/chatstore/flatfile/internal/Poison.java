package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.StorageIOException;

/**
 * The store-wide "a fsync failed" flag. After a failed fsync the kernel may have dropped the dirty pages and
 * marked them clean, so a retried fsync can report success for data that is gone (PostgreSQL's "fsyncgate").
 * The only safe answer is to refuse every further write until the store is reopened and recovered from disk.
 */
public final class Poison {

    private volatile String reason;

    void set(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    public boolean isSet() {
        return reason != null;
    }

    public String reason() {
        return reason;
    }

    /** Throws if a write must be refused. */
    void checkWritable() {
        String r = reason;
        if (r != null) {
            throw new StorageIOException("the store refuses writes until it is reopened: " + r, null);
        }
    }
}
