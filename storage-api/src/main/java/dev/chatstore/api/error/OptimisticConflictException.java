package dev.chatstore.api.error;

/**
 * An update carried an expected version that no longer matches the stored one: someone else updated the
 * record in between. Re-read, re-apply and retry. Nothing was written.
 */
public class OptimisticConflictException extends StorageException {

    private final String entity;
    private final String key;
    private final long expectedVersion;
    private final long actualVersion;

    public OptimisticConflictException(String entity, String key, long expectedVersion, long actualVersion) {
        super(entity + " '" + key + "' is at version " + actualVersion + ", not the expected " + expectedVersion);
        this.entity = entity;
        this.key = key;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public String entity() {
        return entity;
    }

    public String key() {
        return key;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    /** The version found in the store, or -1 if the backend could not tell. */
    public long actualVersion() {
        return actualVersion;
    }
}
