package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.HealthReport;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Locale;

/** {@code chatstore stats}: where the store is, whether it is healthy, and how many records of each kind it holds. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show the store's health (backend, reachable, writable, latency) and record counts.")
final class StatsCommand extends StoreCommand {

    @Override
    int run() {
        ChatStoreCommand.ResolvedConfig resolved = root().resolveConfig();
        try (ChatStore store = root().open(resolved.config())) {
            HealthReport health = store.health();
            PrintWriter out = out();
            TextTable header = new TextTable(false, false)
                    .row("store", ChatStoreCommand.displayUrl(resolved.config().url()) + "  (from " + resolved.urlOrigin() + ")")
                    .row("backend", health.backend())
                    .row("health", describe(health));
            header.print(out, "");
            if (!health.reachable()) {
                return ChatStoreCommand.EXIT_UNAVAILABLE;
            }
            out.println();
            StoreCounts.of(store).table().print(out, "");
            return health.healthy() ? ChatStoreCommand.EXIT_OK : ChatStoreCommand.EXIT_UNAVAILABLE;
        }
    }

    static String describe(HealthReport health) {
        StringBuilder text = new StringBuilder()
                .append(health.reachable() ? "reachable" : "UNREACHABLE")
                .append(", ").append(health.writable() ? "writable" : "NOT WRITABLE")
                .append(", latency ").append(String.format(Locale.ROOT, "%.2f ms", health.latency().toNanos() / 1e6));
        health.sizeBytes().ifPresent(size -> text.append(", size ").append(size).append(" bytes"));
        health.detail().ifPresent(detail -> text.append(" (").append(detail).append(')'));
        return text.toString();
    }
}
