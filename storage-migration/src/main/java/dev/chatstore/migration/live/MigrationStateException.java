package dev.chatstore.migration.live;

import dev.chatstore.api.error.StorageException;

/**
 * A migration step refused: its phase precondition does not hold (e.g. cutover with a non-empty repair journal, or
 * a verify older than the last write), or another operator holds the migration's lease. Nothing was changed; the
 * message says what to do first.
 */
public final class MigrationStateException extends StorageException {

    public MigrationStateException(String message) {
        super(message);
    }
}
