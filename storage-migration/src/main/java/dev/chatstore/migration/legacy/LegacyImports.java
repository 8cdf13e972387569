package dev.chatstore.migration.legacy;

import dev.chatstore.api.ChatStore;
import dev.chatstore.migration.ImportOptions;
import dev.chatstore.migration.ImportSummary;
import dev.chatstore.migration.LegacyFormat;
import dev.chatstore.migration.LegacyImporter;

import java.nio.file.Path;

/** The entry point a command line or an application calls: the importer for a format, and a one-call run. */
public final class LegacyImports {

    private LegacyImports() {
    }

    /** A new importer for {@code format}. */
    public static LegacyImporter importer(LegacyFormat format) {
        return switch (format) {
            case CHAT_SYNC -> new ChatSyncImporter();
            case PYTHON_APP -> new PythonAppImporter();
            case JSON_STORE -> new JsonStoreImporter();
        };
    }

    /** Imports {@code source} in {@code format} into {@code target}; see {@link LegacyImporter#run}. */
    public static ImportSummary run(LegacyFormat format, ChatStore target, Path source, ImportOptions options) {
        return importer(format).run(target, source, options);
    }
}
