package dev.chatstore.migration;

import java.time.Duration;

/**
 * A snapshot of an import's progress.
 *
 * @param currentFile the source file being read
 * @param bytesRead   bytes of the source read so far (all files)
 * @param bytesTotal  bytes of the source in all (0 if unknown)
 * @param sessions    sessions imported so far (or validated, in a dry run)
 * @param messages    messages imported so far
 * @param rejected    records skipped or failed so far
 * @param elapsed     time since the run started
 * @param finished    whether this is the last call
 */
public record ImportProgress(String currentFile, long bytesRead, long bytesTotal, long sessions, long messages,
                             long rejected, Duration elapsed, boolean finished) {

    /** Messages per second since the start. */
    public double messagesPerSecond() {
        long millis = Math.max(1, elapsed.toMillis());
        return messages * 1000.0 / millis;
    }

    /** Fraction of the source read, 0..1 (0 when the total is unknown). */
    public double fraction() {
        return bytesTotal <= 0 ? 0 : Math.min(1.0, (double) bytesRead / bytesTotal);
    }
}
