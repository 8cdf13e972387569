package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.spi.StoreMaintenance.SchemaStatus;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The schema of one JDBC store as Flyway manages it: its version, what is pending, upgrades, validation. The
 * versions are Flyway's ({@code V1__schema.sql} is version {@code 1}); a store with no schema yet is at {@code 0}.
 */
public final class JdbcSchema {

    /** The version of a database with no migration applied. */
    public static final String NONE = "0";

    private final Database db;

    public JdbcSchema(Database db) {
        this.db = db;
    }

    /** The store's version, the latest this code knows, and the migrations between them. */
    public SchemaStatus status() {
        return db.withFlyway("reading the schema version", flyway -> status(flyway.info()));
    }

    private static SchemaStatus status(MigrationInfoService info) {
        MigrationInfo current = info.current();
        List<String> pending = new ArrayList<>();
        for (MigrationInfo m : info.pending()) {
            pending.add(m.getVersion().getVersion() + " " + m.getDescription());
        }
        return new SchemaStatus(current == null ? NONE : current.getVersion().getVersion(), latest(info).getVersion(),
                pending);
    }

    /** The newest migration this code has (not one a newer release applied). */
    private static MigrationVersion latest(MigrationInfoService info) {
        MigrationVersion latest = MigrationVersion.EMPTY;
        for (MigrationInfo m : info.all()) {
            if (m.getVersion() != null && m.getState().isResolved() && m.getVersion().isNewerThan(latest.getVersion())) {
                latest = m.getVersion();
            }
        }
        return latest;
    }

    /**
     * Whether Flyway's history says the store is at {@link HibernateMapping#VALIDATED_SCHEMA_VERSION} with no
     * failed or newer migration: one plain query, no Flyway (whose start-up, class path scan and checksums cost more
     * than the rest of an open). False when there is no history table yet.
     */
    public boolean atValidatedVersion() {
        return db.autoCommitted("reading the schema history", c -> {
            long trusted = Long.parseLong(HibernateMapping.VALIDATED_SCHEMA_VERSION);
            boolean reached = false;
            try (var st = c.createStatement();
                 var rs = st.executeQuery("SELECT version, success FROM flyway_schema_history")) {
                while (rs.next()) {
                    String version = rs.getString(1);
                    if (!rs.getBoolean(2)) {
                        return false;
                    }
                    if (version == null) {
                        continue;
                    }
                    long v;
                    try {
                        v = Long.parseLong(version);
                    } catch (NumberFormatException notOurs) {
                        return false;
                    }
                    if (v > trusted) {
                        return false;
                    }
                    reached |= v == trusted;
                }
            } catch (java.sql.SQLException noHistoryYet) {
                return false;
            }
            return reached;
        });
    }

    /** Applies every pending migration in one Flyway pass (what opening a store with auto-migrate does). */
    public SchemaStatus upgradeOnOpen() {
        return db.withFlyway("migrating the schema", flyway -> {
            MigrateResult result = flyway.migrate();
            // after a full migrate the store is at the latest version (Flyway refuses a history it does not know)
            String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                    : result.initialSchemaVersion != null ? result.initialSchemaVersion : NONE;
            return new SchemaStatus(version, version, List.of());
        });
    }

    /**
     * Applies the pending migrations up to {@code target} (the latest when empty).
     *
     * @throws StorageConfigurationException if the target is not a version this code has, or is below the store's
     *                                       version (a schema is never downgraded)
     */
    public SchemaStatus upgrade(Optional<String> target) {
        return db.withFlyway("upgrading the schema", flyway -> {
            MigrationInfoService before = flyway.info();
            Flyway migrating = flyway;
            if (target.isPresent()) {
                MigrationVersion wanted = known(before, target.get().strip());
                MigrationInfo current = before.current();
                if (current != null && current.getVersion().isNewerThan(wanted.getVersion())) {
                    throw new StorageConfigurationException("cannot upgrade " + db.location() + " to schema version "
                            + wanted + ": it is already at version " + current.getVersion()
                            + " (a schema is never downgraded)");
                }
                migrating = Flyway.configure(getClass().getClassLoader()).configuration(flyway.getConfiguration())
                        .target(wanted).load();
            }
            migrating.migrate();
            return status(flyway.info());
        });
    }

    private MigrationVersion known(MigrationInfoService info, String version) {
        List<String> known = new ArrayList<>();
        for (MigrationInfo m : info.all()) {
            if (m.getVersion() != null && m.getState().isResolved()) {
                known.add(m.getVersion().getVersion());
                if (m.getVersion().getVersion().equals(version)) {
                    return m.getVersion();
                }
            }
        }
        try {
            MigrationVersion parsed = MigrationVersion.fromVersion(version);
            for (MigrationInfo m : info.all()) {
                if (m.getVersion() != null && m.getState().isResolved() && m.getVersion().equals(parsed)) {
                    return m.getVersion();
                }
            }
        } catch (FlywayException malformed) {
            // reported below with the versions that exist
        }
        throw new StorageConfigurationException("unknown schema version '" + version + "' for " + db.location()
                + "; this release knows " + String.join(", ", known));
    }

    /** Flyway's validation of the applied migrations (checksums, failures); pending ones are not errors here. */
    List<String> problems() {
        return db.withFlyway("validating the schema history", flyway -> {
            ValidateResult result = Flyway.configure(getClass().getClassLoader())
                    .configuration(flyway.getConfiguration())
                    .ignoreMigrationPatterns("*:pending")
                    .load().validateWithResult();
            List<String> out = new ArrayList<>();
            if (result.validationSuccessful) {
                return out;
            }
            if (result.invalidMigrations != null) {
                result.invalidMigrations.forEach(m -> out.add("migration " + m.version + " (" + m.description + "): "
                        + (m.errorDetails == null ? "invalid" : m.errorDetails.errorMessage)));
            }
            if (out.isEmpty() && result.errorDetails != null) {
                out.add(result.errorDetails.errorMessage);
            }
            return out;
        });
    }
}
