package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.TransferReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * {@code chatstore export}: every record of the store in the portable NDJSON format, to stdout or a file. A
 * file is written beside its final name and renamed into place when complete, so a failed export never leaves
 * a truncated backup under that name.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write every record of the store as portable NDJSON (credentials stay encrypted).",
                "The counts go to stderr."})
final class ExportCommand extends StoreCommand {

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path output;

    @Override
    int run() {
        ChatStoreCommand.ResolvedConfig resolved = root().resolveConfig();
        try (ChatStore store = ReadCommand.openForReading(root());
             Progress progress = Progress.start(root().environment().terminal(),
                     root().environment().progressEvery(), err(), "export", Progress.Unit.RECORDS,
                     OptionalLong.empty())) {
            TransferReport report = output == null ? toStdout(store, progress) : toFile(store, output, progress);
            progress.close();
            err().println("exported " + Transfers.describe(report) + (output == null ? "" : " to " + output));
            return ChatStoreCommand.EXIT_OK;
        }
    }

    private TransferReport toStdout(ChatStore store, Progress progress) {
        OutputStream stdout = root().environment().stdout();
        TransferReport report = store.exportTo(CountingStreams.lines(stdout, progress));
        try {
            stdout.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to stdout: " + reason(e), e);
        }
        return report;
    }

    private static TransferReport toFile(ChatStore store, Path target, Progress progress) {
        Path absolute = target.toAbsolutePath();
        Path temp;
        try {
            temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".partial");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + reason(e), e);
        }
        boolean done = false;
        try {
            TransferReport report;
            try (FileOutputStream file = new FileOutputStream(temp.toFile());
                 OutputStream out = new BufferedOutputStream(file, 1 << 16)) {
                report = store.exportTo(CountingStreams.lines(out, progress));
                out.flush();
                file.getFD().sync();
            }
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + reason(e), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The export already failed; that error is the one to report.
                }
            }
        }
    }
}
