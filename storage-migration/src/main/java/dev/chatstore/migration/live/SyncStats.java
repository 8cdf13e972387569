package dev.chatstore.migration.live;

import java.util.concurrent.atomic.LongAdder;

/**
 * What {@link StoreSync} did, counted as it goes (thread-safe). "Written" counts records the target did not hold
 * exactly; in a dry run they are counted but not written.
 */
public final class SyncStats {

    private final LongAdder recordsWritten = new LongAdder();
    private final LongAdder recordsUnchanged = new LongAdder();
    private final LongAdder messagesWritten = new LongAdder();
    private final LongAdder messagesUnchanged = new LongAdder();
    private final LongAdder deleted = new LongAdder();
    private final LongAdder rebuilt = new LongAdder();

    void written(long n) {
        recordsWritten.add(n);
    }

    void unchanged(long n) {
        recordsUnchanged.add(n);
    }

    void messagesWritten(long n) {
        messagesWritten.add(n);
    }

    void messagesUnchanged(long n) {
        messagesUnchanged.add(n);
    }

    void countDeleted() {
        deleted.increment();
    }

    void countRebuilt() {
        rebuilt.increment();
    }

    /** Records other than messages (users, sessions, documents, ...) the target lacked or held differently. */
    public long recordsWritten() {
        return recordsWritten.sum();
    }

    /** Records other than messages the target already held exactly. */
    public long recordsUnchanged() {
        return recordsUnchanged.sum();
    }

    /** Messages the target lacked or held differently. */
    public long messagesWritten() {
        return messagesWritten.sum();
    }

    /** Messages the target already held exactly. */
    public long messagesUnchanged() {
        return messagesUnchanged.sum();
    }

    /** Records deleted from the target because the source no longer has them. */
    public long deleted() {
        return deleted.sum();
    }

    /** Sessions or panels deleted and copied again because the target's log had diverged (IDs at other seqs). */
    public long rebuilt() {
        return rebuilt.sum();
    }

    /** Every record looked at: written, unchanged or deleted, messages included. */
    public long recordsSeen() {
        return recordsWritten() + recordsUnchanged() + messagesWritten() + messagesUnchanged() + deleted();
    }

    @Override
    public String toString() {
        return "messages written " + messagesWritten() + ", unchanged " + messagesUnchanged() + "; other records written "
                + recordsWritten() + ", unchanged " + recordsUnchanged() + "; deleted " + deleted() + "; rebuilt "
                + rebuilt();
    }
}
