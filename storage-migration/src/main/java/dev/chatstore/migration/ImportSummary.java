package dev.chatstore.migration;

import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of an import run: counts per entity and an exit status a script can use.
 *
 * @param format   the format that was read
 * @param entities counts per entity name ({@code user}, {@code session}, {@code message}, {@code persona},
 *                 {@code credential}, {@code file}), sorted by name
 * @param findings lines written to the report (skipped, failed, mapped and superseded records)
 * @param dryRun   whether nothing was written
 * @param resumed  whether the run continued from a checkpoint
 */
public record ImportSummary(LegacyFormat format, Map<String, EntityCounts> entities, long findings, boolean dryRun,
                            boolean resumed) {

    /** Every record imported and nothing to report. */
    public static final int EXIT_CLEAN = 0;
    /** Run complete, but some records were skipped, superseded or mapped: see the report. */
    public static final int EXIT_FINDINGS = 1;
    /** Run complete, but some records failed: the store refused them or the source could not be read. */
    public static final int EXIT_FAILURES = 2;

    public ImportSummary {
        entities = java.util.Collections.unmodifiableMap(new TreeMap<>(entities));
    }

    /** The counts of one entity (zero if none were seen). */
    public EntityCounts of(String entity) {
        return entities.getOrDefault(entity, EntityCounts.ZERO);
    }

    /** {@link #EXIT_CLEAN}, {@link #EXIT_FINDINGS} or {@link #EXIT_FAILURES}. */
    public int exitCode() {
        if (entities.values().stream().anyMatch(c -> c.failed() > 0)) {
            return EXIT_FAILURES;
        }
        return findings > 0 || entities.values().stream().anyMatch(c -> c.skipped() > 0) ? EXIT_FINDINGS : EXIT_CLEAN;
    }

    /** One line per entity, e.g. {@code session: 40 imported, 0 skipped, 0 failed}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(format.cliName()).append(dryRun ? " (dry run)" : "").append(resumed ? " (resumed)" : "").append('\n');
        for (Map.Entry<String, EntityCounts> e : entities.entrySet()) {
            EntityCounts c = e.getValue();
            sb.append(String.format("%-10s %d imported, %d skipped, %d failed%n", e.getKey() + ":", c.imported(),
                    c.skipped(), c.failed()));
        }
        sb.append(findings).append(" finding(s) in the report; exit status ").append(exitCode());
        return sb.toString();
    }
}
