package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.spi.Orderings;
import dev.chatstore.api.spi.PanelRepository;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Panels: {@code panel_sessions/<panel>/panel.json} (with {@code countersAtSeq}, as sessions), the panel's log
 * beside it (served by {@link FlatfileLogs}) and one {@code insights/<insight>.json} per insight.
 */
final class FlatfilePanels implements PanelRepository {

    private final FlatfileStore store;
    private final StoreLayout layout;

    FlatfilePanels(FlatfileStore store) {
        this.store = store;
        this.layout = store.layout;
    }

    /** {@code panel.json} as parsed, with the log seq its updatedAt was written at. */
    record PanelFile(Panel base, long countersAtSeq) {
    }

    Optional<PanelFile> readFile(Path dir) {
        return FlatfileStore.read(StoreLayout.panelFile(dir), FlatfilePanels::decode);
    }

    static PanelFile decode(com.fasterxml.jackson.databind.JsonNode n) {
        return new PanelFile(Json.panel(n), Json.longValue(n, "countersAtSeq", 0));
    }

    void writeFile(Path dir, Panel panel, long countersAtSeq) {
        store.write(StoreLayout.panelFile(dir), Json.panel(panel, countersAtSeq));
    }

    /** The panel with updatedAt brought up to date from its log. */
    static Panel derive(PanelFile f, MessageLog.State st) {
        Panel b = f.base();
        if (st.lastSeq() <= f.countersAtSeq() || st.maxCreatedAt().isEmpty()) {
            return b;
        }
        return new Panel(b.id(), b.type(), b.personas(), b.config(), b.createdAt(),
                FlatfileSessions.later(b.updatedAt(), st.maxCreatedAt().get()));
    }

    /**
     * {@code check --repair}, under the panel's lock: sets {@code countersAtSeq} of {@code panel.json} to the log's
     * last seq. False if there is no {@code panel.json}.
     */
    boolean repairCounters(Path dir, MessageLog.State st) {
        Optional<PanelFile> f = readFile(dir);
        f.ifPresent(file -> writeFile(dir, derive(file, st), st.lastSeq()));
        return f.isPresent();
    }

    /**
     * {@code check --salvage}: a log whose {@code panel.json} is missing gets a minimal one (the panel ID from the
     * records, type "recovered", no personas, createdAt the first record's), so its messages are visible again.
     */
    LogAudit.Recovery recoverFromLog(Path dir) {
        return store.withLogLocked(dir, log -> {
            MessageLog.State st = log.state();
            if (Files.exists(StoreLayout.panelFile(dir)) || st.lines() == 0) {
                return LogAudit.Recovery.notDone(st.lines() == 0 ? "the log holds no record to recover the panel from"
                        : StoreLayout.PANEL_FILE + " exists again");
            }
            Message first = log.readLines(0, 1).get(0);
            if (!layout.panelDir(first.sessionId()).equals(dir)) {
                return LogAudit.Recovery.notDone("its records belong to panel '" + first.sessionId() + "', whose"
                        + " directory is " + layout.panelDir(first.sessionId()));
            }
            Panel p = new Panel(first.sessionId(), FlatfileSessions.RECOVERED_TITLE, List.of(), JsonObject.empty(),
                    first.createdAt(), st.maxCreatedAt().orElse(first.createdAt()));
            writeFile(dir, p, st.lastSeq());
            return new LogAudit.Recovery(true, "recreated " + StoreLayout.PANEL_FILE + " from the log (panel '"
                    + p.id() + "', " + st.lines() + " record(s), type '" + FlatfileSessions.RECOVERED_TITLE + "')");
        }).orElse(LogAudit.Recovery.notDone("the log is gone"));
    }

    /** The directory of an existing panel. */
    Path existing(String panelId) {
        Path dir = layout.panelDir(panelId);
        if (!Files.exists(StoreLayout.panelFile(dir))) {
            throw new NotFoundException("panel", panelId);
        }
        return dir;
    }

    @Override
    public void insert(Panel panel) {
        Path dir = layout.panelDir(panel.id());
        store.checkWritable();
        try (StoreLocks.Held held = store.lockerFor(dir).lock()) {
            if (Files.exists(StoreLayout.panelFile(dir))) {
                throw new DuplicateKeyException("panel", panel.id());
            }
            if (Files.exists(dir)) {
                store.removeTree(dir); // a half-created panel from a crash: nothing in it was ever visible
            }
            store.mkdirs(dir);
            store.createEmptyLog(dir);
            writeFile(dir, panel, 0);
        }
    }

    @Override
    public Optional<Panel> find(String panelId) {
        store.checkOpen();
        Path dir = layout.panelDir(panelId);
        Optional<PanelFile> f = readFile(dir).filter(p -> p.base().id().equals(panelId));
        if (f.isEmpty()) {
            return Optional.empty();
        }
        return store.view(dir).map(log -> derive(f.get(), log.state()));
    }

    private List<Panel> all() {
        List<Panel> all = new ArrayList<>();
        for (Path dir : FlatfileStore.children(layout.panelsDir(), true, "")) {
            Optional<PanelFile> f = readFile(dir);
            if (f.isPresent()) {
                store.view(dir).ifPresent(log -> all.add(derive(f.get(), log.state())));
            }
        }
        return all;
    }

    @Override
    public List<Panel> listById(String afterPanelId, int limit) {
        store.checkOpen();
        return all().stream()
                .filter(p -> Orderings.CODE_POINTS.compare(p.id(), afterPanelId) > 0)
                .sorted((a, b) -> Orderings.CODE_POINTS.compare(a.id(), b.id()))
                .limit(limit)
                .toList();
    }

    @Override
    public List<Panel> list(int offset, int limit) {
        store.checkOpen();
        List<Panel> all = all();
        all.sort(Orderings.PANELS_NEWEST_FIRST);
        if (offset >= all.size()) {
            return List.of();
        }
        return List.copyOf(all.subList(offset, (int) Math.min(all.size(), (long) offset + limit)));
    }

    @Override
    public boolean delete(String panelId) {
        Path dir = layout.panelDir(panelId);
        store.checkWritable();
        try (StoreLocks.Held held = store.lockerFor(dir).lock()) {
            if (!Files.exists(StoreLayout.panelFile(dir))) {
                return false;
            }
            store.removeTree(dir);
            return true;
        }
    }

    @Override
    public void saveInsight(Insight insight) {
        store.checkWritable();
        Path dir = existing(insight.panelId());
        try (StoreLocks.Held held = store.lockerFor(dir).lock()) {
            existing(insight.panelId());
            Path f = StoreLayout.insightFile(dir, insight.id());
            if (Files.exists(f)) {
                throw new DuplicateKeyException("insight", insight.panelId() + "/" + insight.id());
            }
            store.mkdirs(f.getParent());
            store.write(f, Json.insight(insight));
        }
    }

    private static List<Insight> insightsOf(Path dir) {
        List<Insight> out = new ArrayList<>();
        for (Path f : FlatfileStore.children(StoreLayout.insightsDir(dir), false, ".json")) {
            FlatfileStore.read(f, Json::insight).ifPresent(out::add);
        }
        out.sort(Orderings.INSIGHTS_NEWEST_FIRST);
        return out;
    }

    @Override
    public List<Insight> insights(String panelId, int limit) {
        store.checkOpen();
        return insightsOf(existing(panelId)).stream().limit(limit).toList();
    }

    @Override
    public long purgeInsightsBefore(Instant cutoff) {
        store.checkWritable();
        long removed = 0;
        for (Path dir : FlatfileStore.children(layout.panelsDir(), true, "")) {
            try (StoreLocks.Held held = store.lockerFor(dir).lock()) {
                for (Insight i : insightsOf(dir)) {
                    if (i.createdAt().isBefore(cutoff) && store.delete(StoreLayout.insightFile(dir, i.id()))) {
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    @Override
    public void restore(Panel panel) {
        Path dir = layout.panelDir(panel.id());
        store.checkWritable();
        try (StoreLocks.Held held = store.lockerFor(dir).lock()) {
            store.mkdirs(dir);
            store.createEmptyLog(dir);
            MessageLog log = store.logFor(dir);
            log.refresh(true);
            writeFile(dir, panel, log.state().lastSeq());
        }
    }

    @Override
    public void restoreInsight(Insight insight) {
        store.checkWritable();
        Path dir = existing(insight.panelId());
        try (StoreLocks.Held held = store.lockerFor(dir).lock()) {
            Path f = StoreLayout.insightFile(dir, insight.id());
            store.mkdirs(f.getParent());
            store.write(f, Json.insight(insight));
        }
    }
}
