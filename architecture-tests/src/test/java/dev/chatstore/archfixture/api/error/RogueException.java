package dev.chatstore.archfixture.api.error;

/** VIOLATION of exceptionsExtendStorageException: a public API exception outside the StorageException tree. */
public class RogueException extends RuntimeException {
    public RogueException(String message) {
        super(message);
    }
}
