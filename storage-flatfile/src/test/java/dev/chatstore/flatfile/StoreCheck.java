package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.spi.StoreMaintenance;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code chatstore check} as the CLI runs it: open the store without verifying it ({@code backend.verify-on-open=none},
 * so a damaged store opens), then {@code ChatStore.maintenance().check(mode)}.
 */
final class StoreCheck {

    /**
     * What a check reported.
     *
     * @param findings what is still wrong (or worth a note), each as {@code SEVERITY location: message}
     * @param repaired what this check fixed
     * @param clean    whether nothing unfixed is an error or warning
     */
    record Report(List<String> findings, List<String> repaired, boolean clean) {
        boolean ok() {
            return clean;
        }
    }

    private StoreCheck() {
    }

    static Report run(Path dir, boolean repair) {
        return run(dir, repair ? StoreMaintenance.Mode.REPAIR : StoreMaintenance.Mode.CHECK);
    }

    static Report run(Path dir, StoreMaintenance.Mode mode) {
        try (ChatStore store = ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir)
                        .backendOption("backend.verify-on-open", "none").build())
                .provider(new FlatfileBackendProvider()).open()) {
            StoreMaintenance.CheckReport report = store.maintenance().orElseThrow().check(mode);
            return new Report(
                    report.findings().stream().filter(f -> !f.fixed()).map(StoreCheck::line).toList(),
                    report.findings().stream().filter(StoreMaintenance.Finding::fixed).map(StoreCheck::line).toList(),
                    report.clean());
        }
    }

    private static String line(StoreMaintenance.Finding f) {
        return f.severity() + " " + f.location() + ": " + f.message();
    }
}
