package dev.chatstore.cli;

import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.jdbc.JdbcMigrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Optional;

/**
 * {@code chatstore migrate}: applies the schema migrations of a JDBC store (SQLite or PostgreSQL) without
 * opening it, for teams that run migrations as their own deployment step and open their stores with
 * {@code backend.auto-migrate=false}.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply the schema migrations of a jdbc:sqlite: or jdbc:postgresql: store.")
final class MigrateCommand extends StoreCommand {

    @Option(names = "--target", paramLabel = "VERSION",
            description = "Migrate up to this schema version only (default: the latest).")
    String target;

    @Override
    int run() {
        String url = root.resolveConfig().config().url();
        if (!url.startsWith("jdbc:")) {
            throw new StorageConfigurationException("migrate works on jdbc:sqlite: and jdbc:postgresql: stores; '"
                    + ChatStoreCommand.displayUrl(url) + "' has no schema to migrate");
        }
        JdbcMigrations.Result result = JdbcMigrations.migrate(url, Optional.ofNullable(target));
        out().println("store   " + ChatStoreCommand.displayUrl(url));
        out().println("applied " + result.applied() + " migration(s); schema version " + result.schemaVersion());
        return ChatStoreCommand.EXIT_OK;
    }
}
