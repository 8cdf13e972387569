package dev.chatstore.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;
import org.junit.jupiter.api.DisplayName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The kit against SQLite, one temporary database file per store. */
@DisplayName("TCK on SQLite")
class SqliteTckTest extends ChatStoreTck {

    @Override
    protected TckFixture fixture() {
        return new TckFixture() {
            private final List<Path> dirs = new ArrayList<>();

            @Override
            public ChatStore open(ChatStoreConfig.Builder config) {
                try {
                    Path dir = Files.createTempDirectory("chatstore-sqlite-tck");
                    dirs.add(dir);
                    String url = "jdbc:sqlite:" + dir.resolve("chat.db");
                    return ChatStore.builder().config(config.url(url).build()).provider(new JdbcBackendProvider()).open();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void cleanUp() {
                for (Path dir : dirs) {
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    } catch (IOException ignored) {
                        // temp files
                    }
                }
                dirs.clear();
            }
        };
    }
}
