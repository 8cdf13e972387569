package dev.chatstore.cli;

import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.flatfile.FlatfileBackendProvider;
import dev.chatstore.flatfile.FlatfileCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * {@code chatstore check [--repair]}: verifies every file of a {@code file:} store (JSON files, log checksums and
 * seqs, offset indexes, document hashes) and reports each problem with its path and byte offset. {@code --repair}
 * cuts off torn tails and rebuilds indexes; damage before a log's tail stays an error (open the store with
 * {@code backend.salvage=true} to move it aside). Exit code 0 when the store is sound, 1 when problems remain.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Verify every file, checksum and index of a file: store; --repair fixes torn tails and indexes.")
final class CheckCommand extends StoreCommand {

    @Option(names = "--repair", description = "Truncate torn tails, rebuild offset indexes, remove dead temp files.")
    boolean repair;

    @Override
    int run() {
        ChatStoreCommand.ResolvedConfig resolved = root.resolveConfig();
        String url = resolved.config().url();
        if (!new FlatfileBackendProvider().supports(url)) {
            throw new StorageConfigurationException("check works on file: stores; '"
                    + ChatStoreCommand.displayUrl(url) + "' is not one");
        }
        FlatfileCheck.Report report = FlatfileCheck.run(url, repair);
        PrintWriter out = out();
        out.println("checked " + FlatfileBackendProvider.directory(url) + ": " + report.files() + " file(s), "
                + report.records() + " log record(s)");
        for (String r : report.repaired()) {
            out.println("repaired: " + r);
        }
        for (String f : report.findings()) {
            out.println(f);
        }
        out.println(report.ok() ? "ok" : report.errors() + " problem(s) found"
                + (repair ? "" : "; run 'chatstore check --repair' for torn tails and indexes"));
        return report.ok() ? ChatStoreCommand.EXIT_OK : ChatStoreCommand.EXIT_ERROR;
    }
}
