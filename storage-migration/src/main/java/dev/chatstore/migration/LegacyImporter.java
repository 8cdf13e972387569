package dev.chatstore.migration;

import dev.chatstore.api.ChatStore;

import java.nio.file.Path;

/**
 * Reads one legacy JSON store and writes its records into a Chatstore store, exactly (legacy IDs, timestamps and
 * message order kept), so that running it twice on the same input leaves the same store.
 *
 * <p>The contract every implementation keeps:
 * <ul>
 *   <li><b>Never silent.</b> A record that cannot be imported as it is (missing role, oversize message, duplicate
 *       ID, bad timestamp, torn JSON, hostile ID, ...) is written to the JSONL report with its file, line or JSON
 *       path and the reason, and counted in the {@link ImportSummary}; valid records next to it are imported.</li>
 *   <li><b>Streaming.</b> Input is read with Jackson's streaming parser; memory does not grow with the size of a
 *       file, only with the number of chats in it (their IDs, for the duplicate rule).</li>
 *   <li><b>Safe to re-run.</b> Writes are restores of exact records, so a second run changes nothing; with
 *       {@link ImportOptions#checkpoint()} set, a run killed at any point resumes after the last checkpoint;
 *       with {@link ImportOptions#dryRun()} nothing is written to the store.</li>
 * </ul>
 *
 * <p>Errors that end the run (the source does not exist, the target is unreachable) are
 * {@link dev.chatstore.api.error.StorageException}s; everything else is reported per record.
 */
public interface LegacyImporter {

    /** The format this importer reads. */
    LegacyFormat format();

    /**
     * Imports the legacy store at {@code source} (the file or directory the format names: {@code chatStore.json}
     * or its directory, the directory holding {@code users.json}, the JsonStore's {@code data/} directory or its
     * parent) into {@code target}.
     *
     * @return the per-entity counts and the exit status for scripts
     */
    ImportSummary run(ChatStore target, Path source, ImportOptions options);
}
