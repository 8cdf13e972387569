package dev.chatstore.api.error;

/** A record with the same key already exists; nothing was written. */
public class DuplicateKeyException extends StorageException {

    private final String entity;
    private final String key;

    public DuplicateKeyException(String entity, String key) {
        super(entity + " '" + key + "' already exists");
        this.entity = entity;
        this.key = key;
    }

    public DuplicateKeyException(String entity, String key, Throwable cause) {
        super(entity + " '" + key + "' already exists", cause);
        this.entity = entity;
        this.key = key;
    }

    public String entity() {
        return entity;
    }

    public String key() {
        return key;
    }
}
