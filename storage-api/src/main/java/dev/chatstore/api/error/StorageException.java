package dev.chatstore.api.error;

/**
 * Root of every exception Chatstore throws. All are unchecked; a driver's own exception never reaches the
 * caller, it is translated into one of the subclasses by the backend that caught it.
 *
 * <p>{@link #isRetryable()} tells whether the same call may succeed if simply repeated (only
 * {@link StorageUnavailableException} says yes).
 */
public abstract class StorageException extends RuntimeException {

    protected StorageException(String message) {
        super(message);
    }

    protected StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether repeating the same call, unchanged, may succeed. */
    public boolean isRetryable() {
        return false;
    }
}
