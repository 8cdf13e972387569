package dev.chatstore.api.error;

/**
 * The store was closed: the call can never succeed on this {@code ChatStore} instance, so it is not retryable (unlike
 * {@link StorageUnavailableException}). Open the store again to go on.
 */
public class StoreClosedException extends StorageException {

    public StoreClosedException(String message) {
        super(message);
    }
}
