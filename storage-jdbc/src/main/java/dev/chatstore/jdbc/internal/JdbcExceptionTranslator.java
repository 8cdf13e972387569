package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.StorageUnavailableException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * The one place where driver, pool, Hibernate and Flyway exceptions become the API's exceptions. Retryable
 * conditions (serialization failure, deadlock, lock timeouts, SQLITE_BUSY, lost or refused connections,
 * pool exhaustion) become {@link StorageUnavailableException}; constraint violations become
 * {@link DuplicateKeyException} or {@link NotFoundException}; a damaged SQLite file becomes
 * {@link StorageCorruptionException}; anything else a non-retryable {@link StorageIOException}.
 */
public final class JdbcExceptionTranslator {

    // SQLite primary result codes (https://sqlite.org/rescode.html)
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_PROTOCOL = 15;
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_NOTADB = 26;
    private static final int SQLITE_CONSTRAINT_FOREIGNKEY = 787;
    private static final int SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
    private static final int SQLITE_CONSTRAINT_UNIQUE = 2067;

    private final String location;

    /** @param location the database as it may be named in messages (URL without credentials) */
    public JdbcExceptionTranslator(String location) {
        this.location = location;
    }

    /** The kind of failure, for callers that need to react to one (e.g. a duplicate ID). */
    public enum Kind { DUPLICATE, MISSING_REFERENCE, RETRYABLE, CORRUPT, CONFIGURATION, OTHER }

    /** Classifies the first SQLException in the cause chain of {@code t}. */
    public Kind classify(Throwable t) {
        SQLException e = sqlException(t);
        if (e == null) {
            return t instanceof SQLTransientException ? Kind.RETRYABLE : Kind.OTHER;
        }
        if (isSqlite(e)) {
            int code = e.getErrorCode();
            int primary = code & 0xff;
            if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE) {
                return Kind.DUPLICATE;
            }
            if (code == SQLITE_CONSTRAINT_FOREIGNKEY) {
                return Kind.MISSING_REFERENCE;
            }
            if (primary == SQLITE_CONSTRAINT) {
                String msg = String.valueOf(e.getMessage());
                if (msg.contains("UNIQUE") || msg.contains("PRIMARY KEY")) {
                    return Kind.DUPLICATE;
                }
                return msg.contains("FOREIGN KEY") ? Kind.MISSING_REFERENCE : Kind.OTHER;
            }
            if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_PROTOCOL) {
                return Kind.RETRYABLE;
            }
            if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
                return Kind.CORRUPT;
            }
            if (primary == SQLITE_CANTOPEN) {
                return Kind.CONFIGURATION;
            }
            if (primary == SQLITE_IOERR || primary == SQLITE_FULL) {
                return Kind.OTHER;
            }
        }
        String state = e.getSQLState();
        if (state != null) {
            if (state.equals("23505")) {
                return Kind.DUPLICATE;
            }
            if (state.equals("23503")) {
                return Kind.MISSING_REFERENCE;
            }
            if (state.equals("40001") || state.equals("40P01") || state.equals("55P03") || state.equals("57014")
                    || state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")) {
                return Kind.RETRYABLE;
            }
            if (state.equals("28000") || state.equals("28P01") || state.equals("3D000") || state.equals("3F000")) {
                return Kind.CONFIGURATION;
            }
            if (state.equals("XX001") || state.equals("XX002")) {
                return Kind.CORRUPT;
            }
        }
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException
                || e instanceof SQLNonTransientConnectionException) {
            return Kind.RETRYABLE;
        }
        return Kind.OTHER;
    }

    /** Translates any exception thrown by the driver, pool, Hibernate or Flyway while doing {@code what}. */
    public StorageException translate(Throwable t, String what) {
        if (t instanceof StorageException se) {
            return se;
        }
        String detail = what + " on " + location + " failed: " + describe(t);
        return switch (classify(t)) {
            case DUPLICATE -> new DuplicateKeyException("record", what, t);
            case MISSING_REFERENCE -> new NotFoundException("referenced record", what);
            case RETRYABLE -> new StorageUnavailableException(detail, t);
            case CORRUPT -> new StorageCorruptionException(location, -1, detail, t);
            case CONFIGURATION -> new StorageConfigurationException(detail, t);
            case OTHER -> new StorageIOException(detail, t);
        };
    }

    private static boolean isSqlite(SQLException e) {
        return e.getClass().getName().startsWith("org.sqlite.");
    }

    static SQLException sqlException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    private static String describe(Throwable t) {
        SQLException e = sqlException(t);
        Throwable shown = e != null ? e : t;
        String state = e != null && e.getSQLState() != null ? " [SQLState " + e.getSQLState() + "]" : "";
        return shown.getClass().getSimpleName() + ": " + shown.getMessage() + state;
    }
}
