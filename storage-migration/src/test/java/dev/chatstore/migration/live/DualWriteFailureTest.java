package dev.chatstore.migration.live;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.StorageBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A secondary that fails: the caller is answered by the primary, the keys are journaled, repair closes the gap. */
class DualWriteFailureTest {

    @TempDir
    Path dir;

    @Test
    void journalThenRepairBringsTheTwoStoresToZeroDifferences() {
        StorageBackend primary = SampleData.mem("primary");
        FlakyBackend secondary = new FlakyBackend(SampleData.mem("secondary"));
        FileRepairJournal journal = FileRepairJournal.open(dir);
        DualWriteBackend dual = new DualWriteBackend(primary, secondary, FailurePolicy.JOURNAL, Optional.of(journal));
        try (ChatStore app = SampleData.storeOver(dual)) {
            SampleData.populate(app, 3, 2, 5);
            assertThat(Verifier.compare(primary, secondary, VerifyOptions.defaults()).clean()).isTrue();

            secondary.failing.set(true);
            Session s = app.sessions().get("user-1", "chat-0001").orElseThrow();
            for (int i = 0; i < 7; i++) {
                app.messages().append("user-1", s.id(), NewMessage.user("while the secondary is down " + i));
            }
            app.sessions().update("user-2", "chat-0000", x -> x.withTitle("renamed while down"));
            app.users().create("newcomer");
            Session fresh = app.sessions().create("newcomer", "created while down");
            app.messages().append("newcomer", fresh.id(), NewMessage.user("hello"));
            secondary.failing.set(false);
            // the next append to the same session reaches a secondary that missed seqs: a failure too, journaled
            app.messages().append("user-1", s.id(), NewMessage.user("after recovery"));

            assertThat(app.messages().count("user-1", s.id())).as("the caller was answered by the primary")
                    .isEqualTo(5 + 8);
            assertThat(dual.secondaryFailures()).isGreaterThanOrEqualTo(4);
            RepairJournal.Pending pending = journal.pending();
            assertThat(pending.keys()).contains(SyncKey.session("user-1", s.id()), SyncKey.session("user-2", "chat-0000"),
                    SyncKey.user("newcomer"), SyncKey.session("newcomer", fresh.id()));

            VerifyReport before = Verifier.compare(primary, secondary, VerifyOptions.defaults());
            assertThat(before.clean()).isFalse();

            Repair.Result repaired = Repair.fromJournal(StoreSync.between(primary, secondary,
                    SampleData.config("mem:x")), journal);
            assertThat(repaired.complete()).isTrue();
            assertThat(journal.pending().isEmpty()).as("repaired entries are marked").isTrue();
            VerifyReport after = Verifier.compare(primary, secondary, VerifyOptions.defaults());
            assertThat(after.findings()).isEmpty();
            assertThat(after.exitCode()).isZero();
        }
    }

    @Test
    void theJournalSurvivesReopeningAndIgnoresATornTail() throws Exception {
        try (FileRepairJournal journal = FileRepairJournal.open(dir)) {
            journal.record(SyncKey.session("a", "s1"), "down");
            journal.record(SyncKey.user("b"), "down");
            journal.record(SyncKey.session("a", "s1"), "down again");
        }
        Files.writeString(dir.resolve(FileRepairJournal.JOURNAL_FILE), "{\"at\":\"2026-01-01T00:00:00Z\",\"key\":{\"ki",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (FileRepairJournal reopened = FileRepairJournal.open(dir)) {
            RepairJournal.Pending pending = reopened.pending();
            assertThat(pending.keys()).containsExactly(SyncKey.session("a", "s1"), SyncKey.user("b"));
            assertThat(pending.entries()).isEqualTo(3);
            reopened.record(SyncKey.panel("p"), "after the crash");
            assertThat(reopened.pending().keys()).as("the torn line is skipped; the next entry is whole")
                    .containsExactly(SyncKey.session("a", "s1"), SyncKey.user("b"), SyncKey.panel("p"));
            reopened.markRepaired(reopened.pending());
            assertThat(reopened.pending().isEmpty()).isTrue();
            reopened.record(SyncKey.user("c"), "later");
            assertThat(reopened.pending().keys()).containsExactly(SyncKey.user("c"));
        }
    }

    @Test
    void failPolicyJournalsThenFailsTheCaller() {
        StorageBackend primary = SampleData.mem("p");
        FlakyBackend secondary = new FlakyBackend(SampleData.mem("s"));
        FileRepairJournal journal = FileRepairJournal.open(dir);
        try (ChatStore app = SampleData.storeOver(new DualWriteBackend(primary, secondary, FailurePolicy.FAIL,
                Optional.of(journal)))) {
            app.users().create("alice");
            secondary.failing.set(true);
            assertThatThrownBy(() -> app.sessions().create("alice", "t"))
                    .isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("journaled for repair");
            assertThat(primary.sessions().count("alice")).as("the primary holds the write").isEqualTo(1);
            assertThat(journal.pending().keys()).hasSize(1);
        }
        journal.close();
    }

    @Test
    void countPolicyCountsWithoutJournalAndVerifyFindsTheDifference() {
        StorageBackend primary = SampleData.mem("p");
        FlakyBackend secondary = new FlakyBackend(SampleData.mem("s"));
        DualWriteBackend dual = new DualWriteBackend(primary, secondary, FailurePolicy.COUNT, Optional.empty());
        try (ChatStore app = SampleData.storeOver(dual)) {
            app.users().create("alice");
            secondary.failing.set(true);
            app.users().update("alice", u -> u.withDisplayName("Alice"));
            assertThat(dual.secondaryFailures()).isEqualTo(1);
            VerifyReport report = Verifier.compare(primary, secondary, VerifyOptions.defaults());
            assertThat(report.findings()).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(Finding.Kind.FIELD_MISMATCH);
                // updatedAt too, unless the update fell in the creation's millisecond
                assertThat(f.fields()).contains("displayName", "version");
            });
        }
    }

    @Test
    void aPrimaryFailureNeverReachesTheSecondary() {
        FlakyBackend primary = new FlakyBackend(SampleData.mem("p"));
        StorageBackend secondary = SampleData.mem("s");
        try (ChatStore app = SampleData.storeOver(new DualWriteBackend(primary, secondary, FailurePolicy.JOURNAL,
                Optional.of(FileRepairJournal.open(dir))))) {
            primary.failing.set(true);
            assertThatThrownBy(() -> app.users().create("alice")).isInstanceOf(StorageUnavailableException.class);
            assertThat(secondary.users().find("alice")).isEmpty();
            assertThat(List.of(dir.toFile().list())).contains(FileRepairJournal.JOURNAL_FILE);
        }
    }

    @Test
    void theTckRunsCheckThatBothSidesAgreeCanFail() {
        FlakyBackend secondary = new FlakyBackend(SampleData.mem("s"));
        DualWriteTckTest.CheckedOnClose checked = new DualWriteTckTest.CheckedOnClose(SampleData.mem("p"), secondary,
                FileRepairJournal.open(dir), SampleData.config("mem:x"));
        ChatStore app = ChatStore.builder().config(SampleData.config("mem:x")).backend(checked).open();
        app.users().create("alice");
        secondary.failing.set(true);
        app.users().update("alice", u -> u.withDisplayName("Alice"));
        assertThatThrownBy(app::close).isInstanceOf(AssertionError.class)
                .hasMessageContaining("left the secondary different");
    }
}
