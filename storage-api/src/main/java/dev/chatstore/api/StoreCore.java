package dev.chatstore.api;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.internal.CredentialCipher;
import dev.chatstore.api.internal.IdGenerator;
import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.StorageBackend;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** What the facades of one {@link ChatStore} share: configuration, backend, clock, ID generator, cipher. */
final class StoreCore {

    /** Attempts of an unconditional read-modify-write before giving up under contention. */
    static final int UPDATE_ATTEMPTS = 32;
    /** Bounds of the random wait between two such attempts. */
    private static final long MIN_BACKOFF_NANOS = 20_000;
    private static final long MAX_BACKOFF_NANOS = 1_000_000_000;

    final ChatStoreConfig config;
    final StorageBackend backend;
    final Clock clock;
    final IdGenerator ids = new IdGenerator();
    final CredentialCipher cipher;

    StoreCore(ChatStoreConfig config, StorageBackend backend, Clock clock) {
        this.config = config;
        this.backend = new ClosedGuard(config.readOnly() ? new ReadOnlyGuard(backend) : backend);
        this.clock = clock;
        this.cipher = new CredentialCipher(config.encryptionKeys(), config.activeKeyId());
    }

    /** The current time, truncated to milliseconds like every stored timestamp. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    int limit(int requested) {
        return Validator.limit("limit", requested, config.maxPageLimit());
    }

    /** The session, or NotFoundException: a session of another user is not found either. */
    Session requireSession(String userId, String sessionId) {
        Validator.id("userId", userId);
        Validator.id("sessionId", sessionId);
        return backend.sessions().find(userId, sessionId)
                .orElseThrow(() -> new NotFoundException("session", userId + "/" + sessionId));
    }

    /** Runs a compare-and-set step again while it conflicts, for updates that carry no expected version. */
    static <T> T retryOnConflict(String what, Supplier<T> attempt) {
        OptimisticConflictException last = null;
        for (int i = 0; i < UPDATE_ATTEMPTS; i++) {
            long started = System.nanoTime();
            try {
                return attempt.get();
            } catch (OptimisticConflictException e) {
                last = e;
                backOff(i, System.nanoTime() - started);
            }
        }
        throw new StorageUnavailableException(what + " kept conflicting with concurrent updates after "
                + UPDATE_ATTEMPTS + " attempts", last);
    }

    /**
     * Waits a random time below a bound that starts at the failed attempt's duration and doubles per attempt (full
     * jitter). Retrying at once makes contenders on a backend with real write latency (a database round trip, an
     * fsync) collide again and again until the attempts run out.
     */
    private static void backOff(int attempt, long attemptNanos) {
        long unit = Math.max(MIN_BACKOFF_NANOS, attemptNanos);
        long bound = Math.min(MAX_BACKOFF_NANOS, unit << Math.min(attempt, 10));
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(bound + 1));
    }

    static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
