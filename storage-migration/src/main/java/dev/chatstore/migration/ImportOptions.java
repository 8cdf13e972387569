package dev.chatstore.migration;

import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.internal.Validator;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link LegacyImporter} runs.
 *
 * @param defaultUserId the user that receives records the source has no user for (chat-sync chats, JsonStore chats
 *                      without {@code userId}); created if missing
 * @param legacyKey     the Fernet key (base64url, 32 bytes) the Python app encrypted API keys with; used to decrypt
 *                      them in memory and never stored. Without it, API keys are reported and skipped.
 * @param dryRun        validate and report everything, write nothing to the store (nor a checkpoint)
 * @param report        where the JSONL report goes (one rejected, mapped or superseded record per line)
 * @param checkpoint    where progress is saved atomically so that a killed run resumes; none: every run starts over
 * @param progress      called with counts as the import proceeds (at most a few times a second, and at the end)
 * @param chunkSize     messages written per restore call; also the largest number of messages held in memory
 */
public record ImportOptions(String defaultUserId, Optional<String> legacyKey, boolean dryRun, Optional<Path> report,
                            Optional<Path> checkpoint, ImportProgressListener progress, int chunkSize) {

    public static final String DEFAULT_USER_ID = "legacy";
    public static final int DEFAULT_CHUNK_SIZE = 1000;

    public ImportOptions {
        Validator.id("defaultUserId", defaultUserId);
        Objects.requireNonNull(legacyKey, "legacyKey");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(progress, "progress");
        if (chunkSize < 1 || chunkSize > 10_000) {
            throw new ValidationException("chunkSize", "must be 1 to 10,000, got " + chunkSize);
        }
    }

    /** User {@value #DEFAULT_USER_ID}, no legacy key, a real run, no report file, no checkpoint, no progress. */
    public static ImportOptions defaults() {
        return new ImportOptions(DEFAULT_USER_ID, Optional.empty(), false, Optional.empty(), Optional.empty(),
                ImportProgressListener.NONE, DEFAULT_CHUNK_SIZE);
    }

    public ImportOptions withDefaultUserId(String userId) {
        return new ImportOptions(userId, legacyKey, dryRun, report, checkpoint, progress, chunkSize);
    }

    public ImportOptions withLegacyKey(String key) {
        return new ImportOptions(defaultUserId, Optional.of(key), dryRun, report, checkpoint, progress, chunkSize);
    }

    public ImportOptions withDryRun(boolean newDryRun) {
        return new ImportOptions(defaultUserId, legacyKey, newDryRun, report, checkpoint, progress, chunkSize);
    }

    public ImportOptions withReport(Path file) {
        return new ImportOptions(defaultUserId, legacyKey, dryRun, Optional.of(file), checkpoint, progress, chunkSize);
    }

    public ImportOptions withCheckpoint(Path file) {
        return new ImportOptions(defaultUserId, legacyKey, dryRun, report, Optional.of(file), progress, chunkSize);
    }

    public ImportOptions withProgress(ImportProgressListener listener) {
        return new ImportOptions(defaultUserId, legacyKey, dryRun, report, checkpoint, listener, chunkSize);
    }

    public ImportOptions withChunkSize(int size) {
        return new ImportOptions(defaultUserId, legacyKey, dryRun, report, checkpoint, progress, size);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "ImportOptions[defaultUserId=" + defaultUserId + ", legacyKey=" + (legacyKey.isPresent() ? "(set)" : "(none)")
                + ", dryRun=" + dryRun + ", report=" + report + ", checkpoint=" + checkpoint + ", chunkSize=" + chunkSize + "]";
    }
}
