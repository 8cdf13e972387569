package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.MessageLogs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ObjIntConsumer;

/**
 * The message logs of sessions and panels: both are a {@code messages.jsonl} in the owner's directory
 * ({@code users/<user>/sessions/<session>/} or {@code panel_sessions/<panel>/}), read and written through the same
 * {@link MessageLog}. Appends leave {@code session.json} and {@code panel.json} alone: their counters are derived
 * from the log (see {@link FlatfileSessions#derive}).
 */
final class FlatfileLogs implements MessageLogs {

    private final FlatfileStore store;
    private final FlatfileSessions sessions;
    private final FlatfilePanels panels;
    /**
     * Where appends go: the owner's directory and log, so that an append does not encode names, build paths or
     * stat the owner's file again; valid while the store maps the directory to that log (the lock-protected append
     * re-checks that the owner exists whenever its log file is not the one known).
     */
    private final Map<LogRef, Target> targets = new ConcurrentHashMap<>();
    private final ObjIntConsumer<String> appended;

    /**
     * @param appended told of every append to (or restore into) a session's log: user ID and number of messages
     */
    FlatfileLogs(FlatfileStore store, FlatfileSessions sessions, FlatfilePanels panels,
                 ObjIntConsumer<String> appended) {
        this.store = store;
        this.sessions = sessions;
        this.panels = panels;
        this.appended = appended;
        store.onRemove(dir -> targets.clear()); // rare; each entry is also checked against the store before use
    }

    private record Target(Path dir, MessageLog log) {
    }

    /** The directory of the log's owner; NotFoundException if it does not exist. */
    private Path ownerDir(LogRef ref) {
        if (ref instanceof LogRef.SessionLog s) {
            return sessions.existing(s.userId(), s.sessionId());
        }
        return panels.existing(((LogRef.PanelLog) ref).panelId());
    }

    private NotFoundException notFound(LogRef ref) {
        if (ref instanceof LogRef.SessionLog s) {
            return new NotFoundException("session", s.userId() + "/" + s.sessionId());
        }
        return new NotFoundException("panel", ref.logId());
    }

    /** The owner's log, refreshed (checked in full the first time this JVM reads it). */
    private MessageLog read(LogRef ref) {
        store.checkOpen();
        return store.view(ownerDir(ref)).orElseThrow(() -> notFound(ref));
    }

    private String owner(LogRef ref) {
        return ref instanceof LogRef.SessionLog s ? s.userId() + "/" + s.sessionId() : ref.logId();
    }

    @Override
    public List<Message> append(LogRef ref, List<Message> drafts, long maxMessages) {
        store.checkWritable();
        Target t = targets.get(ref);
        if (t == null || !store.current(t.dir(), t.log())) {
            Path dir = ownerDir(ref);
            t = new Target(dir, store.logFor(dir));
            targets.put(ref, t);
        }
        List<Message> written = t.log().append(drafts, maxMessages, owner(ref), () -> ownerDir(ref));
        signal(ref, written.size());
        return written;
    }

    /**
     * After a session's log changed: lets other stores' searches know (see {@link AppendSignals}) and this store's
     * search index catch up.
     */
    private void signal(LogRef ref, int messages) {
        if (ref instanceof LogRef.SessionLog s) {
            store.appendSignals.appended(s.userId());
            appended.accept(s.userId(), messages);
        }
    }

    @Override
    public Optional<Message> findBySeq(LogRef ref, long seq) {
        return LogLookups.bySeq(read(ref), seq);
    }

    @Override
    public Optional<Message> findById(LogRef ref, String messageId) {
        return LogLookups.byId(read(ref), messageId);
    }

    @Override
    public List<Message> after(LogRef ref, long afterSeq, int limit) {
        return LogLookups.after(read(ref), afterSeq, limit);
    }

    @Override
    public List<Message> last(LogRef ref, int n) {
        return LogLookups.last(read(ref), n);
    }

    @Override
    public void restore(LogRef ref, List<Message> messages) {
        store.checkWritable();
        Path dir = ownerDir(ref);
        try (StoreLocks.Held held = store.lockerFor(dir).lock()) {
            MessageLog log = store.logFor(dir);
            if (ref instanceof LogRef.SessionLog s) {
                FlatfileSessions.SessionFile f = sessions.readFile(dir).orElseThrow(() -> notFound(ref));
                log.refresh(true);
                Session before = FlatfileSessions.derive(f, log.state());
                LogRestorer.restore(log, messages, owner(ref));
                MessageLog.State after = log.state();
                sessions.writeFile(dir, FlatfileSessions.withLogCounters(before, after), after.lastSeq());
                signal(ref, messages.size());
            } else {
                FlatfilePanels.PanelFile f = panels.readFile(dir).orElseThrow(() -> notFound(ref));
                log.refresh(true);
                var before = FlatfilePanels.derive(f, log.state());
                LogRestorer.restore(log, messages, owner(ref));
                panels.writeFile(dir, before, log.state().lastSeq()); // the panel is left as it was
            }
        }
    }
}
