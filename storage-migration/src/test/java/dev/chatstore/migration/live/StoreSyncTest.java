package dev.chatstore.migration.live;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.spi.StorageBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Copying one key: idempotent, deletes what the source no longer has, rebuilds what the ports cannot patch. */
class StoreSyncTest {

    private StorageBackend source;
    private StorageBackend target;
    private StoreSync sync;

    @BeforeEach
    void setUp() {
        source = SampleData.mem("source");
        target = SampleData.mem("target");
        try (ChatStore s = SampleData.storeOver(source)) {
            SampleData.populate(s, 2, 2, 6);
        }
        Backfill.run(source, target, BackfillOptions.defaults(SampleData.config("mem:x"), "t"));
        sync = StoreSync.between(source, target, SampleData.config("mem:x"));
    }

    private boolean same() {
        return Verifier.compare(source, target, VerifyOptions.defaults()).clean();
    }

    @Test
    void aTargetLogWithAnotherMessageAtASeqIsRebuilt() {
        try (ChatStore t = SampleData.storeOver(target); ChatStore s = SampleData.storeOver(source)) {
            t.messages().append("user-0", "chat-0001", NewMessage.user("only in the target"));
            s.messages().append("user-0", "chat-0001", NewMessage.user("only in the source"));
        }
        assertThat(same()).isFalse();
        sync.syncSession("user-0", "chat-0001");
        assertThat(sync.stats().rebuilt()).isEqualTo(1);
        assertThat(same()).isTrue();
    }

    @Test
    void aTargetLogLongerThanTheSourceIsRebuilt() {
        try (ChatStore t = SampleData.storeOver(target)) {
            t.messages().append("user-1", "chat-0000", NewMessage.user("extra"));
        }
        sync.syncSession("user-1", "chat-0000");
        assertThat(sync.stats().rebuilt()).isEqualTo(1);
        assertThat(same()).isTrue();
    }

    @Test
    void aContextHistoryThatDiffersIsRebuiltAndAnExtraInsightRebuildsThePanel() {
        try (ChatStore t = SampleData.storeOver(target)) {
            t.contexts().saveSnapshot("user-1", "chat-0000", SituationalContext.of("extra", List.of(), Map.of(), 0.2));
            String panel = t.panels().list(0, 10).get(0).id();
            t.panels().saveInsight(panel, dev.chatstore.api.json.JsonObject.of("extra", true));
            sync.syncPanel(panel);
        }
        sync.syncSession("user-1", "chat-0000");
        assertThat(sync.stats().rebuilt()).isEqualTo(2);
        assertThat(same()).isTrue();
    }

    @Test
    void recordsGoneFromTheSourceAreDeletedFromTheTarget() {
        source.sessions().delete("user-0", "chat-0000");
        source.users().delete("user-1");
        sync.syncSession("user-0", "chat-0000");
        sync.syncUser("user-1");
        assertThat(target.sessions().find("user-0", "chat-0000")).isEmpty();
        assertThat(target.users().find("user-1")).isEmpty();
        assertThat(sync.stats().deleted()).isEqualTo(2);
        assertThat(same()).isTrue();
    }

    @Test
    void syncingAnEqualKeyWritesNothing() {
        sync.syncUser("user-0");
        sync.syncSession("user-0", "chat-0000");
        sync.sync(SyncKey.allPanels());
        sync.sync(SyncKey.globalPersonas());
        assertThat(sync.stats().recordsWritten()).isZero();
        assertThat(sync.stats().messagesWritten()).isZero();
        assertThat(sync.stats().messagesUnchanged()).isEqualTo(6 + 2 + 2);
    }
}
