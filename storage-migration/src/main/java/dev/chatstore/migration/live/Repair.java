package dev.chatstore.migration.live;

import dev.chatstore.api.error.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Copies listed keys again from the source to the target with {@link StoreSync}: the keys of a verify report, or the
 * pending keys of a dual-write {@link RepairJournal}. A key whose copy fails is kept (re-journaled, or reported as
 * failed), never dropped.
 */
public final class Repair {

    private static final Logger LOG = LoggerFactory.getLogger(Repair.class);

    /**
     * @param keys   keys copied successfully
     * @param failed keys whose copy failed, with the reason
     */
    public record Result(List<SyncKey> keys, List<String> failed) {
        public Result {
            keys = List.copyOf(keys);
            failed = List.copyOf(failed);
        }

        public boolean complete() {
            return failed.isEmpty();
        }
    }

    private Repair() {
    }

    /** Copies every key of a verify report. */
    public static Result fromReport(StoreSync sync, Path report) {
        return copy(sync, VerifyReport.keysOf(report), null);
    }

    /** Copies the given keys. */
    public static Result keys(StoreSync sync, List<SyncKey> keys) {
        return copy(sync, keys, null);
    }

    /**
     * Copies every pending key of the journal, then marks them repaired; keys that fail are recorded again first, so
     * the journal still holds them. Entries recorded meanwhile stay pending for the next repair.
     */
    public static Result fromJournal(StoreSync sync, RepairJournal journal) {
        Objects.requireNonNull(journal, "journal");
        RepairJournal.Pending pending = journal.pending();
        if (pending.isEmpty()) {
            return new Result(List.of(), List.of());
        }
        Result result = copy(sync, pending.keys(), journal);
        journal.markRepaired(pending);
        return result;
    }

    private static Result copy(StoreSync sync, List<SyncKey> keys, RepairJournal journal) {
        List<SyncKey> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (SyncKey key : keys) {
            try {
                sync.sync(key);
                done.add(key);
            } catch (StorageException | IllegalStateException e) {
                String reason = key.toJson() + ": " + e.getMessage();
                LOG.warn("repair of {} failed; it stays pending: {}", key.toJson(), e.getMessage());
                failed.add(reason);
                if (journal != null) {
                    journal.record(key, "repair failed: " + e.getMessage());
                }
            }
        }
        return new Result(done, failed);
    }
}
