package dev.chatstore.migration.live;

import java.time.Duration;
import java.time.Instant;

/**
 * A finished backfill.
 *
 * @param resumed    whether it continued from a checkpoint
 * @param startedAt  when this run began
 * @param elapsed    time of this run
 * @param stats      what this run did
 * @param caughtUp   sessions and panels written during the copy and copied again by the catch-up pass
 * @param dryRun     nothing was written
 */
public record BackfillResult(boolean resumed, Instant startedAt, Duration elapsed, SyncStats stats, long caughtUp,
                             boolean dryRun) {

    /** Messages per second of this run (copied or found already copied). */
    public double messagesPerSecond() {
        double seconds = Math.max(1e-9, elapsed.toNanos() / 1e9);
        return (stats.messagesWritten() + stats.messagesUnchanged()) / seconds;
    }
}
