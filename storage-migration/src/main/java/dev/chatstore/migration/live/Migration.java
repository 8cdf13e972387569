package dev.chatstore.migration.live;

import dev.chatstore.api.spi.StorageBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The operator's side of a live migration: one method per step of
 * {@code chatstore migration status|start|backfill|verify|repair|cutover|rollback|finish}. Every step takes the
 * migration's {@link Lease} (two operators cannot run steps at once), reads the persisted {@link PhaseState},
 * checks its preconditions (a {@link MigrationStateException} naming what is missing otherwise, with nothing
 * changed), does its work, and writes the new state atomically. Applications follow the phase through
 * {@link MigratingBackend}.
 *
 * <pre>
 * SOURCE_ONLY --start--> DUAL_WRITE_SOURCE_PRIMARY --backfill--> BACKFILLED --verify (clean)--> VERIFIED
 *     --cutover--> DUAL_WRITE_TARGET_PRIMARY --finish--> TARGET_ONLY
 * </pre>
 * Cutover needs an empty repair journal and a clean verify that started after the last backfill, repair and journal
 * entry. Every step but {@code finish} can be rolled back one phase at a time.
 */
public final class Migration implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Migration.class);
    static final String CHECKPOINT = "backfill.checkpoint";
    private static final DateTimeFormatter REPORT_NAME = DateTimeFormatter.ofPattern("'verify-'yyyyMMdd'T'HHmmss.SSS'Z.jsonl'")
            .withZone(ZoneOffset.UTC);

    private final MigrationPlan plan;
    private final String operator;
    private final FileRepairJournal journal;
    private StorageBackend source;
    private StorageBackend target;

    private Migration(MigrationPlan plan, String operator) {
        this.plan = plan;
        this.operator = operator;
        this.journal = FileRepairJournal.open(plan.workDir());
    }

    /** The operator's handle on the plan's migration; stores are opened when a step needs them. */
    public static Migration open(MigrationPlan plan, String operator) {
        return new Migration(plan, operator);
    }

    public MigrationStatus status() {
        PhaseState state = PhaseState.read(plan.workDir());
        long pending = journal.pending().keys().size();
        return new MigrationStatus(state, pending, Checkpoint.read(checkpointFile()), nextStep(state, pending));
    }

    /** SOURCE_ONLY to DUAL_WRITE_SOURCE_PRIMARY: applications start writing both stores. The target must be healthy. */
    public PhaseState start() {
        return step("start", state -> {
            require(state.phase() == Phase.SOURCE_ONLY, "start needs phase SOURCE_ONLY, the migration is at "
                    + state.phase());
            var health = target().health();
            require(health.healthy(), "the target store is not healthy: " + health.detail().orElse("no detail"));
            return transition(state, Phase.DUAL_WRITE_SOURCE_PRIMARY, "start");
        });
    }

    /**
     * Copies the source into the target (resuming a killed run from its checkpoint), then moves to BACKFILLED. Needs
     * a dual-write phase with the source primary, entered at least {@link MigrationPlan#settle()} ago. Journal entries
     * recorded before the copy began are marked repaired when it ends: the copy took their keys' current state.
     */
    public BackfillResult backfill(UnaryOperator<BackfillOptions> options) {
        BackfillResult[] result = new BackfillResult[1];
        step("backfill", state -> {
            require(state.phase() == Phase.DUAL_WRITE_SOURCE_PRIMARY || state.phase() == Phase.BACKFILLED
                    || state.phase() == Phase.VERIFIED, "backfill needs a dual-write phase with the source primary "
                    + "(run start first); the migration is at " + state.phase());
            Instant settled = state.since().plus(plan.settle());
            require(!Instant.now().isBefore(settled) || state.phase() != Phase.DUAL_WRITE_SOURCE_PRIMARY,
                    "applications may not all write both stores yet; backfill after " + settled);
            Checkpoint.read(checkpointFile()).filter(c -> c.stage() == Backfill.Stage.DONE)
                    .ifPresent(done -> delete(checkpointFile()));
            BackfillOptions base = BackfillOptions.defaults(plan.target(), plan.fingerprint())
                    .withCheckpoint(checkpointFile());
            BackfillOptions chosen = options.apply(base);
            // keys journaled before the copy began are copied by it: it takes every key's current state
            RepairJournal.Pending coveredByCopy = journal.pending();
            result[0] = Backfill.run(source(), target(), chosen);
            if (chosen.dryRun()) {
                return state;
            }
            journal.markRepaired(coveredByCopy);
            PhaseState next = state.backfilled(Instant.now());
            return state.phase() == Phase.BACKFILLED ? next
                    : transition(next, Phase.BACKFILLED, "backfill");
        });
        return result[0];
    }

    /**
     * Compares the primary with the secondary and records the result. A clean verify moves BACKFILLED to VERIFIED; a
     * verify with differences moves VERIFIED back to BACKFILLED. The report goes to the work directory unless the
     * options name a file.
     */
    public VerifyReport verify(VerifyOptions options) {
        VerifyReport[] result = new VerifyReport[1];
        step("verify", state -> {
            require(state.phase() == Phase.BACKFILLED || state.phase() == Phase.VERIFIED
                    || state.phase() == Phase.DUAL_WRITE_TARGET_PRIMARY, "verify needs the backfill done (phase "
                    + "BACKFILLED, VERIFIED or DUAL_WRITE_TARGET_PRIMARY); the migration is at " + state.phase());
            VerifyOptions chosen = options.report().isPresent() ? options
                    : options.withReport(plan.workDir().resolve(REPORT_NAME.format(Instant.now())));
            boolean targetPrimary = state.phase() == Phase.DUAL_WRITE_TARGET_PRIMARY;
            VerifyReport report = targetPrimary ? Verifier.compare(target(), source(), chosen)
                    : Verifier.compare(source(), target(), chosen);
            result[0] = report;
            PhaseState next = state.verified(new PhaseState.VerifyRecord(report.startedAt(), report.finishedAt(),
                    report.findings().size(), chosen.report().orElseThrow().toString()));
            if (report.clean() && state.phase() == Phase.BACKFILLED) {
                return transition(next, Phase.VERIFIED, "verify");
            }
            if (!report.clean() && state.phase() == Phase.VERIFIED) {
                return transition(next, Phase.BACKFILLED, "verify found differences");
            }
            return next;
        });
        return result[0];
    }

    /**
     * Copies again, from the primary to the secondary, every key pending in the repair journal and, when asked, every
     * key of the last verify's report.
     */
    public Repair.Result repair(boolean lastReportToo) {
        Repair.Result[] result = new Repair.Result[1];
        step("repair", state -> {
            require(state.phase() != Phase.SOURCE_ONLY && state.phase() != Phase.TARGET_ONLY,
                    "repair needs a dual-write phase; the migration is at " + state.phase());
            boolean targetPrimary = state.phase() == Phase.DUAL_WRITE_TARGET_PRIMARY;
            StoreSync sync = targetPrimary ? StoreSync.between(target(), source(), plan.source())
                    : StoreSync.between(source(), target(), plan.target());
            Repair.Result fromJournal = Repair.fromJournal(sync, journal);
            List<SyncKey> keys = new ArrayList<>(fromJournal.keys());
            List<String> failed = new ArrayList<>(fromJournal.failed());
            if (lastReportToo) {
                Optional<Path> report = state.lastVerify().map(v -> Path.of(v.report())).filter(Files::exists);
                if (report.isPresent()) {
                    Repair.Result fromReport = Repair.fromReport(sync, report.get());
                    keys.addAll(fromReport.keys());
                    failed.addAll(fromReport.failed());
                }
            }
            result[0] = new Repair.Result(keys, failed);
            return state.repaired(Instant.now());
        });
        return result[0];
    }

    /** VERIFIED to DUAL_WRITE_TARGET_PRIMARY: the target answers, the source still receives every write. */
    public PhaseState cutover() {
        return step("cutover", state -> {
            require(state.phase() == Phase.VERIFIED, "cutover needs phase VERIFIED (a clean verify after the "
                    + "backfill); the migration is at " + state.phase());
            requireQuietAndVerified(state, "cutover", Instant.EPOCH);
            return transition(state, Phase.DUAL_WRITE_TARGET_PRIMARY, "cutover");
        });
    }

    /**
     * One phase back: DUAL_WRITE_TARGET_PRIMARY to BACKFILLED (the source answers again; verify before another
     * cutover), VERIFIED or BACKFILLED to DUAL_WRITE_SOURCE_PRIMARY, DUAL_WRITE_SOURCE_PRIMARY to SOURCE_ONLY.
     * TARGET_ONLY cannot be rolled back.
     */
    public PhaseState rollback() {
        return step("rollback", state -> switch (state.phase()) {
            case DUAL_WRITE_TARGET_PRIMARY -> {
                require(journal.pending().isEmpty(), "the repair journal holds keys the source missed while the "
                        + "target was primary; run repair before rolling back");
                yield transition(state, Phase.BACKFILLED, "rollback");
            }
            case VERIFIED, BACKFILLED -> transition(state, Phase.DUAL_WRITE_SOURCE_PRIMARY, "rollback");
            case DUAL_WRITE_SOURCE_PRIMARY -> transition(state, Phase.SOURCE_ONLY, "rollback");
            case SOURCE_ONLY -> throw new MigrationStateException("nothing to roll back: the migration is at "
                    + "SOURCE_ONLY");
            case TARGET_ONLY -> throw new MigrationStateException("the migration is finished (TARGET_ONLY); it "
                    + "cannot be rolled back");
        });
    }

    /** DUAL_WRITE_TARGET_PRIMARY to TARGET_ONLY: the source is no longer written. Not reversible. */
    public PhaseState finish() {
        return step("finish", state -> {
            require(state.phase() == Phase.DUAL_WRITE_TARGET_PRIMARY, "finish needs phase DUAL_WRITE_TARGET_PRIMARY "
                    + "(run cutover first); the migration is at " + state.phase());
            requireQuietAndVerified(state, "finish", state.cutoverAt().orElse(state.since()));
            return transition(state, Phase.TARGET_ONLY, "finish");
        });
    }

    /** No pending repair, and a clean verify that started after {@code notBefore} and after the last write outside the dual-write. */
    private void requireQuietAndVerified(PhaseState state, String step, Instant notBefore) {
        long pending = journal.pending().keys().size();
        require(pending == 0, step + " refused: the repair journal holds " + pending + " key(s) the secondary "
                + "missed; run repair, then verify");
        PhaseState.VerifyRecord verify = state.lastVerify().orElseThrow(() -> new MigrationStateException(step
                + " refused: no verify has run"));
        require(verify.clean(), step + " refused: the last verify found " + verify.findings() + " difference(s) ("
                + verify.report() + "); run repair, then verify");
        List<Instant> writes = new ArrayList<>();
        writes.add(notBefore);
        state.lastBackfillAt().ifPresent(writes::add);
        state.lastRepairAt().ifPresent(writes::add);
        journal.lastRecordedAt().ifPresent(writes::add);
        Instant lastWrite = writes.stream().max(Instant::compareTo).orElseThrow();
        require(verify.startedAt().isAfter(lastWrite), step + " refused: the last verify (started "
                + verify.startedAt() + ") is older than the last write outside the dual-write (" + lastWrite
                + "); verify again");
    }

    private interface Step {
        PhaseState apply(PhaseState state);
    }

    private PhaseState step(String name, Step step) {
        try (Lease lease = Lease.acquire(plan.workDir(), operator, name)) {
            PhaseState before = PhaseState.read(plan.workDir());
            PhaseState after = step.apply(before);
            if (!after.equals(before)) {
                after.write(plan.workDir(), name);
            }
            LOG.info("migration {}: {} -> {}", name, before.phase(), after.phase());
            return after;
        }
    }

    private PhaseState transition(PhaseState state, Phase next, String why) {
        return state.moveTo(next, operator + " (" + why + ")", Instant.now());
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new MigrationStateException(message);
        }
    }

    private static String nextStep(PhaseState state, long pending) {
        String repairFirst = pending > 0 ? "repair (" + pending + " key(s) pending), then " : "";
        return switch (state.phase()) {
            case SOURCE_ONLY -> "start";
            case DUAL_WRITE_SOURCE_PRIMARY -> "backfill (or rollback)";
            case BACKFILLED -> repairFirst + "verify (or rollback)";
            case VERIFIED -> repairFirst + "cutover once the last verify is newer than the last write (or rollback)";
            case DUAL_WRITE_TARGET_PRIMARY -> repairFirst + "verify, then finish (or rollback)";
            case TARGET_ONLY -> "nothing: the migration is finished";
        };
    }

    private Path checkpointFile() {
        return plan.workDir().resolve(CHECKPOINT);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            throw new dev.chatstore.api.error.StorageIOException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    private StorageBackend source() {
        if (source == null) {
            source = plan.opener().open(plan.source());
        }
        return source;
    }

    private StorageBackend target() {
        if (target == null) {
            target = plan.opener().open(plan.target());
        }
        return target;
    }

    @Override
    public void close() {
        try {
            if (source != null) {
                source.close();
            }
            if (target != null) {
                target.close();
            }
        } finally {
            journal.close();
        }
    }
}
