package dev.chatstore.api.error;

/**
 * A write on a store opened read-only ({@code store.read-only=true}): nothing was changed. Not retryable; open the
 * store for writing to change it.
 */
public class StoreReadOnlyException extends StorageException {

    public StoreReadOnlyException(String operation) {
        super("the store was opened read-only (store.read-only=true); " + operation + " was refused and nothing changed");
    }
}
