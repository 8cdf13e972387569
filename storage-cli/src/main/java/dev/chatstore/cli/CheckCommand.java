package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.StorageBackends;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.api.spi.StoreMaintenance.CheckReport;
import dev.chatstore.api.spi.StoreMaintenance.Finding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code chatstore check [--repair | --salvage]}: asks the store's own maintenance (through the port, whatever the
 * backend) to verify it, and reports each finding with where it is. Without an option nothing is changed.
 * {@code --repair} rebuilds derived data and fixes what can be fixed without losing a record; {@code --salvage}
 * also sets damaged records aside (kept beside the store, never deleted) so that the rest opens. Exit code 0 when
 * the store is sound, 1 when problems remain.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Verify a store (files, checksums, indexes or schema, depending on the backend).",
                "Without options nothing is changed. --repair rebuilds derived data and cuts torn tails;",
                "--salvage also moves damaged records aside (kept beside the store, never deleted)."})
final class CheckCommand extends StoreCommand {

    @Option(names = "--repair", description = "Fix what can be fixed without losing a record (indexes, torn tails).")
    boolean repair;

    @Option(names = "--salvage", description = "Also set damaged records aside so the rest of the store opens.")
    boolean salvage;

    @Override
    int run() {
        // checking or repairing never creates a store: a mistyped URL is "no Chatstore store at …"
        ChatStoreConfig config = root().resolveConfig().config().toBuilder().set(Setting.CREATE_IF_MISSING, false).build();
        StoreMaintenance.Mode mode = salvage ? StoreMaintenance.Mode.SALVAGE
                : repair ? StoreMaintenance.Mode.REPAIR : StoreMaintenance.Mode.CHECK;
        Optional<StoreMaintenance> standalone = StorageBackends.maintenance(config);
        if (standalone.isPresent()) {
            try (StoreMaintenance maintenance = standalone.get()) {
                return report(config.url(), checked(maintenance, mode), mode);
            }
        }
        // The backend checks only through an open store; a plain check opens it read-only, so it changes nothing.
        ChatStoreConfig opening = mode == StoreMaintenance.Mode.CHECK
                ? config.toBuilder().set(Setting.READ_ONLY, true).build() : config;
        try (ChatStore store = root().open(opening)) {
            StoreMaintenance maintenance = store.maintenance().orElseThrow(() -> new StorageConfigurationException(
                    "the store at '" + ChatStoreCommand.displayUrl(config.url()) + "' offers no check"));
            return report(config.url(), checked(maintenance, mode), mode);
        }
    }

    /**
     * Runs the check with progress on stderr. The port reports nothing until the check ends, so the bar shows the
     * time spent (on a terminal) and then the count of items checked.
     */
    private CheckReport checked(StoreMaintenance maintenance, StoreMaintenance.Mode mode) {
        try (Progress progress = Progress.start(root().environment().terminal(), root().environment().progressEvery(),
                err(), mode.name().toLowerCase(Locale.ROOT), new Progress.Unit("items", 1), OptionalLong.empty())) {
            CheckReport report = maintenance.check(mode);
            progress.advanceTo(report.checked());
            return report;
        }
    }

    private int report(String url, CheckReport report, StoreMaintenance.Mode mode) {
        PrintWriter out = out();
        out.println("checked " + ChatStoreCommand.displayUrl(url) + ": " + report.checked() + " item(s)");
        long problems = 0;
        for (Finding f : report.findings()) {
            out.println((f.fixed() ? "fixed: " : f.severity().name().toLowerCase(Locale.ROOT) + ": ")
                    + f.location() + ": " + f.message());
            if (!f.fixed() && f.severity() != StoreMaintenance.Severity.INFO) {
                problems++;
            }
        }
        if (report.clean()) {
            out.println("ok");
            return ChatStoreCommand.EXIT_OK;
        }
        out.println(problems + " problem(s) found" + (mode == StoreMaintenance.Mode.CHECK
                ? "; 'chatstore check --repair' fixes derived data and torn tails, 'chatstore check --salvage'"
                + " sets damaged records aside" : ""));
        return ChatStoreCommand.EXIT_ERROR;
    }
}
