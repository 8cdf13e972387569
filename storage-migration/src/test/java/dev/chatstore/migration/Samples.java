package dev.chatstore.migration;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The clean legacy samples of {@code ../shared/legacy-samples}, copied into the test resources. */
final class Samples {

    private Samples() {
    }

    /** A writable copy of the sample folder ({@code seed000}, {@code seed001}, {@code seed003}) under {@code tmp}. */
    static Path copy(String folder, Path tmp) throws IOException {
        Path from = resource("legacy-samples/" + folder);
        Path to = tmp.resolve(folder);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    static String expectedJson() throws IOException {
        try (InputStream in = Samples.class.getClassLoader().getResourceAsStream("legacy-samples/expected.json")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static Path resource(String name) {
        URL url = Samples.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
