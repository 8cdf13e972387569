package dev.chatstore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A scratch directory for one scenario, deleted afterwards. */
public final class Workspace implements AutoCloseable {

    private final Path dir;

    public Workspace(Path parent, String name) throws IOException {
        Files.createDirectories(parent);
        this.dir = Files.createTempDirectory(parent, name + "-");
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
