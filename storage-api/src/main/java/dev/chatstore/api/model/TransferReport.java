package dev.chatstore.api.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * How many records of each type an export wrote or an import read.
 *
 * @param counts record type (as in the export format, e.g. {@code user}, {@code message}) to count
 */
public record TransferReport(Map<String, Long> counts) {

    public TransferReport {
        counts = java.util.Collections.unmodifiableMap(new TreeMap<>(counts));
    }

    public long count(String type) {
        return counts.getOrDefault(type, 0L);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
