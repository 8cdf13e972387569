package dev.chatstore.api.error;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Stored data cannot be read back as written: a checksum mismatch, a truncated or unparsable record, a
 * broken invariant. It names where the damage is. Chatstore never reads a damaged record as "empty".
 */
public class StorageCorruptionException extends StorageException {

    private final String location;
    private final long offset;

    /**
     * @param location the file, table or key holding the damage
     * @param offset   the byte offset (or row number) of the damage, or -1 if unknown
     */
    public StorageCorruptionException(String location, long offset, String problem) {
        super(describe(location, offset, problem));
        this.location = location;
        this.offset = offset;
    }

    public StorageCorruptionException(String location, long offset, String problem, Throwable cause) {
        super(describe(location, offset, problem), cause);
        this.location = location;
        this.offset = offset;
    }

    private static String describe(String location, long offset, String problem) {
        return "corrupt data in " + location + (offset >= 0 ? " at offset " + offset : "") + ": " + problem;
    }

    /** The file, table or key that holds the damage. */
    public Optional<String> location() {
        return Optional.ofNullable(location);
    }

    /** The byte offset (or row number) of the damage, when known. */
    public OptionalLong offset() {
        return offset >= 0 ? OptionalLong.of(offset) : OptionalLong.empty();
    }
}
