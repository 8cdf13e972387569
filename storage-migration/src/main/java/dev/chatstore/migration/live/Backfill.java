package dev.chatstore.migration.live;

import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.StorageBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Copies everything from a source store to a target store through keyset scans and validated restores
 * ({@link StoreSync}): global personas, then each user in ID order (row, credentials, personas, then each session
 * with its log, documents and context), then each panel, then a catch-up pass. It is idempotent: records the target
 * already holds exactly are counted and not written, so it can run again at any time.
 *
 * <p>Resumable: with a checkpoint file it records, every {@link BackfillOptions#checkpointEvery()} records and at
 * every stage, the last session (or panel) it finished, atomically; a run killed at any point resumes after it. A
 * checkpoint written under another configuration (fingerprint, page size, dry run) is refused, never guessed at.
 *
 * <p>Live: the application may write both stores through a {@link DualWriteBackend} meanwhile. Writes to a session
 * already copied reach the target by the dual-write; a session written while it was being copied is found by the
 * catch-up pass, which compares every session and panel row (cheap: no logs read) with the target's and copies again
 * the ones that differ.
 */
public final class Backfill {

    /** The stages of a backfill, in order. */
    public enum Stage {
        GLOBAL_PERSONAS, USERS, PANELS, CATCH_UP, DONE
    }

    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);
    private static final int KEYSET_PAGE = 500;

    private final StorageBackend source;
    private final StorageBackend target;
    private final BackfillOptions options;
    private final StoreSync sync;
    private final long startedNanos = System.nanoTime();
    private Checkpoint checkpoint;
    private long recordsAtLastCheckpoint;
    private long lastProgressNanos;
    private OptionalLong total = OptionalLong.empty();
    private long baseRecords;
    private long baseMessages;

    private Backfill(StorageBackend source, StorageBackend target, BackfillOptions options) {
        this.source = source;
        this.target = target;
        this.options = options;
        this.sync = new StoreSync(source, target, options.config(), options.pageSize(), options.dryRun(),
                new Throttle(options.recordsPerSecond()));
    }

    /**
     * Runs (or resumes) the backfill.
     *
     * @throws StorageConfigurationException if the checkpoint belongs to another configuration
     */
    public static BackfillResult run(StorageBackend source, StorageBackend target, BackfillOptions options) {
        return new Backfill(source, target, options).run();
    }

    private String fingerprint() {
        return options.fingerprint() + "|page=" + options.pageSize() + "|dry-run=" + options.dryRun();
    }

    private BackfillResult run() {
        Instant started = Instant.now();
        Optional<Path> file = options.dryRun() ? Optional.empty() : options.checkpoint();
        Optional<Checkpoint> previous = file.flatMap(Checkpoint::read);
        if (previous.isPresent() && !previous.get().fingerprint().equals(fingerprint())) {
            throw new StorageConfigurationException("the backfill checkpoint " + file.get() + " was written for "
                    + "another configuration ('" + previous.get().fingerprint() + "', now '" + fingerprint()
                    + "'); finish it with the old configuration, or delete the checkpoint to start over");
        }
        boolean resumed = previous.isPresent();
        checkpoint = previous.orElse(Checkpoint.start(fingerprint(), started));
        baseRecords = checkpoint.records();
        baseMessages = checkpoint.messages();
        if (resumed) {
            LOG.info("backfill resumes at {} (after user '{}', in user '{}' after session '{}', after panel '{}')",
                    checkpoint.stage(), checkpoint.userAfter(), checkpoint.userId(), checkpoint.sessionId(), checkpoint.panelId());
        }
        if (options.estimate() && checkpoint.stage() != Stage.DONE) {
            total = OptionalLong.of(estimate());
        }
        long caughtUp = 0;
        Instant copyStarted = checkpoint.startedAt();
        if (checkpoint.stage() == Stage.GLOBAL_PERSONAS) {
            sync.sync(SyncKey.globalPersonas());
            advance(Stage.USERS, "", "", "", "", true);
        }
        if (checkpoint.stage() == Stage.USERS) {
            copyUsers();
            advance(Stage.PANELS, "", "", "", "", true);
        }
        if (checkpoint.stage() == Stage.PANELS) {
            copyPanels();
            advance(Stage.CATCH_UP, "", "", "", "", true);
        }
        if (checkpoint.stage() == Stage.CATCH_UP) {
            // a dry run wrote nothing, so every row would differ: there is nothing to catch up
            caughtUp = options.dryRun() ? 0 : catchUp();
            advance(Stage.DONE, "", "", "", "", true);
        }
        progress(true);
        BackfillResult result = new BackfillResult(resumed, started, Duration.ofNanos(System.nanoTime() - startedNanos),
                sync.stats(), caughtUp, options.dryRun());
        LOG.info("backfill {} in {} ms (copy began {}): {}; caught up {}", options.dryRun() ? "dry run done" : "done",
                result.elapsed().toMillis(), copyStarted, sync.stats(), caughtUp);
        return result;
    }

    private void copyUsers() {
        String after = checkpoint.userAfter();
        while (true) {
            List<User> page = source.users().list(after, KEYSET_PAGE);
            for (User u : page) {
                String sessionAfter = u.id().equals(checkpoint.userId()) ? checkpoint.sessionId() : "";
                sync.syncUser(u.id());
                advance(Stage.USERS, checkpoint.userAfter(), u.id(), sessionAfter, "", false);
                while (true) {
                    List<Session> sessions = source.sessions().listById(u.id(), sessionAfter, KEYSET_PAGE);
                    for (Session s : sessions) {
                        sync.syncSession(u.id(), s.id());
                        checkpoint = counted(checkpoint, 0, 1);
                        advance(Stage.USERS, checkpoint.userAfter(), u.id(), s.id(), "", false);
                    }
                    if (sessions.size() < KEYSET_PAGE) {
                        break;
                    }
                    sessionAfter = sessions.get(sessions.size() - 1).id();
                }
                checkpoint = counted(checkpoint, 1, 0);
                advance(Stage.USERS, u.id(), "", "", "", false);
            }
            if (page.size() < KEYSET_PAGE) {
                return;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    private void copyPanels() {
        String after = checkpoint.panelId();
        while (true) {
            List<Panel> page = source.panels().listById(after, KEYSET_PAGE);
            for (Panel p : page) {
                sync.syncPanel(p.id());
                advance(Stage.PANELS, "", "", "", p.id(), false);
            }
            if (page.size() < KEYSET_PAGE) {
                return;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** Copies again every session and panel whose row differs from the target's (written during the copy). */
    private long catchUp() {
        long again = 0;
        String userAfter = "";
        while (true) {
            List<User> users = source.users().list(userAfter, KEYSET_PAGE);
            for (User u : users) {
                if (!Optional.of(u).equals(target.users().find(u.id()))) {
                    sync.syncUser(u.id());
                    again++;
                }
                String after = "";
                while (true) {
                    List<Session> sessions = source.sessions().listById(u.id(), after, KEYSET_PAGE);
                    List<Session> held = target.sessions().listById(u.id(), after, KEYSET_PAGE);
                    java.util.Map<String, Session> heldById = new java.util.HashMap<>();
                    held.forEach(s -> heldById.put(s.id(), s));
                    for (Session s : sessions) {
                        if (!s.equals(heldById.get(s.id()))) {
                            sync.syncSession(u.id(), s.id());
                            again++;
                        }
                    }
                    if (sessions.size() < KEYSET_PAGE) {
                        break;
                    }
                    after = sessions.get(sessions.size() - 1).id();
                }
                progress(false);
            }
            if (users.size() < KEYSET_PAGE) {
                break;
            }
            userAfter = users.get(users.size() - 1).id();
        }
        String panelAfter = "";
        while (true) {
            List<Panel> panels = source.panels().listById(panelAfter, KEYSET_PAGE);
            for (Panel p : panels) {
                if (!Optional.of(p).equals(target.panels().find(p.id()))) {
                    sync.syncPanel(p.id());
                    again++;
                }
            }
            if (panels.size() < KEYSET_PAGE) {
                break;
            }
            panelAfter = panels.get(panels.size() - 1).id();
        }
        return again;
    }

    /** The source's messages by the sessions' counters (rows only are read), for the progress's total. */
    private long estimate() {
        long records = 0;
        String after = "";
        while (true) {
            List<User> users = source.users().list(after, KEYSET_PAGE);
            for (User u : users) {
                String sAfter = "";
                while (true) {
                    List<Session> sessions = source.sessions().listById(u.id(), sAfter, KEYSET_PAGE);
                    for (Session s : sessions) {
                        records += s.messageCount();
                    }
                    if (sessions.size() < KEYSET_PAGE) {
                        break;
                    }
                    sAfter = sessions.get(sessions.size() - 1).id();
                }
            }
            if (users.size() < KEYSET_PAGE) {
                return records;
            }
            after = users.get(users.size() - 1).id();
        }
    }

    private static Checkpoint counted(Checkpoint c, long users, long sessions) {
        return new Checkpoint(c.fingerprint(), c.stage(), c.userAfter(), c.userId(), c.sessionId(), c.panelId(), c.users() + users,
                c.sessions() + sessions, c.messages(), c.records(), c.startedAt(), c.updatedAt());
    }

    private void advance(Stage stage, String userAfter, String userId, String sessionId, String panelId,
                         boolean force) {
        SyncStats s = sync.stats();
        long records = baseRecords + s.recordsSeen();
        long messages = baseMessages + s.messagesWritten() + s.messagesUnchanged();
        checkpoint = new Checkpoint(checkpoint.fingerprint(), stage, userAfter, userId, sessionId, panelId, checkpoint.users(),
                checkpoint.sessions(), messages, records, checkpoint.startedAt(), Instant.now());
        Optional<Path> file = options.dryRun() ? Optional.empty() : options.checkpoint();
        if (file.isPresent() && (force || records - recordsAtLastCheckpoint >= options.checkpointEvery())) {
            checkpoint.write(file.get());
            recordsAtLastCheckpoint = records;
        }
        progress(false);
    }

    private void progress(boolean last) {
        long now = System.nanoTime();
        if (!last && now - lastProgressNanos < options.progressInterval().toNanos()) {
            return;
        }
        lastProgressNanos = now;
        SyncStats s = sync.stats();
        long messagesThisRun = s.messagesWritten() + s.messagesUnchanged();
        Duration elapsed = Duration.ofNanos(now - startedNanos);
        double rate = messagesThisRun / Math.max(1e-9, elapsed.toNanos() / 1e9);
        long messages = baseMessages + messagesThisRun;
        Optional<Duration> eta = total.isPresent() && rate > 0
                ? Optional.of(Duration.ofMillis((long) (Math.max(0, total.getAsLong() - messages) / rate * 1000)))
                : Optional.empty();
        options.progress().accept(new BackfillProgress(checkpoint.stage(), checkpoint.users(), checkpoint.sessions(),
                messages, baseRecords + s.recordsSeen(), total, rate, elapsed, eta));
    }
}
