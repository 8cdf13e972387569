package dev.chatstore.api.error;

/**
 * The named record does not exist, or belongs to another user (the two are deliberately indistinguishable,
 * so that one user cannot probe another's data).
 */
public class NotFoundException extends StorageException {

    private final String entity;
    private final String key;

    public NotFoundException(String entity, String key) {
        super(entity + " '" + key + "' not found");
        this.entity = entity;
        this.key = key;
    }

    /** The kind of record that was looked for, e.g. {@code "session"}. */
    public String entity() {
        return entity;
    }

    /** The key that was looked for, as the caller gave it. */
    public String key() {
        return key;
    }
}
