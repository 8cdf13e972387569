package dev.chatstore.jdbc;

import dev.chatstore.jdbc.internal.Database;
import dev.chatstore.jdbc.internal.JdbcOptions;
import org.flywaydb.core.api.output.MigrateResult;

import java.util.Optional;

/**
 * Applies the schema migrations of a JDBC store without opening it: for teams that run migrations as their
 * own step (with {@code backend.auto-migrate=false} in the application) and for {@code chatstore migrate}.
 */
public final class JdbcMigrations {

    private JdbcMigrations() {
    }

    /**
     * What a migration did.
     *
     * @param applied       how many migrations were applied now
     * @param schemaVersion the schema version afterwards
     */
    public record Result(int applied, String schemaVersion) {
    }

    /** Migrates to the latest version. */
    public static Result migrate(String url) {
        return migrate(url, Optional.empty());
    }

    /** Migrates up to {@code target} (e.g. "1"), or to the latest version. */
    public static Result migrate(String url, Optional<String> target) {
        try (Database db = Database.open(url, JdbcOptions.defaults())) {
            MigrateResult r = db.migrate(target.orElse(null));
            String version = r.targetSchemaVersion != null ? r.targetSchemaVersion
                    : r.initialSchemaVersion != null ? r.initialSchemaVersion : "none";
            return new Result(r.migrationsExecuted, version);
        }
    }
}
