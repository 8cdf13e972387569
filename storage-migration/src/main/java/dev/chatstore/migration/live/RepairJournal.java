package dev.chatstore.migration.live;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable list of keys a secondary store missed: {@link DualWriteBackend} records a key when a write reached the
 * primary but not the secondary, and {@code repair} copies every pending key and then marks them repaired. A key is
 * never dropped: a key whose repair fails is recorded again before the batch it came from is marked repaired.
 *
 * <p>Implementations are safe for concurrent use by the threads of one process, and the writer and the repairer may
 * be different processes.
 */
public interface RepairJournal extends AutoCloseable {

    /**
     * Records a key durably (on disk or in a table) before returning.
     *
     * @param cause why the secondary write failed, for the operator
     * @throws dev.chatstore.api.error.StorageException if the key could not be made durable
     */
    void record(SyncKey key, String cause);

    /** The keys recorded and not yet repaired, each once, in the order first recorded, with the batch's end. */
    Pending pending();

    /**
     * Marks every entry up to {@code batch.through()} repaired. Entries recorded after {@link #pending()} was read
     * stay pending.
     */
    void markRepaired(Pending batch);

    /** When the newest entry (pending or not) was recorded, if any. */
    Optional<Instant> lastRecordedAt();

    @Override
    void close();

    /**
     * Pending keys.
     *
     * @param keys    distinct keys, in the order first recorded
     * @param entries how many journal entries they come from
     * @param through the position just past the last of them, for {@link #markRepaired}
     */
    record Pending(List<SyncKey> keys, long entries, long through) {
        public Pending {
            keys = List.copyOf(keys);
        }

        public boolean isEmpty() {
            return keys.isEmpty();
        }
    }
}
