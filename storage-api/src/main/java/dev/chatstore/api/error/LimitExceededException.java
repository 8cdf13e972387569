package dev.chatstore.api.error;

/** A configured limit (message size, messages per session, document size, ...) would be exceeded; nothing was written. */
public class LimitExceededException extends StorageException {

    private final String limit;
    private final long allowed;
    private final long actual;

    public LimitExceededException(String limit, long allowed, long actual) {
        super(limit + " exceeded: " + actual + " > " + allowed);
        this.limit = limit;
        this.allowed = allowed;
        this.actual = actual;
    }

    public LimitExceededException(String limit, String message) {
        super(limit + ": " + message);
        this.limit = limit;
        this.allowed = -1;
        this.actual = -1;
    }

    /** The configuration key of the limit, e.g. {@code "limits.max-message-bytes"}. */
    public String limit() {
        return limit;
    }

    /** The configured maximum, or -1 when the limit is not numeric (e.g. allowed document extensions). */
    public long allowed() {
        return allowed;
    }

    /** The value the call would have reached, or -1 when the limit is not numeric. */
    public long actual() {
        return actual;
    }
}
