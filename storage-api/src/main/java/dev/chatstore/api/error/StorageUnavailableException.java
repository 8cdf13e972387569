package dev.chatstore.api.error;

/**
 * The backend cannot be reached or is temporarily refusing work (connection refused, timeout, serialization
 * failure, lock contention). Retryable: the same call may succeed later. A failed write left nothing behind.
 */
public class StorageUnavailableException extends StorageException {

    public StorageUnavailableException(String message) {
        super(message);
    }

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
