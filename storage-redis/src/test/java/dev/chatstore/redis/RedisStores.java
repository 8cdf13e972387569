package dev.chatstore.redis;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;

import java.util.function.Consumer;

/** Opens ChatStores on a Redis URL under a key prefix, for the adapter's own tests and workers. */
final class RedisStores {

    private RedisStores() {
    }

    /** A fixed 256-bit key (bytes 1..32), test use only. */
    private static byte[] testKey() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i + 1);
        }
        return key;
    }

    static ChatStore open(String url, String prefix) {
        return open(url, prefix, b -> { });
    }

    static ChatStore open(String url, String prefix, Consumer<ChatStoreConfig.Builder> extra) {
        ChatStoreConfig.Builder b = ChatStoreConfig.isolated().url(url).backendOption("key-prefix", prefix)
                .backendOption("durability-check", "off").encryptionKey("test-key-1", testKey());
        extra.accept(b);
        return ChatStore.builder().config(b.build()).provider(new RedisBackendProvider()).open();
    }
}
