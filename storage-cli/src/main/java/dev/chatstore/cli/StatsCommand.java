package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.HealthReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import dev.chatstore.api.json.JsonObject;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * {@code chatstore stats}: where the store is, whether it is healthy, and how many records of each kind it holds;
 * as a table, or as one JSON object ({@code --format json|jsonl}).
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show the store's health (backend, reachable, writable, latency) and record counts.")
final class StatsCommand extends StoreCommand {

    @Mixin
    FormatOption formatOption;

    @Override
    int run() {
        ChatStoreCommand.ResolvedConfig resolved = root().resolveConfig();
        try (ChatStore store = ReadCommand.openForReading(root())) {
            HealthReport health = store.health();
            if (formatOption.resolve(root().environment().terminal()) != OutputFormat.TABLE) {
                return printJson(resolved, store, health);
            }
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
            return ChatStoreCommand.EXIT_OK;
        }
    }

    private int printJson(ChatStoreCommand.ResolvedConfig resolved, ChatStore store, HealthReport health) {
        JsonObject healthFields = Records.fields("reachable", health.reachable(), "writable", health.writable(),
                "latencyMillis", BigDecimal.valueOf(health.latency().toNanos()).movePointLeft(6),
                "sizeBytes", health.sizeBytes(), "detail", health.detail());
        JsonObject counts = health.reachable() ? StoreCounts.of(store).json() : null;
        Records.printObject(out(), Records.fields("store", ChatStoreCommand.displayUrl(resolved.config().url()),
                "urlOrigin", resolved.urlOrigin(), "backend", health.backend(), "health", healthFields,
                "counts", counts));
        return health.reachable() ? ChatStoreCommand.EXIT_OK : ChatStoreCommand.EXIT_UNAVAILABLE;
    }

    /**
     * The health line. {@code stats} opens the store read-only, so a store that reports itself not writable is
     * expected, not a failure: only an unreachable store makes the command fail.
     */
    static String describe(HealthReport health) {
        StringBuilder text = new StringBuilder()
                .append(health.reachable() ? "reachable" : "UNREACHABLE")
                .append(", ").append(health.writable() ? "writable" : "not writable")
                .append(", latency ").append(String.format(Locale.ROOT, "%.2f ms", health.latency().toNanos() / 1e6));
        health.sizeBytes().ifPresent(size -> text.append(", size ").append(size).append(" bytes"));
        health.detail().ifPresent(detail -> text.append(" (").append(detail).append(')'));
        return text.toString();
    }
}
