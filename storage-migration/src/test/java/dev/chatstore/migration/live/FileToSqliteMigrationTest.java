package dev.chatstore.migration.live;

import java.nio.file.Files;
import java.nio.file.Path;

/** The end-to-end live migration from a file store to SQLite. */
class FileToSqliteMigrationTest extends LiveMigrationScenario {
    @Override
    protected String newTargetUrl(Path dir) throws Exception {
        return "jdbc:sqlite:" + Files.createDirectories(dir).resolve("chat.db");
    }
}
