package dev.chatstore.migration.live;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.Transfer;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StoredCredential;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Brings one {@link SyncKey} of a target store to the state it has in a source store, through the ports only: reads
 * through the source's repositories, writes through the target's validated restores ({@code ChatStore.transfer()}),
 * so a message keeps its ID and seq and a user, session or persona its version and timestamps. It is idempotent:
 * records the target already holds exactly are compared, counted as unchanged and not written; running it twice
 * writes nothing the second time. Records the source no longer has are deleted from the target.
 *
 * <p>A target log that has diverged (another ID at a seq, or more messages than the source), and a target whose
 * context or insights hold something the ports cannot remove one by one, are rebuilt: the session or panel is
 * deleted from the target and copied whole. Backfill, repair and the dual-write journal's repair are all this class.
 *
 * <p>Safe to use from several threads on different keys. The target may be written concurrently by a dual-write
 * backend; a key written meanwhile may need another sync, which is what backfill's catch-up pass and verify's
 * re-checks are for.
 */
public final class StoreSync {

    static final int ALL = 1_000_000;

    private final StorageBackend source;
    private final StorageBackend target;
    private final ChatStore targetStore;
    private final Transfer targetTransfer;
    private final ChatStoreConfig config;
    private final int pageSize;
    private final boolean dryRun;
    private final Throttle throttle;
    private final SyncStats stats = new SyncStats();

    /**
     * @param config   limits the target's restores validate against (and the context history kept)
     * @param pageSize messages read and restored per call
     * @param dryRun   compare and count, write nothing
     */
    public StoreSync(StorageBackend source, StorageBackend target, ChatStoreConfig config, int pageSize,
                     boolean dryRun, Throttle throttle) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        this.config = Objects.requireNonNull(config, "config");
        if (pageSize < 1 || pageSize > 10_000) {
            throw new dev.chatstore.api.error.ValidationException("pageSize", "must be 1..10000, got " + pageSize);
        }
        this.pageSize = pageSize;
        this.dryRun = dryRun;
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.targetStore = Stores.over(target, config);
        this.targetTransfer = targetStore.transfer();
    }

    /** A sync with default settings: pages of 1,000 messages, no throttle, writing. */
    public static StoreSync between(StorageBackend source, StorageBackend target, ChatStoreConfig config) {
        return new StoreSync(source, target, config, 1000, false, Throttle.unlimited());
    }

    public SyncStats stats() {
        return stats;
    }

    public StorageBackend source() {
        return source;
    }

    public StorageBackend target() {
        return target;
    }

    /** Brings the key's records in the target to the source's state. */
    public void sync(SyncKey key) {
        if (key instanceof SyncKey.User u) {
            syncUser(u.userId());
        } else if (key instanceof SyncKey.Session s) {
            syncSession(s.userId(), s.sessionId());
        } else if (key instanceof SyncKey.Panel p) {
            syncPanel(p.panelId());
        } else if (key instanceof SyncKey.GlobalPersonas) {
            syncPersonas(PersonaScope.global());
        } else {
            syncAllPanels();
        }
    }

    private void syncAllPanels() {
        String after = "";
        while (true) {
            List<Panel> page = source.panels().listById(after, 1000);
            page.forEach(p -> syncPanel(p.id()));
            List<Panel> extra = target.panels().listById(after, 1000);
            for (Panel p : extra) {
                if (source.panels().find(p.id()).isEmpty()) {
                    syncPanel(p.id());
                }
            }
            if (page.size() < 1000 && extra.size() < 1000) {
                return;
            }
            after = max(page.isEmpty() ? "" : page.get(page.size() - 1).id(),
                    extra.isEmpty() ? "" : extra.get(extra.size() - 1).id());
        }
    }

    private static String max(String a, String b) {
        return dev.chatstore.api.spi.Orderings.compareCodePoints(a, b) >= 0 ? a : b;
    }

    // ---------------------------------------------------------------- users, credentials, personas

    /** The user row, its credentials and user-scoped personas (not its sessions). */
    public void syncUser(String userId) {
        Optional<User> src = source.users().find(userId);
        Optional<User> dst = target.users().find(userId);
        if (src.isEmpty()) {
            if (dst.isPresent()) {
                delete(() -> target.users().delete(userId));
            }
            return;
        }
        if (src.equals(dst)) {
            stats.unchanged(1);
        } else {
            write(() -> targetTransfer.restoreUser(src.get()));
        }
        if (dryRun && dst.isEmpty()) {
            // nothing below exists in the target; count what would be copied
            stats.written(source.credentials().list(userId).size() + source.personas().list(PersonaScope.user(userId)).size());
            return;
        }
        syncCredentials(userId);
        syncPersonas(PersonaScope.user(userId));
    }

    private void syncCredentials(String userId) {
        Map<String, StoredCredential> src = byKey(source.credentials().list(userId), StoredCredential::provider);
        Map<String, StoredCredential> dst = byKey(target.credentials().list(userId), StoredCredential::provider);
        for (StoredCredential c : src.values()) {
            if (c.equals(dst.get(c.provider()))) {
                stats.unchanged(1);
            } else {
                write(() -> targetTransfer.restoreCredential(c));
            }
        }
        for (String provider : dst.keySet()) {
            if (!src.containsKey(provider)) {
                delete(() -> target.credentials().delete(userId, provider));
            }
        }
    }

    private void syncPersonas(PersonaScope scope) {
        Map<String, Persona> src = byKey(source.personas().list(scope), Persona::id);
        Map<String, Persona> dst = byKey(target.personas().list(scope), Persona::id);
        for (Persona p : src.values()) {
            if (p.equals(dst.get(p.id()))) {
                stats.unchanged(1);
            } else {
                write(() -> targetTransfer.restorePersona(p));
            }
        }
        for (String id : dst.keySet()) {
            if (!src.containsKey(id)) {
                delete(() -> target.personas().delete(scope, id));
            }
        }
    }

    // ---------------------------------------------------------------- sessions

    /** The session row, its log, documents and context. */
    public void syncSession(String userId, String sessionId) {
        Optional<Session> src = source.sessions().find(userId, sessionId);
        Optional<Session> dst = target.sessions().find(userId, sessionId);
        if (src.isEmpty()) {
            if (dst.isPresent()) {
                delete(() -> target.sessions().delete(userId, sessionId));
            }
            return;
        }
        if (dst.isEmpty() && !dryRun && target.users().find(userId).isEmpty()) {
            syncUser(userId);
        }
        if (dryRun && dst.isEmpty()) {
            stats.written(1);
            stats.messagesWritten(src.get().messageCount());
            return;
        }
        boolean fresh = dst.isEmpty();
        if (fresh) {
            // the log's owner must exist before its messages are restored
            write(() -> targetTransfer.restoreSession(src.get()));
        }
        LogRef log = LogRef.session(userId, sessionId);
        if (!syncLog(log, fresh) || !syncDocuments(userId, sessionId) || !syncContext(userId, sessionId)) {
            rebuildSession(userId, sessionId);
            return;
        }
        // the row last, read again: appends during the copy moved its updatedAt
        Optional<Session> now = source.sessions().find(userId, sessionId);
        if (now.isEmpty()) {
            syncSession(userId, sessionId);
            return;
        }
        Optional<Session> stored = target.sessions().find(userId, sessionId);
        if (stored.isPresent() && sameRow(now.get(), stored.get())) {
            if (!fresh) {
                stats.unchanged(1);
            }
        } else {
            write(() -> targetTransfer.restoreSession(now.get()));
        }
    }

    /** Equal apart from the counters, which describe each side's log and are compared with the logs. */
    static boolean sameRow(Session a, Session b) {
        return a.equals(new Session(b.id(), b.userId(), b.title(), b.model(), b.provider(), b.archived(), b.metadata(),
                a.messageCount(), a.lastMessageAt(), b.createdAt(), b.updatedAt(), b.version()));
    }

    private void rebuildSession(String userId, String sessionId) {
        stats.countRebuilt();
        if (dryRun) {
            return;
        }
        target.sessions().delete(userId, sessionId);
        Session src = source.sessions().find(userId, sessionId).orElse(null);
        if (src == null) {
            return;
        }
        targetTransfer.restoreSession(src);
        stats.written(1);
        LogRef log = LogRef.session(userId, sessionId);
        if (!syncLog(log, true) || !syncDocuments(userId, sessionId) || !syncContext(userId, sessionId)) {
            throw new IllegalStateException("session " + userId + "/" + sessionId
                    + " diverged again while it was copied whole; run the repair again");
        }
        source.sessions().find(userId, sessionId).ifPresent(targetTransfer::restoreSession);
    }

    /**
     * Copies the source's log into the target's, page by page, writing only pages that differ.
     *
     * @param targetEmpty the target's log is known to be empty (skip reading it)
     * @return false if the target has diverged (an ID at another seq, or messages beyond the source's end)
     */
    private boolean syncLog(LogRef log, boolean targetEmpty) {
        long cursor = 0;
        while (true) {
            List<Message> page;
            try {
                page = source.logs().after(log, cursor, pageSize);
            } catch (NotFoundException deletedMeanwhile) {
                return true;
            }
            if (page.isEmpty()) {
                break;
            }
            if (!targetEmpty) {
                List<Message> held = target.logs().after(log, cursor, pageSize);
                if (held.equals(page)) {
                    stats.messagesUnchanged(page.size());
                    throttle.acquire(page.size());
                    cursor = page.get(page.size() - 1).seq();
                    continue;
                }
                for (int i = 0; i < Math.min(held.size(), page.size()); i++) {
                    if (!held.get(i).id().equals(page.get(i).id())) {
                        return false;
                    }
                }
                int same = 0;
                for (int i = 0; i < Math.min(held.size(), page.size()); i++) {
                    if (held.get(i).equals(page.get(i))) {
                        same++;
                    }
                }
                stats.messagesUnchanged(same);
                stats.messagesWritten(page.size() - same);
            } else {
                stats.messagesWritten(page.size());
            }
            if (!dryRun) {
                restore(log, page);
            }
            throttle.acquire(page.size());
            cursor = page.get(page.size() - 1).seq();
        }
        return targetEmpty || target.logs().after(log, cursor, 1).isEmpty();
    }

    private void restore(LogRef log, List<Message> page) {
        if (log instanceof LogRef.SessionLog s) {
            targetTransfer.restoreMessages(s.userId(), s.sessionId(), page);
        } else {
            targetTransfer.restorePanelMessages(((LogRef.PanelLog) log).panelId(), page);
        }
    }

    private boolean syncDocuments(String userId, String sessionId) {
        Map<String, Document> src = byKey(source.documents().list(userId, sessionId), Document::name);
        Map<String, Document> dst = byKey(target.documents().list(userId, sessionId), Document::name);
        for (Document d : src.values()) {
            if (d.equals(dst.get(d.name()))) {
                stats.unchanged(1);
            } else {
                write(() -> {
                    try {
                        DualWriteBackend.copyDocument(source, target, userId, d);
                    } catch (NotFoundException | IllegalStateException changedMeanwhile) {
                        // deleted or replaced in the source while copied: the next sync of this key sees it
                        throw new dev.chatstore.api.error.StorageUnavailableException("document " + d.name()
                                + " changed in the source while it was copied; sync the session again", changedMeanwhile);
                    }
                });
            }
        }
        for (String name : dst.keySet()) {
            if (!src.containsKey(name)) {
                delete(() -> target.documents().delete(userId, sessionId, name));
            }
        }
        return true;
    }

    private boolean syncContext(String userId, String sessionId) {
        Optional<SituationalContext> src = source.contexts().current(userId, sessionId);
        Optional<SituationalContext> dst = target.contexts().current(userId, sessionId);
        if (src.isEmpty() && dst.isPresent()) {
            return false; // the port cannot clear a current context; copy the session whole
        }
        if (src.isPresent()) {
            if (src.equals(dst)) {
                stats.unchanged(1);
            } else {
                write(() -> target.contexts().setCurrent(userId, sessionId, src.get()));
            }
        }
        List<SituationalContext> srcHistory = source.contexts().history(userId, sessionId, ALL);
        List<SituationalContext> dstHistory = target.contexts().history(userId, sessionId, ALL);
        if (srcHistory.equals(dstHistory)) {
            stats.unchanged(srcHistory.size());
            return true;
        }
        if (!dstHistory.isEmpty()) {
            return false; // snapshots have no key to replace one by one
        }
        int keep = Math.max(config.maxContextHistory(), srcHistory.size());
        for (int i = srcHistory.size() - 1; i >= 0; i--) {
            SituationalContext snapshot = srcHistory.get(i);
            write(() -> target.contexts().addSnapshot(userId, sessionId, snapshot, keep));
        }
        return true;
    }

    // ---------------------------------------------------------------- panels

    /** The panel row, its log and insights. */
    public void syncPanel(String panelId) {
        Optional<Panel> src = source.panels().find(panelId);
        Optional<Panel> dst = target.panels().find(panelId);
        if (src.isEmpty()) {
            if (dst.isPresent()) {
                delete(() -> target.panels().delete(panelId));
            }
            return;
        }
        if (dryRun && dst.isEmpty()) {
            stats.written(1);
            List<Message> last = source.logs().last(LogRef.panel(panelId), 1);
            stats.messagesWritten(last.isEmpty() ? 0 : last.get(0).seq());
            return;
        }
        boolean fresh = dst.isEmpty();
        if (fresh) {
            write(() -> targetTransfer.restorePanel(src.get()));
        }
        if (!syncLog(LogRef.panel(panelId), fresh) || !syncInsights(panelId)) {
            stats.countRebuilt();
            if (dryRun) {
                return;
            }
            target.panels().delete(panelId);
            targetTransfer.restorePanel(src.get());
            if (!syncLog(LogRef.panel(panelId), true) || !syncInsights(panelId)) {
                throw new IllegalStateException("panel " + panelId + " diverged again while it was copied whole");
            }
        }
        Optional<Panel> now = source.panels().find(panelId);
        if (now.isEmpty()) {
            syncPanel(panelId);
        } else if (now.equals(target.panels().find(panelId))) {
            if (!fresh) {
                stats.unchanged(1);
            }
        } else {
            write(() -> targetTransfer.restorePanel(now.get()));
        }
    }

    private boolean syncInsights(String panelId) {
        Map<String, Insight> src = byKey(source.panels().insights(panelId, ALL), Insight::id);
        Map<String, Insight> dst = byKey(target.panels().insights(panelId, ALL), Insight::id);
        for (String id : dst.keySet()) {
            if (!src.containsKey(id)) {
                return false; // the port removes insights only by age; copy the panel whole
            }
        }
        for (Insight i : src.values()) {
            if (i.equals(dst.get(i.id()))) {
                stats.unchanged(1);
            } else {
                write(() -> targetTransfer.restoreInsight(i));
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- helpers

    private void write(Runnable action) {
        stats.written(1);
        throttle.acquire(1);
        if (!dryRun) {
            action.run();
        }
    }

    private void delete(Runnable action) {
        stats.countDeleted();
        if (!dryRun) {
            action.run();
        }
    }

    private static <T> Map<String, T> byKey(List<T> list, Function<T, String> key) {
        Map<String, T> out = new LinkedHashMap<>();
        for (T t : list) {
            out.put(key.apply(t), t);
        }
        return out;
    }
}
