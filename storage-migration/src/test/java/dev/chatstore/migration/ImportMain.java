package dev.chatstore.migration;

import dev.chatstore.api.ChatStore;
import dev.chatstore.migration.legacy.LegacyImports;

import java.nio.file.Path;

/**
 * Runs one import in its own JVM, for the tests that kill it or bound its heap:
 * {@code ImportMain FORMAT TARGET_URL SOURCE CHECKPOINT REPORT [LEGACY_KEY]}. Prints {@code PROGRESS <messages>}
 * lines while it runs and {@code DONE <exit status> <summary>} at the end.
 */
public final class ImportMain {

    private ImportMain() {
    }

    public static void main(String[] args) {
        LegacyFormat format = LegacyFormat.fromName(args[0]);
        ImportOptions options = ImportOptions.defaults().withCheckpoint(Path.of(args[3])).withReport(Path.of(args[4]))
                .withProgress(p -> System.out.println("PROGRESS " + p.messages()));
        if (args.length > 5) {
            options = options.withLegacyKey(args[5]);
        }
        try (ChatStore store = ChatStore.open(TestStore.config(args[1]))) {
            ImportSummary s = LegacyImports.run(format, store, Path.of(args[2]), options);
            System.out.println("DONE " + s.exitCode() + " " + s.entities());
            System.out.flush();
        }
    }
}
