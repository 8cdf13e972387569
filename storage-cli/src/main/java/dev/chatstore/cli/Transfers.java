package dev.chatstore.cli;

import dev.chatstore.api.model.TransferReport;

import java.util.stream.Collectors;

/** How export and import describe what they moved. */
final class Transfers {

    private Transfers() {
    }

    /** E.g. {@code 42 records (document 1, document-chunk 1, message 20, ...)}. */
    static String describe(TransferReport report) {
        if (report.counts().isEmpty()) {
            return "0 records";
        }
        return report.total() + " records (" + report.counts().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }
}
