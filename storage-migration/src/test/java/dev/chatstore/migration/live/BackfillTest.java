package dev.chatstore.migration.live;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.spi.StorageBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackfillTest {

    @TempDir
    Path dir;

    private StorageBackend source;

    @BeforeEach
    void populate() {
        source = SampleData.mem("source");
        try (ChatStore s = SampleData.storeOver(source)) {
            SampleData.populate(s, 5, 4, 30);
        }
    }

    private BackfillOptions options() {
        return BackfillOptions.defaults(SampleData.config("mem:x"), "mem:source -> mem:target");
    }

    @Test
    void copiesEverythingAndASecondRunWritesNothing() {
        StorageBackend target = SampleData.mem("target");
        BackfillResult first = Backfill.run(source, target, options());
        assertThat(first.stats().messagesWritten()).isEqualTo(5 * 4 * 30 + 4);
        assertThat(Verifier.compare(source, target, VerifyOptions.defaults()).findings()).isEmpty();

        BackfillResult second = Backfill.run(source, target, options());
        assertThat(second.stats().messagesWritten()).isZero();
        assertThat(second.stats().recordsWritten()).isZero();
        assertThat(second.stats().deleted()).isZero();
        assertThat(second.stats().messagesUnchanged()).isEqualTo(5 * 4 * 30 + 4);
    }

    @Test
    void aDryRunCountsWhatItWouldCopyAndWritesNothing() {
        StorageBackend target = SampleData.mem("target");
        BackfillResult dry = Backfill.run(source, target, options().withDryRun(true).withCheckpoint(dir.resolve("cp")));
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.stats().messagesWritten()).isEqualTo(5 * 4 * 30 + 4);
        assertThat(target.users().count()).isZero();
        assertThat(target.panels().listById("", 10)).isEmpty();
        assertThat(Files.exists(dir.resolve("cp"))).as("a dry run leaves no checkpoint").isFalse();
    }

    @Test
    void aRunKilledMidwayResumesFromItsCheckpoint() {
        Path checkpoint = dir.resolve("backfill.checkpoint");
        FlakyBackend dying = new FlakyBackend(SampleData.mem("target"));
        dying.messageWritesLeft.set(9); // dies inside the 10th session (one restore per session of 30 messages)
        BackfillOptions options = options().withCheckpoint(checkpoint).withPageSize(1000, 1);
        assertThatThrownBy(() -> Backfill.run(source, dying, options)).isInstanceOf(StorageUnavailableException.class);
        Checkpoint saved = Checkpoint.read(checkpoint).orElseThrow();
        assertThat(saved.stage()).isEqualTo(Backfill.Stage.USERS);
        assertThat(saved.sessions()).isEqualTo(9);
        assertThat(saved.userId()).isEqualTo("user-2");
        assertThat(saved.sessionId()).isEqualTo("chat-0000");

        dying.messageWritesLeft.set(-1);
        BackfillResult resumed = Backfill.run(source, dying, options);
        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.stats().messagesUnchanged() + resumed.stats().messagesWritten())
                .as("sessions finished before the crash are not copied again").isEqualTo((20 - 9) * 30 + 4);
        assertThat(Checkpoint.read(checkpoint).orElseThrow().stage()).isEqualTo(Backfill.Stage.DONE);
        assertThat(Verifier.compare(source, dying, VerifyOptions.defaults()).findings()).isEmpty();
    }

    @Test
    void aChangedConfigurationRefusesToResume() {
        Path checkpoint = dir.resolve("backfill.checkpoint");
        FlakyBackend dying = new FlakyBackend(SampleData.mem("target"));
        dying.messageWritesLeft.set(3);
        assertThatThrownBy(() -> Backfill.run(source, dying, options().withCheckpoint(checkpoint)))
                .isInstanceOf(StorageUnavailableException.class);
        BackfillOptions otherTarget = BackfillOptions.defaults(SampleData.config("mem:x"), "mem:source -> mem:other")
                .withCheckpoint(checkpoint);
        assertThatThrownBy(() -> Backfill.run(source, dying, otherTarget))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("another configuration").hasMessageContaining("mem:other");
        assertThatThrownBy(() -> Backfill.run(source, dying, options().withCheckpoint(checkpoint).withPageSize(10, 100)))
                .isInstanceOf(StorageConfigurationException.class).hasMessageContaining("page=10");
    }

    @Test
    void progressReportsCountsRateAndEta() {
        List<BackfillProgress> seen = new ArrayList<>();
        Backfill.run(source, SampleData.mem("target"), options().withProgress(seen::add, Duration.ZERO));
        assertThat(seen).isNotEmpty();
        BackfillProgress last = seen.get(seen.size() - 1);
        assertThat(last.stage()).isEqualTo(Backfill.Stage.DONE);
        assertThat(last.users()).isEqualTo(5);
        assertThat(last.sessions()).isEqualTo(20);
        assertThat(last.totalMessages()).hasValue(5 * 4 * 30);
        assertThat(seen).anySatisfy(p -> assertThat(p.eta()).isPresent());
        assertThat(last.render()).contains("users 5").contains("msg/s").contains("(100.0%)");
    }

    @Test
    void theThrottleHoldsTheRate() {
        long started = System.nanoTime();
        BackfillResult r = Backfill.run(source, SampleData.mem("target"), options().withThrottle(2000).withPageSize(50, 10_000));
        double seconds = (System.nanoTime() - started) / 1e9;
        long records = r.stats().recordsSeen();
        assertThat(records).isGreaterThan(600);
        assertThat(seconds).as("%d records at 2000/s", records).isGreaterThanOrEqualTo(records / 2000.0 * 0.9);
    }
}
