package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.migration.ImportOptions;
import dev.chatstore.migration.ImportSummary;
import dev.chatstore.migration.LegacyFormat;
import dev.chatstore.migration.legacy.LegacyImports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * {@code chatstore import-legacy --format chat-sync|python-app|json-store SOURCE}: imports one of the ad-hoc JSON
 * stores teams run before Chatstore into the store {@code --url} names. Every record that cannot be imported is a
 * line of the JSONL report (file, line or JSON path, reason); the exit code says whether anything was skipped (1) or
 * failed (2). Safe to run again: a re-run changes nothing, and with {@code --checkpoint} a killed run resumes.
 */
@Command(name = "import-legacy", mixinStandardHelpOptions = true,
        description = {"Import a legacy JSON chat store (chat-sync chatStore.json, the Python app's users.json +"
                + " user_data/, a TypeScript JsonStore data/ tree).",
                "Exit code 0: everything imported; 1: some records skipped or mapped (see the report); 2: some failed."})
final class ImportLegacyCommand extends StoreCommand {

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "chat-sync, python-app or json-store")
    String format;

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "chatStore.json (or its directory), the directory holding users.json, or the data/ directory")
    Path source;

    @Option(names = "--legacy-key", paramLabel = "KEY", description = "The Fernet key the legacy API keys were"
            + " encrypted with (python-app); without it they are reported and skipped, never stored as plaintext.")
    String legacyKey;

    @Option(names = "--report", paramLabel = "FILE", description = "Write every rejected record here (JSONL).")
    Path report;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Resume from (and record progress in) this file.")
    Path checkpoint;

    @Option(names = "--default-user", paramLabel = "ID", description = "The user that chats without one go to"
            + " (default: " + ImportOptions.DEFAULT_USER_ID + ").")
    String defaultUser;

    @Option(names = "--dry-run", description = "Validate and report without writing to the store.")
    boolean dryRun;

    @Override
    int run() {
        LegacyFormat legacyFormat = LegacyFormat.fromName(format);
        ImportOptions options = ImportOptions.defaults().withDryRun(dryRun);
        if (legacyKey != null) {
            options = options.withLegacyKey(legacyKey);
        }
        if (report != null) {
            options = options.withReport(report);
        }
        if (checkpoint != null) {
            options = options.withCheckpoint(checkpoint);
        }
        if (defaultUser != null) {
            options = options.withDefaultUserId(defaultUser);
        }
        ChatStoreConfig config = root().resolveConfig().config();
        try (ChatStore store = root().open(config);
             Progress progress = Progress.start(root().environment().terminal(), root().environment().progressEvery(),
                     err(), "import-legacy", Progress.Unit.MEBIBYTES, OptionalLong.empty())) {
            ImportSummary summary = LegacyImports.run(legacyFormat, store, source, options.withProgress(p -> {
                progress.advanceTo(p.bytesRead());
                progress.detail(String.format(java.util.Locale.ROOT, "%,d sessions, %,d messages, %,d rejected",
                        p.sessions(), p.messages(), p.rejected()));
            }));
            progress.close();
            out().println(summary.describe());
            return summary.exitCode();
        }
    }
}
