package dev.chatstore.hygiene;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after every other module's tests (this module depends on them all, so the reactor builds it last) and fails
 * the build if they left anything behind: temporary directories made since the build started, or PostgreSQL
 * schemas of the kit's fixtures. Tests remove what they create; this is what makes that a rule.
 */
class BuildLeavesNothingBehindTest {

    /** Name prefixes the project's tests give their temporary files and directories. */
    private static final List<String> TEMP_PREFIXES = List.of("chatstore", "junit");

    @Test
    @DisplayName("No temporary directory made during this build is left in java.io.tmpdir")
    void noTempDirectoriesLeft() throws IOException {
        Instant started = Instant.parse(System.getProperty("chatstore.build.started", Instant.EPOCH.toString()));
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<String> left = new ArrayList<>();
        try (Stream<Path> entries = Files.list(tmp)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (TEMP_PREFIXES.stream().noneMatch(name::startsWith)) {
                    continue;
                }
                BasicFileAttributes attributes = Files.readAttributes(p, BasicFileAttributes.class);
                if (!attributes.creationTime().toInstant().isBefore(started)) {
                    left.add(name);
                }
            }
        }
        assertThat(left).as("temporary entries created since " + started + " in " + tmp).isEmpty();
    }

    @Test
    @DisplayName("No PostgreSQL schema of a test fixture is left in the test database")
    void noPostgresSchemasLeft() throws SQLException {
        String url = System.getenv().getOrDefault("CHATSTORE_TEST_POSTGRES_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        List<String> left = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'chatstore%' ORDER BY nspname")) {
            while (rs.next()) {
                left.add(rs.getString(1));
            }
        }
        assertThat(left).as("schemas left in " + url).isEmpty();
    }
}
