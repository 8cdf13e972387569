package dev.chatstore.migration.live;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.ValidationException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How {@link Backfill} copies.
 *
 * @param config             limits the target's restores are validated against
 * @param fingerprint        identifies the configuration a checkpoint belongs to (e.g. both stores' redacted URLs);
 *                           a checkpoint written under another fingerprint, page size or dry-run setting is refused
 * @param checkpoint         the checkpoint file (replaced atomically as the copy advances); none: not resumable
 * @param pageSize           messages read and restored per call (1..10,000)
 * @param checkpointEvery    records copied or compared between two checkpoints
 * @param recordsPerSecond   throttle, 0 for unlimited (may change between runs)
 * @param dryRun             compare and count, write nothing (and no checkpoint)
 * @param estimate           count the source's records first, for the progress's total and ETA
 * @param progress           called about every {@code progressInterval} and once at the end
 * @param progressInterval   see {@code progress}
 */
public record BackfillOptions(ChatStoreConfig config, String fingerprint, Optional<Path> checkpoint, int pageSize,
                              long checkpointEvery, double recordsPerSecond, boolean dryRun, boolean estimate,
                              Consumer<BackfillProgress> progress, Duration progressInterval) {

    public BackfillOptions {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(progressInterval, "progressInterval");
        if (pageSize < 1 || pageSize > 10_000) {
            throw new ValidationException("pageSize", "must be 1..10000, got " + pageSize);
        }
        if (checkpointEvery < 1) {
            throw new ValidationException("checkpointEvery", "must be at least 1, got " + checkpointEvery);
        }
        if (recordsPerSecond < 0) {
            throw new ValidationException("recordsPerSecond", "must be 0 (unlimited) or positive");
        }
    }

    /** Pages of 1,000, a checkpoint every 10,000 records, unthrottled, writing, with an estimate, no progress. */
    public static BackfillOptions defaults(ChatStoreConfig config, String fingerprint) {
        return new BackfillOptions(config, fingerprint, Optional.empty(), 1000, 10_000, 0, false, true, p -> {
        }, Duration.ofSeconds(1));
    }

    public BackfillOptions withCheckpoint(Path file) {
        return new BackfillOptions(config, fingerprint, Optional.of(file), pageSize, checkpointEvery, recordsPerSecond,
                dryRun, estimate, progress, progressInterval);
    }

    public BackfillOptions withPageSize(int size, long every) {
        return new BackfillOptions(config, fingerprint, checkpoint, size, every, recordsPerSecond, dryRun, estimate,
                progress, progressInterval);
    }

    public BackfillOptions withThrottle(double perSecond) {
        return new BackfillOptions(config, fingerprint, checkpoint, pageSize, checkpointEvery, perSecond, dryRun,
                estimate, progress, progressInterval);
    }

    public BackfillOptions withDryRun(boolean dry) {
        return new BackfillOptions(config, fingerprint, checkpoint, pageSize, checkpointEvery, recordsPerSecond, dry,
                estimate, progress, progressInterval);
    }

    public BackfillOptions withProgress(Consumer<BackfillProgress> listener, Duration interval) {
        return new BackfillOptions(config, fingerprint, checkpoint, pageSize, checkpointEvery, recordsPerSecond, dryRun,
                estimate, listener, interval);
    }
}
