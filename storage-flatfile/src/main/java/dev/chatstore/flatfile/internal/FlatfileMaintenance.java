package dev.chatstore.flatfile.internal;

import dev.chatstore.api.spi.StoreMaintenance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code check} for {@code file:} stores, on the open store. {@link Mode#CHECK} verifies every file without
 * changing any (JSON parses, log checksums and seqs, offset indexes, document hashes; {@link StoreChecker}, which
 * shares {@link LogRecovery} with opening), and every intact log against its owner ({@link LogAudit}: counters that
 * claim more than the log holds, a log without its {@code session.json} or {@code panel.json}, seq gaps).
 * {@link Mode#REPAIR} also cuts torn tails, rebuilds offset indexes, rewrites counters from their logs and, when no
 * record is damaged, rebuilds the derived session and search indexes. {@link Mode#SALVAGE} first moves damaged log
 * ranges and unparsable JSON files aside ({@code ~damaged-<offset>}, never deleted) and recreates a minimal owner
 * file for each log left without one, then repairs. Damage is never "repaired" silently: without salvage it stays
 * an error.
 */
final class FlatfileMaintenance implements StoreMaintenance {

    private final FlatfileStore store;
    private final FlatfileSessions sessions;
    private final FlatfilePanels panels;
    private final FlatfileSearch search;

    FlatfileMaintenance(FlatfileStore store, FlatfileSessions sessions, FlatfilePanels panels, FlatfileSearch search) {
        this.store = store;
        this.sessions = sessions;
        this.panels = panels;
        this.search = search;
    }

    @Override
    public CheckReport check(Mode mode) {
        store.checkOpen();
        StoreChecker first = new StoreChecker(store.root()).run();
        if (mode == Mode.CHECK) {
            return report(List.of(), first);
        }
        store.checkWritable();
        List<Finding> fixed = new ArrayList<>();
        if (mode == Mode.SALVAGE) {
            for (String item : StoreOpener.salvage(store)) {
                fixed.add(new Finding(Severity.ERROR, item.substring(0, Math.max(0, item.indexOf(": "))),
                        "salvaged: " + item.substring(item.indexOf(": ") + 2), true));
            }
            first = new StoreChecker(store.root()).run();
            for (StoreChecker.Finding f : first.findings()) {
                if (f.kind() == StoreChecker.Kind.ORPHANED_LOG && f.fatal()) {
                    fixed.add(recovered(f)); // a recreated file agrees with its log: nothing below to repair
                }
            }
        }
        boolean damaged = false;
        for (StoreChecker.Finding f : first.findings()) {
            switch (f.kind()) {
                case TORN_TAIL, INDEX -> {
                    store.repairLog(f.file().getParent());
                    fixed.add(finding(f, true));
                }
                case COUNTERS -> {
                    Path dir = f.file().getParent();
                    boolean panel = store.layout.isPanelDir(dir);
                    if (store.withLogLocked(dir, log -> panel ? panels.repairCounters(dir, log.state())
                            : sessions.repairCounters(dir, log.state())).orElse(false)) {
                        fixed.add(finding(f, true));
                    }
                }
                case CORRUPT -> damaged = true;
                default -> {
                    // temporary files are removed when their writer is gone (at open); the rest is reported
                }
            }
        }
        if (!damaged) {
            search.rebuildDerivedIndexes();
            fixed.add(new Finding(Severity.INFO, store.root().toString(),
                    "rebuilt the session and search indexes of every user", true));
        }
        return report(fixed, new StoreChecker(store.root()).run());
    }

    /** Salvage of a log without its owner file: recreates a minimal one from the log. */
    private Finding recovered(StoreChecker.Finding f) {
        Path dir = f.file().getParent();
        LogAudit.Recovery r = store.layout.isPanelDir(dir) ? panels.recoverFromLog(dir) : sessions.recoverFromLog(dir);
        return new Finding(Severity.ERROR, f.file().toString(), (r.done() ? "salvaged: " : "") + r.what()
                + LogAudit.damagedOwner(store.layout.ownerFile(dir)).map(d -> "; " + d).orElse(""), r.done());
    }

    private CheckReport report(List<Finding> fixed, StoreChecker after) {
        List<Finding> all = new ArrayList<>(fixed);
        Set<String> seen = new HashSet<>();
        for (Finding f : fixed) {
            seen.add(f.location() + "|" + f.message());
        }
        for (StoreChecker.Finding f : after.findings()) {
            Finding mapped = finding(f, false);
            if (seen.add(mapped.location() + "|" + mapped.message())) {
                all.add(mapped);
            }
        }
        return new CheckReport(all, after.files() + after.records());
    }

    /** A checker finding as a port finding: damage is an error; leftovers and set-aside files are notes. */
    private static Finding finding(StoreChecker.Finding f, boolean fixed) {
        Severity severity = switch (f.level()) {
            case ERROR -> Severity.ERROR;
            case WARNING -> Severity.WARNING;
            case NOTE -> Severity.INFO;
        };
        String location = f.file() + (f.offset() >= 0 ? " @" + f.offset() : "");
        return new Finding(severity, location, f.problem(), fixed);
    }

    @Override
    public Optional<SchemaStatus> schema() {
        store.checkOpen();
        long current = Json.readFile(store.layout.manifest()).map(n -> n.path("formatVersion").asLong(0)).orElse(0L);
        return Optional.of(new SchemaStatus(Long.toString(current), Integer.toString(StoreLayout.FORMAT_VERSION),
                List.of()));
    }

    /** The store directory this maintenance works on (for messages). */
    Path root() {
        return store.root();
    }
}
