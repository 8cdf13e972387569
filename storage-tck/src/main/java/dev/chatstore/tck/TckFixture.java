package dev.chatstore.tck;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.spi.StorageBackendProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * How the kit gets stores from an adapter. The kit asks for it once per test ({@link ChatStoreTck#fixture()}), opens
 * every store of that test through it, and calls {@link #cleanUp()} on the same instance afterwards, so a fixture
 * can remember what it created (temp directories, schemas, key prefixes) and remove it.
 */
public interface TckFixture {

    /** The adapter's provider; the kit uses it explicitly (no ServiceLoader scan). */
    StorageBackendProvider provider();

    /**
     * Sets the URL of a new, empty store (and any backend options the adapter needs) on {@code config}, an isolated
     * builder that already holds the limits and keys the test needs. Called once per store a test opens.
     */
    void configure(ChatStoreConfig.Builder config);

    /** Called once after each test, after every store it opened was closed (delete temp files, drop schemas). */
    default void cleanUp() {
    }

    /**
     * A fixture whose stores each live in a new temporary directory (named {@code prefix...}), all deleted by
     * {@link #cleanUp()}.
     *
     * @param urlOfDirectory the store URL for a directory, e.g. {@code dir -> "file:" + dir}
     */
    static TckFixture inTempDirectories(String prefix, StorageBackendProvider provider,
                                        Function<Path, String> urlOfDirectory) {
        return new TckFixture() {
            private final List<Path> dirs = new ArrayList<>();

            @Override
            public StorageBackendProvider provider() {
                return provider;
            }

            @Override
            public void configure(ChatStoreConfig.Builder config) {
                try {
                    Path dir = Files.createTempDirectory(prefix);
                    dirs.add(dir);
                    config.url(urlOfDirectory.apply(dir));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void cleanUp() {
                for (Path dir : dirs) {
                    deleteTree(dir);
                }
                dirs.clear();
            }
        };
    }

    /** Deletes a directory tree, making read-only directories writable first; fails if anything is left. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isDirectory).forEach(d -> d.toFile().setWritable(true, true));
        } catch (IOException | UncheckedIOException e) {
            // best effort before deleting; the deletion below reports what stays
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the test directory " + root, e);
        }
    }
}
