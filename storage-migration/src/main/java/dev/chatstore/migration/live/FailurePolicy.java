package dev.chatstore.migration.live;

/**
 * What {@link DualWriteBackend} does when a write succeeded on the primary but failed on the secondary. In every
 * case the caller's write is on the primary, and the failure is counted ({@link DualWriteBackend#secondaryFailures()}).
 */
public enum FailurePolicy {
    /**
     * The default: the key goes to the durable {@link RepairJournal} before the call returns, and the caller is not
     * failed. {@code repair} later copies every journaled key; cutover refuses while the journal is not empty.
     */
    JOURNAL,
    /**
     * Counted and logged only; the caller is not failed and nothing is journaled, so only a verify finds the
     * difference (then {@code repair --report}). For stores where a journal cannot be written.
     */
    COUNT,
    /**
     * The key is journaled as for {@link #JOURNAL}, then the caller gets a
     * {@link dev.chatstore.api.error.StorageUnavailableException}, although the primary holds the write.
     */
    FAIL
}
