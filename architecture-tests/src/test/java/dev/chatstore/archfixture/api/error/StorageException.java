package dev.chatstore.archfixture.api.error;

/** The fixture's exception root. */
public abstract class StorageException extends RuntimeException {
    protected StorageException(String message) {
        super(message);
    }
}
