package dev.chatstore.migration.live;

import java.nio.file.Files;
import java.nio.file.Path;

/** The end-to-end live migration between two file stores. */
class FileToFileMigrationTest extends LiveMigrationScenario {
    @Override
    protected String newTargetUrl(Path dir) throws Exception {
        return "file:" + Files.createDirectories(dir);
    }
}
