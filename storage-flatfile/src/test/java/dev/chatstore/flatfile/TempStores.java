package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Durability;
import dev.chatstore.tck.TckFixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A TCK fixture that opens each store in a new temporary directory, with the given durability. */
final class TempStores implements TckFixture {

    private final Durability durability;
    private final List<Path> dirs = new ArrayList<>();

    TempStores(Durability durability) {
        this.durability = durability;
    }

    @Override
    public synchronized ChatStore open(ChatStoreConfig.Builder config) {
        try {
            Path dir = Files.createTempDirectory("chatstore-tck-");
            dirs.add(dir);
            return ChatStore.builder()
                    .config(config.url("file:" + dir.resolve("data")).durability(durability).build())
                    .provider(new FlatfileBackendProvider())
                    .open();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void cleanUp() {
        for (Path d : dirs) {
            delete(d);
        }
        dirs.clear();
    }

    static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
