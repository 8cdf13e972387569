package dev.chatstore.api.error;

/**
 * An argument is malformed: an ID outside {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}, a string with an unpaired
 * surrogate, a negative limit, a JSON value that is not representable, and so on. Raised before any backend
 * is touched, so nothing was written.
 */
public class ValidationException extends StorageException {

    private final String field;

    public ValidationException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The argument or field that was wrong, e.g. {@code "sessionId"} or {@code "message.content"}. */
    public String field() {
        return field;
    }
}
