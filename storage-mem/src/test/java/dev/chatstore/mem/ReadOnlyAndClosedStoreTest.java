package dev.chatstore.mem;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StoreReadOnlyException;
import dev.chatstore.api.model.NewMessage;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The core's read-only guard: reads pass, every write is refused before the backend sees it. */
class ReadOnlyAndClosedStoreTest {

    private static ChatStore open(boolean readOnly) {
        return ChatStore.builder().provider(new MemoryBackendProvider())
                .config(ChatStoreConfig.isolated().url("mem:ro").set(Setting.READ_ONLY, readOnly).build()).open();
    }

    @Test
    void readOnlyStoreRefusesEveryWriteAndServesReads() {
        try (ChatStore store = open(true)) {
            List<ThrowingCallable> writes = List.of(
                    () -> store.users().create("alice"),
                    () -> store.sessions().create("alice", "t"),
                    () -> store.messages().append("alice", "s", NewMessage.user("hi")),
                    () -> store.panels().create("debate", List.of()),
                    () -> store.personas().save(dev.chatstore.api.model.PersonaScope.global(), "p",
                            dev.chatstore.api.json.JsonObject.empty()),
                    () -> store.importFrom(new ByteArrayInputStream(
                            "{\"type\":\"header\",\"format\":\"chatstore-export\",\"version\":1}\n{\"type\":\"user\",\"id\":\"u\",\"displayName\":\"\",\"profile\":{},\"createdAt\":\"2030-01-01T00:00:00Z\",\"updatedAt\":\"2030-01-01T00:00:00Z\",\"version\":1}\n".getBytes())));
            for (ThrowingCallable write : writes) {
                assertThatThrownBy(write).isInstanceOfAny(StoreReadOnlyException.class,
                        dev.chatstore.api.error.NotFoundException.class);
            }
            assertThatThrownBy(() -> store.users().create("alice")).isInstanceOf(StoreReadOnlyException.class)
                    .hasMessageContaining("store.read-only");
            assertThat(store.users().count()).isZero();
            assertThat(store.users().list()).isEmpty();
            store.exportTo(new ByteArrayOutputStream());
        }
    }

    @Test
    void readOnlyIsABooleanSetting() {
        assertThatThrownBy(() -> ChatStoreConfig.isolated().url("mem:").set(Setting.READ_ONLY, "yes").build())
                .isInstanceOf(StorageConfigurationException.class).hasMessageContaining("store.read-only");
    }
}
