package dev.chatstore.mongo.internal;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoClientException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.StorageUnavailableException;

/**
 * The one place where driver exceptions become the API's: a duplicate key (server code 11000) is a
 * {@link DuplicateKeyException}; timeouts, network errors, a primary that stepped down or a node that is recovering
 * are {@link StorageUnavailableException} (retryable); an authentication failure is a configuration error; any other
 * server or driver error is a {@link StorageIOException}. Repositories call {@link #translate} in one catch block per
 * operation, so no {@link MongoException} escapes the adapter.
 */
public final class MongoExceptionTranslator {

    /** The server's code for a unique index violation. */
    public static final int DUPLICATE_KEY = 11000;

    private MongoExceptionTranslator() {
    }

    /** Whether the exception is a unique index violation (of a single write or of a bulk write). */
    public static boolean isDuplicateKey(Throwable e) {
        if (e instanceof MongoWriteException w) {
            return w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY || w.getCode() == DUPLICATE_KEY;
        }
        if (e instanceof MongoBulkWriteException b) {
            for (BulkWriteError error : b.getWriteErrors()) {
                if (error.getCode() == DUPLICATE_KEY || error.getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    return true;
                }
            }
            return false;
        }
        return e instanceof MongoServerException s && s.getCode() == DUPLICATE_KEY;
    }

    /**
     * The API exception for a driver exception.
     *
     * @param what       what was being done, for the message (e.g. {@code "append to session u/s"})
     * @param duplicate  entity and key to name if this is a duplicate key, or null for a generic one
     */
    public static StorageException translate(String what, RuntimeException e, DuplicateKeyException duplicate) {
        if (e instanceof StorageException already) {
            return already;
        }
        if (isDuplicateKey(e)) {
            return duplicate != null ? duplicate : new DuplicateKeyException("record", what, e);
        }
        String reason = what + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof MongoTimeoutException || e instanceof MongoSocketException
                || e instanceof MongoNotPrimaryException || e instanceof MongoNodeIsRecoveringException
                || e instanceof MongoExecutionTimeoutException || e instanceof MongoInterruptedException
                || e instanceof MongoConnectionPoolClearedException || e instanceof MongoWriteConcernException
                || e instanceof com.mongodb.MongoOperationTimeoutException) {
            return new StorageUnavailableException(reason, e);
        }
        if (e instanceof MongoException m && (m.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)
                || m.hasErrorLabel(MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL)
                || m.hasErrorLabel("RetryableWriteError"))) {
            return new StorageUnavailableException(reason, e);
        }
        if (e instanceof MongoSecurityException) {
            return new StorageConfigurationException(reason, e);
        }
        if (e instanceof MongoCommandException || e instanceof MongoServerException || e instanceof MongoClientException
                || e instanceof MongoException) {
            return new StorageIOException(reason, e);
        }
        if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("state should be: open")) {
            return new StorageUnavailableException(what + " failed: the MongoDB client is closed", e);
        }
        return new StorageIOException(reason, e);
    }
}
