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
import java.util.OptionalLong;

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
        try (Progress progress = startProgress();
             InputStream in = openInput(progress); ChatStore store = root().open(resolved.config())) {
            TransferReport report = store.importFrom(in);
            progress.close();
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

    /** Bytes read out of the file's size (so there is an ETA), or out of an unknown total from stdin. */
    private Progress startProgress() {
        OptionalLong size = OptionalLong.empty();
        if (input != null && Files.isRegularFile(input)) {
            try {
                size = OptionalLong.of(Files.size(input));
            } catch (IOException e) {
                // No total then: the read below reports the file's problem.
            }
        }
        return Progress.start(root().environment().terminal(), root().environment().progressEvery(), err(), "import",
                Progress.Unit.MEBIBYTES, size);
    }

    private InputStream openInput(Progress progress) throws IOException {
        if (input == null) {
            // Not ours to close: shield the process's stdin from the try-with-resources.
            return new BufferedInputStream(CountingStreams.bytesAndLines(root().environment().stdin(), progress),
                    1 << 16) {
                @Override
                public void close() {
                }
            };
        }
        return new BufferedInputStream(CountingStreams.bytesAndLines(Files.newInputStream(input), progress), 1 << 16);
    }
}
