package dev.chatstore.api.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Check, repair and schema operations an adapter offers for its kind of store (the file backend checks and repairs
 * its files; the JDBC backend reports and upgrades its schema). Tools such as the CLI reach them through
 * {@code ChatStore.maintenance()} and never depend on an adapter's classes.
 */
public interface StoreMaintenance extends AutoCloseable {

    /** What a check may do. */
    enum Mode {
        /** Read and report only; change nothing. */
        CHECK,
        /** Also rebuild derived data and fix what can be fixed without losing a record. */
        REPAIR,
        /** Also set damaged records aside (kept beside the store, never deleted) so the rest can be opened. */
        SALVAGE
    }

    /** Releases what a standalone maintenance session holds (files, connections); a no-op for an open store's. */
    @Override
    default void close() {
    }

    /** Checks the store; see {@link Mode}. */
    CheckReport check(Mode mode);

    /** The schema (or format) version of the store and of this code, when the store has one. */
    default Optional<SchemaStatus> schema() {
        return Optional.empty();
    }

    /**
     * Brings the schema to {@code targetVersion} (the latest when empty).
     *
     * @throws dev.chatstore.api.error.StorageConfigurationException if the target is unknown or below the current
     *                                                               version, or the store has no schema
     */
    default SchemaStatus upgrade(Optional<String> targetVersion) {
        throw new dev.chatstore.api.error.StorageConfigurationException("this store has no schema to upgrade");
    }

    /**
     * One thing a check found.
     *
     * @param severity how bad it is
     * @param location the file, table or key it is about
     * @param message  what is wrong, and what to do about it
     * @param fixed    whether this check fixed it (repair or salvage)
     */
    record Finding(Severity severity, String location, String message, boolean fixed) {
        public Finding {
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(message, "message");
        }
    }

    /** How bad a finding is. */
    enum Severity {
        /** Worth knowing, nothing is wrong. */
        INFO,
        /** Derived data is out of date or something needs attention; no record is affected. */
        WARNING,
        /** A record is damaged, missing or unreadable. */
        ERROR
    }

    /**
     * A check's result.
     *
     * @param findings what was found, in the order found
     * @param checked  how many items (files, rows, records) were checked
     */
    record CheckReport(List<Finding> findings, long checked) {
        public CheckReport {
            findings = List.copyOf(findings);
        }

        /** Whether no finding is an error or warning left unfixed. */
        public boolean clean() {
            return findings.stream().allMatch(f -> f.fixed() || f.severity() == Severity.INFO);
        }
    }

    /**
     * A schema's versions.
     *
     * @param current the version the store is at ({@code "0"} or empty string when it has none yet)
     * @param latest  the newest version this code knows
     * @param pending versions between the two, oldest first, each with its description
     */
    record SchemaStatus(String current, String latest, List<String> pending) {
        public SchemaStatus {
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(latest, "latest");
            pending = List.copyOf(pending);
        }

        public boolean upToDate() {
            return pending.isEmpty();
        }
    }
}
