package dev.chatstore.api.error;

/**
 * An I/O failure that is neither retryable nor corruption: a full disk, a failed fsync, a permission error.
 * The operation did not complete and left nothing behind; the backend may refuse further writes until it is
 * reopened (see the backend's documentation).
 */
public class StorageIOException extends StorageException {

    public StorageIOException(String message, Throwable cause) {
        super(message, cause);
    }
}
