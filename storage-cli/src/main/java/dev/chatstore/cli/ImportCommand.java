package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.TransferReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code chatstore import}: reads an export (from stdin or a file) into the store, replacing records with the
 * same keys. Into an empty store this restores the exported one.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Read a portable NDJSON export into the store, replacing records with the same keys.",
                "The counts go to stderr."})
final class ImportCommand extends StoreCommand {

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read FILE instead of stdin.")
    Path input;

    @Override
    int run() {
        ChatStoreCommand.ResolvedConfig resolved = root().resolveConfig();
        // The file is opened before the store, so a mistyped name touches no store.
        try (InputStream in = openInput(); ChatStore store = root().open(resolved.config())) {
            TransferReport report = store.importFrom(in);
            err().println("imported " + Transfers.describe(report) + (input == null ? "" : " from " + input));
            if (isTransient(store)) {
                err().println("note: " + ChatStoreCommand.displayUrl(resolved.config().url())
                        + " keeps data only while this command runs: the export was read and checked, then discarded;"
                        + " use --url to import into a lasting store");
            }
            return ChatStoreCommand.EXIT_OK;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + (input == null ? "stdin" : input) + ": " + reason(e), e);
        }
    }

    private InputStream openInput() throws IOException {
        if (input == null) {
            // Not ours to close: shield the process's stdin from the try-with-resources.
            return new BufferedInputStream(root().environment().stdin(), 1 << 16) {
                @Override
                public void close() {
                }
            };
        }
        return new BufferedInputStream(Files.newInputStream(input), 1 << 16);
    }
}
