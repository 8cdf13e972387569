package dev.chatstore.api.error;

/**
 * The configuration is unusable: an unknown key, a malformed value, a URL no backend supports (or that two
 * backends claim), a missing encryption key. Raised at start-up, naming the key or URL at fault.
 */
public class StorageConfigurationException extends StorageException {

    public StorageConfigurationException(String message) {
        super(message);
    }

    public StorageConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
