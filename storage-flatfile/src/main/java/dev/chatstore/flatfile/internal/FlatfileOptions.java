package dev.chatstore.flatfile.internal;

import dev.chatstore.api.config.Durability;

import java.time.Duration;

/**
 * How a store is opened: the common durability settings and the {@code backend.*} options of {@code file:} URLs
 * (declared in {@code FlatfileBackendProvider}).
 *
 * @param durability     when appends are fsynced
 * @param batchInterval  the fsync interval of {@link Durability#BATCH}
 * @param salvage        {@code backend.salvage}: move damage aside instead of refusing it
 * @param minWordLength  {@code search.min-word-length}: the shortest word the search index keeps
 * @param lockTimeout    {@code backend.lock-timeout-ms}: how long to wait for another thread's or process's lock
 * @param verifyOnOpen   {@code backend.verify-on-open}: what opening checks
 * @param readOnly       {@code store.read-only}: write nothing at all, not even the lock file
 */
public record FlatfileOptions(Durability durability, Duration batchInterval, boolean salvage, int minWordLength,
                              Duration lockTimeout, VerifyOnOpen verifyOnOpen, boolean readOnly) {

    /**
     * What opening a store checks ({@code backend.verify-on-open}). Whatever is chosen, each log is also checked
     * record by record the first time this process reads it in order or writes to it.
     */
    public enum VerifyOnOpen {
        /** Every JSON file parses and every record of every log has its checksum and seq (reads the whole store). */
        FULL,
        /**
         * The manifest and every user, session and panel file parse, and every log's last record agrees with its
         * offset index (a torn tail is cut off); a few small reads per session.
         */
        TAIL,
        /** Only the manifest. */
        NONE
    }

    /** The defaults: sync durability, no salvage, tail verification, 30 s lock timeout. */
    public static FlatfileOptions defaults() {
        return new FlatfileOptions(Durability.SYNC, Duration.ofSeconds(1), false, 3, Duration.ofSeconds(30),
                VerifyOnOpen.TAIL, false);
    }

    public FlatfileOptions withSalvage(boolean value) {
        return new FlatfileOptions(durability, batchInterval, value, minWordLength, lockTimeout, verifyOnOpen,
                readOnly);
    }

    public FlatfileOptions withReadOnly(boolean value) {
        return new FlatfileOptions(durability, batchInterval, salvage, minWordLength, lockTimeout, verifyOnOpen, value);
    }

    public FlatfileOptions withVerifyOnOpen(VerifyOnOpen value) {
        return new FlatfileOptions(durability, batchInterval, salvage, minWordLength, lockTimeout, value, readOnly);
    }
}
