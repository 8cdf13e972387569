package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;

/**
 * How the kit gets stores from an adapter. Each call to {@link #open} must return a new, empty store of the
 * adapter under test, configured with everything in {@code config} except the URL, which the fixture sets.
 */
@FunctionalInterface
public interface TckFixture {

    /**
     * Opens a fresh, empty store.
     *
     * @param config an isolated configuration builder holding the limits and keys the test needs; the fixture
     *               adds its URL (and any backend options) and builds it
     */
    ChatStore open(ChatStoreConfig.Builder config);

    /** Called once after each test, after every store it opened was closed (delete temp files, drop schemas). */
    default void cleanUp() {
    }
}
