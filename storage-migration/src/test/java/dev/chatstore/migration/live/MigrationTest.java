package dev.chatstore.migration.live;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.ForwardingStorageBackend;
import dev.chatstore.api.spi.StorageBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The phase machine over two mem stores: preconditions, lease, and the application's routing following the phase. */
class MigrationTest {

    @TempDir
    Path work;

    private StorageBackend source;
    private StorageBackend target;
    private MigrationPlan plan;

    @BeforeEach
    void setUp() {
        source = SampleData.mem("source");
        target = SampleData.mem("target");
        try (ChatStore s = SampleData.storeOver(source)) {
            SampleData.populate(s, 3, 2, 10);
        }
        plan = MigrationPlan.of(SampleData.config("mem:source"), SampleData.config("mem:target"), work)
                .withTiming(Duration.ofMillis(20), Duration.ZERO)
                .withOpener(config -> borrowed(config.url().equals("mem:source") ? source : target));
    }

    /** The shared store, not closed by whoever opened it. */
    private static StorageBackend borrowed(StorageBackend backend) {
        return new ForwardingStorageBackend(backend) {
            @Override
            public void close() {
            }
        };
    }

    @Test
    void walksEveryPhaseAndRefusesStepsOutOfOrder() throws Exception {
        try (Migration m = Migration.open(plan, "ops")) {
            assertThat(m.status().state().phase()).isEqualTo(Phase.SOURCE_ONLY);
            assertThatThrownBy(() -> m.backfill(o -> o)).isInstanceOf(MigrationStateException.class)
                    .hasMessageContaining("run start first");
            assertThatThrownBy(m::cutover).isInstanceOf(MigrationStateException.class)
                    .hasMessageContaining("VERIFIED");
            m.start();
            BackfillResult backfill = m.backfill(o -> o);
            assertThat(backfill.stats().messagesWritten()).isEqualTo(3 * 2 * 10 + 4);
            assertThat(m.status().state().phase()).isEqualTo(Phase.BACKFILLED);
            assertThatThrownBy(m::cutover).isInstanceOf(MigrationStateException.class);
            VerifyReport verify = m.verify(VerifyOptions.defaults());
            assertThat(verify.clean()).isTrue();
            assertThat(verify.report()).hasValueSatisfying(r -> assertThat(r).exists());
            assertThat(m.status().state().phase()).isEqualTo(Phase.VERIFIED);
            m.cutover();
            assertThat(m.status().state().phase()).isEqualTo(Phase.DUAL_WRITE_TARGET_PRIMARY);
            assertThatThrownBy(m::finish).isInstanceOf(MigrationStateException.class)
                    .hasMessageContaining("older than the last write");
            assertThat(m.verify(VerifyOptions.defaults()).clean()).isTrue();
            m.finish();
            assertThat(m.status().state().phase()).isEqualTo(Phase.TARGET_ONLY);
            assertThatThrownBy(m::rollback).isInstanceOf(MigrationStateException.class)
                    .hasMessageContaining("cannot be rolled back");
            assertThat(Files.readAllLines(work.resolve(PhaseState.HISTORY))).hasSize(6);
            assertThat(m.status().render()).contains("TARGET_ONLY").contains("nothing");
        }
    }

    @Test
    void cutoverRefusesAJournalWithPendingKeysOrAVerifyOlderThanARepair() {
        try (Migration m = Migration.open(plan, "ops")) {
            m.start();
            m.backfill(o -> o);
            m.verify(VerifyOptions.defaults());
            try (FileRepairJournal journal = FileRepairJournal.open(work)) {
                journal.record(SyncKey.user("user-1"), "secondary down");
            }
            assertThatThrownBy(m::cutover).isInstanceOf(MigrationStateException.class)
                    .hasMessageContaining("repair journal holds 1 key");
            m.repair(false);
            assertThat(m.status().journalPending()).isZero();
            assertThatThrownBy(m::cutover).isInstanceOf(MigrationStateException.class)
                    .hasMessageContaining("older than the last write");
            m.verify(VerifyOptions.defaults());
            assertThat(m.cutover().phase()).isEqualTo(Phase.DUAL_WRITE_TARGET_PRIMARY);
        }
    }

    @Test
    void aVerifyWithDifferencesSendsVerifiedBackAndRepairFixesThem() {
        try (Migration m = Migration.open(plan, "ops")) {
            m.start();
            m.backfill(o -> o);
            m.verify(VerifyOptions.defaults());
            target.sessions().delete("user-2", "chat-0001");
            VerifyReport dirty = m.verify(VerifyOptions.defaults());
            assertThat(dirty.findings()).hasSize(1);
            assertThat(m.status().state().phase()).isEqualTo(Phase.BACKFILLED);
            assertThatThrownBy(m::cutover).isInstanceOf(MigrationStateException.class);
            Repair.Result repaired = m.repair(true);
            assertThat(repaired.keys()).containsExactly(SyncKey.session("user-2", "chat-0001"));
            assertThat(m.verify(VerifyOptions.defaults()).clean()).isTrue();
            assertThat(m.status().state().phase()).isEqualTo(Phase.VERIFIED);
        }
    }

    @Test
    void rollbackWalksBackOnePhaseAtATime() {
        try (Migration m = Migration.open(plan, "ops")) {
            m.start();
            m.backfill(o -> o);
            m.verify(VerifyOptions.defaults());
            m.cutover();
            assertThat(m.rollback().phase()).isEqualTo(Phase.BACKFILLED);
            assertThat(m.rollback().phase()).isEqualTo(Phase.DUAL_WRITE_SOURCE_PRIMARY);
            assertThat(m.rollback().phase()).isEqualTo(Phase.SOURCE_ONLY);
            assertThatThrownBy(m::rollback).isInstanceOf(MigrationStateException.class)
                    .hasMessageContaining("nothing to roll back");
        }
    }

    @Test
    void aSecondOperatorCannotRunAStepWhileTheFirstHoldsTheLease() throws Exception {
        CountDownLatch inBackfill = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Migration first = Migration.open(plan, "alice"); Migration second = Migration.open(plan, "bob")) {
            first.start();
            Thread t = new Thread(() -> {
                try {
                    first.backfill(o -> o.withProgress(p -> {
                        inBackfill.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, Duration.ofDays(1)));
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            inBackfill.await();
            assertThatThrownBy(second::cutover).isInstanceOf(MigrationStateException.class)
                    .hasMessageContaining("another operator").hasMessageContaining("alice")
                    .hasMessageContaining("backfill");
            assertThatThrownBy(second::rollback).isInstanceOf(MigrationStateException.class);
            release.countDown();
            t.join();
            assertThat(failure.get()).isNull();
            assertThat(second.status().state().phase()).isEqualTo(Phase.BACKFILLED);
            assertThat(second.rollback().phase()).isEqualTo(Phase.DUAL_WRITE_SOURCE_PRIMARY);
        }
    }

    @Test
    void theApplicationFollowsThePhase() throws Exception {
        try (Migration m = Migration.open(plan, "ops");
             MigratingBackend routing = MigratingBackend.open(plan);
             ChatStore app = ChatStore.builder().config(SampleData.config("mem:app")).backend(routing).open()) {
            Session s = app.sessions().create("user-0", "before start");
            assertThat(target.sessions().find("user-0", s.id())).as("source only").isEmpty();
            m.start();
            routing.refresh();
            assertThat(routing.phase()).isEqualTo(Phase.DUAL_WRITE_SOURCE_PRIMARY);
            app.messages().append("user-0", s.id(), NewMessage.user("dual"));
            m.backfill(o -> o);
            m.verify(VerifyOptions.defaults());
            m.cutover();
            awaitPhase(routing, Phase.DUAL_WRITE_TARGET_PRIMARY);
            app.messages().append("user-0", s.id(), NewMessage.user("target primary"));
            assertThat(source.logs().last(dev.chatstore.api.spi.LogRef.session("user-0", s.id()), 1))
                    .extracting(dev.chatstore.api.model.Message::content).containsExactly("target primary");
            m.verify(VerifyOptions.defaults());
            m.finish();
            awaitPhase(routing, Phase.TARGET_ONLY);
            app.messages().append("user-0", s.id(), NewMessage.user("target only"));
            assertThat(target.logs().last(dev.chatstore.api.spi.LogRef.session("user-0", s.id()), 1))
                    .extracting(dev.chatstore.api.model.Message::content).containsExactly("target only");
            assertThat(source.logs().last(dev.chatstore.api.spi.LogRef.session("user-0", s.id()), 1))
                    .extracting(dev.chatstore.api.model.Message::content).containsExactly("target primary");
            assertThat(routing.secondaryFailures()).as("only the append to the session created before start, which "
                    + "the target did not hold yet (journaled, then covered by the backfill)").isEqualTo(1);
        }
    }

    private static void awaitPhase(MigratingBackend routing, Phase phase) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (routing.phase() != phase && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(routing.phase()).as("the poller picked up the phase").isEqualTo(phase);
    }
}
