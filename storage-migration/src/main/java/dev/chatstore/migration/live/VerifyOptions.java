package dev.chatstore.migration.live;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Verifier} compares.
 *
 * @param grace                  how long to wait before re-checking a key that differed, so writes in flight (a
 *                               dual-write between its primary and its secondary, a backfill) can land; zero re-checks
 *                               at once
 * @param recheckAttempts        how many times a differing key is re-checked before it is reported
 * @param includeValues          write the records' canonical JSON into findings instead of their SHA-256
 * @param report                 the JSONL file to write findings to (replaced), if any
 * @param pageSize               messages read per call
 * @param maxFindingsPerSession  message-level findings listed per session or panel; the count mismatch still tells all
 */
public record VerifyOptions(Duration grace, int recheckAttempts, boolean includeValues, Optional<Path> report,
                            int pageSize, int maxFindingsPerSession) {

    public VerifyOptions {
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(report, "report");
        if (grace.isNegative()) {
            throw new dev.chatstore.api.error.ValidationException("grace", "must not be negative");
        }
        if (recheckAttempts < 0) {
            throw new dev.chatstore.api.error.ValidationException("recheckAttempts", "must not be negative");
        }
        if (pageSize < 1 || pageSize > 10_000) {
            throw new dev.chatstore.api.error.ValidationException("pageSize", "must be 1..10000");
        }
    }

    /** No grace, one immediate re-check, hashed values, no report file, pages of 1,000. */
    public static VerifyOptions defaults() {
        return new VerifyOptions(Duration.ZERO, 1, false, Optional.empty(), 1000, 1000);
    }

    public VerifyOptions withGrace(Duration newGrace, int attempts) {
        return new VerifyOptions(newGrace, attempts, includeValues, report, pageSize, maxFindingsPerSession);
    }

    public VerifyOptions withReport(Path file) {
        return new VerifyOptions(grace, recheckAttempts, includeValues, Optional.of(file), pageSize,
                maxFindingsPerSession);
    }

    public VerifyOptions withValues(boolean values) {
        return new VerifyOptions(grace, recheckAttempts, values, report, pageSize, maxFindingsPerSession);
    }
}
