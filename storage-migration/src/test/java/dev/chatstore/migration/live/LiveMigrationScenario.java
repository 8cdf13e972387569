package dev.chatstore.migration.live;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.tck.TckFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end proof of a live migration between two real stores: an application writes through a
 * {@link MigratingBackend} the whole time (appends, new sessions, renamed sessions) while the operator goes through
 * every phase; the backfill runs in its own JVM and is killed with SIGKILL midway, then resumed. At the end a verify
 * reports zero differences and every acknowledged write is in the store that stays. Then the same with rollback.
 * Subclasses name the target.
 */
abstract class LiveMigrationScenario {


    protected Path root;
    protected Path work;
    protected String sourceUrl;
    protected String targetUrl;

    /** The target store's URL for a fresh store (creating what it needs under {@code dir}). */
    protected abstract String newTargetUrl(Path dir) throws Exception;

    /** Drops what {@link #newTargetUrl} created outside {@code root}. */
    protected void dropTarget() throws Exception {
    }

    static ChatStoreConfig config(String url) {
        return ChatStoreConfig.isolated().url(url).encryptionKey(SampleData.KEY_ID, SampleData.KEY)
                .durability(Durability.NONE).build();
    }

    static MigrationPlan plan(Path work, String sourceUrl, String targetUrl) {
        return MigrationPlan.of(config(sourceUrl), config(targetUrl), work)
                .withTiming(Duration.ofMillis(50), Duration.ofMillis(300));
    }

    static BackfillOptions backfillOptions(BackfillOptions o) {
        return o.withPageSize(100, 300);
    }

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createTempDirectory("chatstore-live-migration");
        work = root.resolve("work");
        Path src = Files.createDirectories(root.resolve("source"));
        sourceUrl = "file:" + src;
        targetUrl = newTargetUrl(root.resolve("target"));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            dropTarget();
        } finally {
            TckFixture.deleteTree(root);
        }
    }

    private List<Session> populateSource(MigrationPlan plan) {
        try (StorageBackend source = plan.opener().open(plan.source());
             ChatStore store = Stores.over(source, plan.source())) {
            return SampleData.populate(store, 8, 5, 150);
        }
    }

    /** Starts a backfill JVM, waits until its checkpoint shows progress, kills it with SIGKILL. */
    private void forkAndKillBackfill() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ForkedBackfill.class.getName(), work.toString(),
                sourceUrl, targetUrl, "1500")
                .redirectErrorStream(true).redirectOutput(root.resolve("forked-backfill.log").toFile()).start();
        try {
            Path checkpoint = work.resolve(Migration.CHECKPOINT);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && child.isAlive()) {
                var c = Checkpoint.read(checkpoint);
                if (c.isPresent() && c.get().sessions() >= 6) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(child.isAlive()).as("the backfill is still running when killed; log:\n"
                    + Files.readString(root.resolve("forked-backfill.log"))).isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL on Unix
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        Checkpoint killedAt = Checkpoint.read(work.resolve(Migration.CHECKPOINT)).orElseThrow();
        assertThat(killedAt.stage()).isNotEqualTo(Backfill.Stage.DONE);
    }

    /** Start, backfill killed and resumed, verify (repairing what differs), cutover. Returns the app running. */
    private void migrateToCutover(Migration m, Application app) throws Exception {
        m.start();
        app.runFor(50);
        Thread.sleep(350); // the plan's settle time
        forkAndKillBackfill();
        app.runFor(50);
        BackfillResult resumed = m.backfill(LiveMigrationScenario::backfillOptions);
        assertThat(resumed.resumed()).as("the second run resumed from the killed run's checkpoint").isTrue();
        assertThat(m.status().state().phase()).isEqualTo(Phase.BACKFILLED);
        app.runFor(50);
        verifyClean(m);
        assertThat(m.status().state().phase()).isEqualTo(Phase.VERIFIED);
        asAnOperatorWould(m, m::cutover);
        app.runFor(200);
    }

    /**
     * Takes a phase step the way an operator does while the application keeps writing: a step refused because a
     * secondary write failed after the last verify (its key is in the repair journal) is taken again after repair
     * and verify, at most 3 times. The refusal itself is the safety this migration promises.
     */
    private static PhaseState asAnOperatorWould(Migration m, Supplier<PhaseState> step) {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.get();
            } catch (MigrationStateException e) {
                if (attempt == 3 || m.status().journalPending() == 0) {
                    throw e;
                }
                verifyClean(m);
            }
        }
    }

    /**
     * Repairs what the journal holds (keys the application wrote while the backfill had not copied them yet), then
     * verifies while the application writes; repairs and verifies again while differences remain (at most 3 times).
     */
    private static VerifyReport verifyClean(Migration m) {
        if (m.status().journalPending() > 0) {
            assertThat(m.repair(false).complete()).isTrue();
        }
        VerifyOptions options = VerifyOptions.defaults().withGrace(Duration.ofMillis(200), 3);
        VerifyReport report = m.verify(options);
        for (int i = 0; i < 3 && !report.clean(); i++) {
            m.repair(true);
            report = m.verify(options);
        }
        assertThat(report.findings()).as("verify after repair").isEmpty();
        return report;
    }

    @Test
    void migratesThroughEveryPhaseWhileTheApplicationWrites() throws Exception {
        MigrationPlan plan = plan(work, sourceUrl, targetUrl);
        List<Session> existing = populateSource(plan);
        try (Migration m = Migration.open(plan, "operator");
             Application app = new Application(ChatStore.builder().config(plan.source())
                     .backend(MigratingBackend.open(plan)).open(), existing, 1)) {
            migrateToCutover(m, app);
            verifyClean(m);
            m.finish();
            app.runFor(100);
            app.stop();
            try (StorageBackend target = plan.opener().open(plan.target())) {
                app.assertEveryAcknowledgedWriteIn(target, "target");
            }
            assertThat(m.status().state().phase()).isEqualTo(Phase.TARGET_ONLY);
        }
    }

    @Test
    void rollsBackWhileTheApplicationWrites() throws Exception {
        MigrationPlan plan = plan(work, sourceUrl, targetUrl);
        List<Session> existing = populateSource(plan);
        try (Migration m = Migration.open(plan, "operator");
             Application app = new Application(ChatStore.builder().config(plan.source())
                     .backend(MigratingBackend.open(plan)).open(), existing, 2)) {
            migrateToCutover(m, app);
            assertThat(asAnOperatorWould(m, m::rollback).phase()).isEqualTo(Phase.BACKFILLED);
            app.runFor(100);
            verifyClean(m);
            m.rollback();
            m.rollback();
            assertThat(m.status().state().phase()).isEqualTo(Phase.SOURCE_ONLY);
            app.runFor(50);
            app.stop();
            try (StorageBackend source = plan.opener().open(plan.source())) {
                app.assertEveryAcknowledgedWriteIn(source, "source");
            }
        }
    }
}
