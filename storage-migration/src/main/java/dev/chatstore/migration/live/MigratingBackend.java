package dev.chatstore.migration.live;

import dev.chatstore.api.model.HealthReport;
import dev.chatstore.api.spi.ContextRepository;
import dev.chatstore.api.spi.CredentialRepository;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.spi.MessageLogs;
import dev.chatstore.api.spi.MessageSearch;
import dev.chatstore.api.spi.PanelRepository;
import dev.chatstore.api.spi.PersonaRepository;
import dev.chatstore.api.spi.SessionRepository;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.api.spi.UsageTotalsSource;
import dev.chatstore.api.spi.UserRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The backend an application opens during a migration: it follows the persisted {@link Phase} of the plan's work
 * directory (re-read every {@link MigrationPlan#phasePoll()} by a daemon thread) and routes every call to the source
 * alone, to a {@link DualWriteBackend} with the source or the target as primary, or to the target alone. Both
 * dual-write directions share one repair journal and one set of {@link KeyLocks}, so a write in flight during a
 * switch and the writes after it never interleave on a key.
 *
 * <pre>{@code
 * ChatStore store = ChatStore.builder().config(appConfig).backend(MigratingBackend.open(plan)).open();
 * }</pre>
 *
 * Every application instance writing the stores must run one, with the same work directory. Closing closes both
 * stores and the journal.
 */
public final class MigratingBackend implements StorageBackend {

    private static final Logger LOG = LoggerFactory.getLogger(MigratingBackend.class);

    private final MigrationPlan plan;
    private final StorageBackend source;
    private final StorageBackend target;
    private final FileRepairJournal journal;
    private final DualWriteBackend sourcePrimary;
    private final DualWriteBackend targetPrimary;
    private final ScheduledExecutorService poller;
    private volatile Phase phase;
    private volatile StorageBackend current;

    private MigratingBackend(MigrationPlan plan) {
        this.plan = plan;
        this.source = plan.opener().open(plan.source());
        StorageBackend openedTarget;
        try {
            openedTarget = plan.opener().open(plan.target());
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        this.target = openedTarget;
        this.journal = FileRepairJournal.open(plan.workDir());
        KeyLocks locks = new KeyLocks();
        Optional<RepairJournal> j = Optional.of(journal);
        this.sourcePrimary = new DualWriteBackend(source, target, plan.policy(), j, locks);
        this.targetPrimary = new DualWriteBackend(target, source, plan.policy(), j, locks);
        follow(PhaseState.read(plan.workDir()).phase());
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chatstore-migration-phase");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(10, plan.phasePoll().toMillis());
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    /** Opens both stores of the plan and routes by its current phase. */
    public static MigratingBackend open(MigrationPlan plan) {
        return new MigratingBackend(plan);
    }

    /** The phase the routing follows now. */
    public Phase phase() {
        return phase;
    }

    /** Writes that failed on the secondary since this backend was opened (both directions). */
    public long secondaryFailures() {
        return sourcePrimary.secondaryFailures() + targetPrimary.secondaryFailures();
    }

    /** Re-reads the phase now (the poller does it every {@link MigrationPlan#phasePoll()}). */
    public void refresh() {
        follow(PhaseState.read(plan.workDir()).phase());
    }

    private void poll() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("cannot read the migration phase in {}; keeping phase {}", plan.workDir(), phase, e);
        }
    }

    private synchronized void follow(Phase next) {
        if (next == phase) {
            return;
        }
        StorageBackend route = switch (next.route()) {
            case SOURCE -> source;
            case DUAL_SOURCE_PRIMARY -> sourcePrimary;
            case DUAL_TARGET_PRIMARY -> targetPrimary;
            case TARGET -> target;
        };
        LOG.info("migration phase {} -> {}: routing to {}", phase, next, next.route());
        current = route;
        phase = next;
    }

    @Override
    public String name() {
        return current.name();
    }

    @Override
    public UserRepository users() {
        return current.users();
    }

    @Override
    public SessionRepository sessions() {
        return current.sessions();
    }

    @Override
    public MessageLogs logs() {
        return current.logs();
    }

    @Override
    public DocumentRepository documents() {
        return current.documents();
    }

    @Override
    public ContextRepository contexts() {
        return current.contexts();
    }

    @Override
    public PanelRepository panels() {
        return current.panels();
    }

    @Override
    public PersonaRepository personas() {
        return current.personas();
    }

    @Override
    public CredentialRepository credentials() {
        return current.credentials();
    }

    @Override
    public Optional<MessageSearch> search() {
        return current.search();
    }

    @Override
    public Optional<UsageTotalsSource> usage() {
        return current.usage();
    }

    @Override
    public Optional<StoreMaintenance> maintenance() {
        return current.maintenance();
    }

    @Override
    public HealthReport health() {
        return current.health();
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            source.close();
        } finally {
            try {
                target.close();
            } finally {
                journal.close();
            }
        }
    }
}
