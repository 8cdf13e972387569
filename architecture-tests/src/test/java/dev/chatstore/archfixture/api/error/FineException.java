package dev.chatstore.archfixture.api.error;

/** Allowed: an API exception under the StorageException root. */
public class FineException extends StorageException {
    public FineException(String message) {
        super(message);
    }
}
