package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.StorageBackends;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.api.spi.StoreMaintenance.CheckReport;
import dev.chatstore.api.spi.StoreMaintenance.Finding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code chatstore check [--repair | --salvage]}: asks the store's own maintenance (through the port, whatever the
 * backend) to verify it, and reports each finding with where it is. Without an option nothing is changed.
 * {@code --repair} rebuilds derived data and fixes what can be fixed without losing a record; {@code --salvage}
 * also sets damaged records aside (kept beside the store, never deleted) so that the rest opens, and (file: stores)
 * recreates a session's or panel's missing file from its log. Exit code 0 when nothing but notes remains ("info:"
 * lines, e.g. a seq gap salvage left), 1 when an error or warning remains.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Verify a store (files, checksums, indexes or schema, depending on the backend).",
                "file: stores: every JSON file parses; every log record has its checksum and a rising seq; offset",
                "indexes agree with their logs; session.json/panel.json counters claim no more than their log holds;",
                "every log has its session.json or panel.json; seqs missing from a log (a gap salvage left) are",
                "listed with the messages.jsonl~damaged-<offset> file that holds them.",
                "Without options nothing is changed. --repair rebuilds derived data, cuts torn tails and rewrites",
                "counters from the logs; --salvage also moves damaged records aside (kept beside the store, never",
                "deleted) and recreates a missing session.json or panel.json from its log.",
                "Exit code: 0 when only notes (info:) remain, 1 when an error or warning remains."})
final class CheckCommand extends StoreCommand {

    @Mixin
    FormatOption formatOption;

    @Option(names = "--repair",
            description = "Fix what can be fixed without losing a record (indexes, torn tails, counters).")
    boolean repair;

    @Option(names = "--salvage", description = "Also set damaged records aside so the rest of the store opens, and"
            + " recreate a missing session.json or panel.json from its log.")
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
        int exitCode = report.clean() ? ChatStoreCommand.EXIT_OK : ChatStoreCommand.EXIT_ERROR;
        if (formatOption.resolve(root().environment().terminal()) != OutputFormat.TABLE) {
            List<JsonObject> findings = report.findings().stream().map(f -> Records.fields("severity",
                    f.severity().name().toLowerCase(Locale.ROOT), "location", f.location(), "message", f.message(),
                    "fixed", f.fixed())).toList();
            Records.printObject(out, Records.fields("store", ChatStoreCommand.displayUrl(url),
                    "mode", mode.name().toLowerCase(Locale.ROOT), "checked", report.checked(), "clean", report.clean(),
                    "findings", findings));
            return exitCode;
        }
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
            return exitCode;
        }
        out.println(problems + " problem(s) found" + (mode == StoreMaintenance.Mode.CHECK
                ? "; 'chatstore check --repair' fixes derived data, torn tails and counters, 'chatstore check"
                + " --salvage' also sets damaged records aside and recovers logs without their session" : ""));
        return exitCode;
    }
}
