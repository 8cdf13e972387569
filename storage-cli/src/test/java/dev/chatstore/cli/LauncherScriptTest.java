package dev.chatstore.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code chatstore} launcher (src/main/scripts/chatstore, copied beside chatstore.jar by the build), run as a
 * real process the way the README installs it: copied with the jar into a directory and linked from a bin
 * directory. {@code JAVA_HOME} points at a stand-in {@code java} that prints its arguments, so the test sees exactly
 * the command line the launcher builds.
 */
class LauncherScriptTest {

    /** Tests run in target/ (see the module's surefire configuration). */
    private static final Path SCRIPT = Path.of("..", "src", "main", "scripts", "chatstore").toAbsolutePath()
            .normalize();

    @TempDir
    Path dir;

    private record Result(int exitCode, List<String> out, String err) {
    }

    private Path install(boolean withJar) throws IOException {
        Path home = Files.createDirectories(dir.resolve("share/chatstore"));
        Path script = Files.copy(SCRIPT, home.resolve("chatstore"));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (withJar) {
            Files.write(home.resolve("chatstore.jar"), new byte[0]);
        }
        Path bin = Files.createDirectories(dir.resolve("bin"));
        return Files.createSymbolicLink(bin.resolve("chatstore"), script);
    }

    private Result run(Path launcher, String... args) throws IOException, InterruptedException {
        Path java = Files.createDirectories(dir.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder(launcher.toString());
        pb.command().addAll(List.of(args));
        pb.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
        pb.environment().put("CHATSTORE_JAVA_OPTS", "-Xmx64m -Dchatstore.url=mem:");
        pb.environment().remove("CHATSTORE_JAR");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out.lines().toList(), err);
    }

    @Test
    void runsTheJarBesideTheScriptThroughALinkWithTheJvmOptionsAndEveryArgument() throws Exception {
        Path launcher = install(true);

        Result run = run(launcher, "search", "alice", "two words", "--format", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsExactly("-Xmx64m", "-Dchatstore.url=mem:", "-jar",
                dir.resolve("share/chatstore/chatstore.jar").toRealPath().toString(),
                "search", "alice", "two words", "--format", "json");
    }

    @Test
    void withoutTheJarItSaysWhereItLookedAndHowToBuildIt() throws Exception {
        Path launcher = install(false);

        Result run = run(launcher, "--version");

        assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_CONFIGURATION);
        assertThat(run.err()).contains("chatstore: no ", "chatstore.jar", "./mvnw -pl storage-cli -am package");
        assertThat(run.out()).isEmpty();
    }
}
