package dev.chatstore.api.config;

import dev.chatstore.api.error.StorageConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The meta keys {@code profile} and {@code config} can be set in code like any other key. */
class ChatStoreConfigMetaKeysTest {

    @Test
    void profileSetByKeyInCodeChoosesTheProfile() {
        ChatStoreConfig config = ChatStoreConfig.isolated().set("profile", "production").build();
        assertThat(config.profile()).isEqualTo(Profile.PRODUCTION);
        assertThat(config.messageDefaultLimit()).isEqualTo(50);
    }

    @Test
    void unknownProfileSetInCodeIsRejectedByName() {
        assertThatThrownBy(() -> ChatStoreConfig.isolated().set("profile", "staging"))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("staging");
    }

    @Test
    void configSetByKeyInCodeReadsThatFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("chatstore.properties");
        Files.writeString(file, "limits.max-message-bytes=4096\n");
        ChatStoreConfig config = ChatStoreConfig.isolated().set("config", file.toString()).build();
        assertThat(config.maxMessageBytes()).isEqualTo(4096);
        assertThat(config.source(Setting.MAX_MESSAGE_BYTES)).isEqualTo(ChatStoreConfig.Source.FILE);
    }
}
