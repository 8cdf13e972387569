package dev.chatstore.migration.live;

import dev.chatstore.api.StorageBackends;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.StorageBackend;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What a live migration moves, where it keeps its state, and how the application side behaves. Shared by the
 * operator ({@link Migration}) and every application instance ({@link MigratingBackend}): both must use the same
 * work directory.
 *
 * @param source     the store migrated from (its URL and backend options)
 * @param target     the store migrated to
 * @param workDir    phase file, lease, repair journal, checkpoint and verify reports
 * @param policy     what a dual-write does when the secondary fails
 * @param phasePoll  how often applications re-read the phase
 * @param settle     how long after {@code start} a backfill waits, so every application has switched to dual-write
 *                   (at least {@code phasePoll} plus the longest write)
 * @param opener     opens a backend for a configuration (the providers found by URL, unless tests wire their own)
 */
public record MigrationPlan(ChatStoreConfig source, ChatStoreConfig target, Path workDir, FailurePolicy policy,
                            Duration phasePoll, Duration settle, BackendOpener opener) {

    /** Opens the backend a configuration names. */
    @FunctionalInterface
    public interface BackendOpener {
        StorageBackend open(ChatStoreConfig config);

        /** Finds the provider by URL with {@link java.util.ServiceLoader}. */
        static BackendOpener byUrl() {
            return config -> StorageBackends.select(config.url(), StorageBackends.discover())
                    .open(new BackendContext(config.url(), config, Clock.systemUTC()));
        }
    }

    public MigrationPlan {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(phasePoll, "phasePoll");
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(opener, "opener");
    }

    /** Journal policy, phase polled every second, 3 s settle time, providers found by URL. */
    public static MigrationPlan of(ChatStoreConfig source, ChatStoreConfig target, Path workDir) {
        return new MigrationPlan(source, target, workDir, FailurePolicy.JOURNAL, Duration.ofSeconds(1),
                Duration.ofSeconds(3), BackendOpener.byUrl());
    }

    public MigrationPlan withTiming(Duration poll, Duration settleTime) {
        return new MigrationPlan(source, target, workDir, policy, poll, settleTime, opener);
    }

    public MigrationPlan withOpener(BackendOpener newOpener) {
        return new MigrationPlan(source, target, workDir, policy, phasePoll, settle, newOpener);
    }

    public MigrationPlan withPolicy(FailurePolicy newPolicy) {
        return new MigrationPlan(source, target, workDir, newPolicy, phasePoll, settle, opener);
    }

    /** Identifies the pair of stores for checkpoints: both URLs, passwords redacted. */
    String fingerprint() {
        return StorageBackends.redact(source.url()) + " -> " + StorageBackends.redact(target.url());
    }
}
