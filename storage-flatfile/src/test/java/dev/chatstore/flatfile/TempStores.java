package dev.chatstore.flatfile;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.tck.TckFixture;

/** TCK fixtures whose stores each live in a new temporary directory (deleted after the test), with a durability. */
final class TempStores {

    private TempStores() {
    }

    static TckFixture withDurability(Durability durability) {
        TckFixture dirs = TckFixture.inTempDirectories("chatstore-tck-", new FlatfileBackendProvider(),
                dir -> "file:" + dir.resolve("data"));
        return new TckFixture() {
            @Override
            public StorageBackendProvider provider() {
                return dirs.provider();
            }

            @Override
            public void configure(ChatStoreConfig.Builder config) {
                dirs.configure(config);
                config.durability(durability);
            }

            @Override
            public void cleanUp() {
                dirs.cleanUp();
            }
        };
    }
}
