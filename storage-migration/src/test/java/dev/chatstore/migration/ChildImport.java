package dev.chatstore.migration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** An {@link ImportMain} JVM started with the test class path. */
final class ChildImport implements AutoCloseable {

    final Process process;
    final AtomicLong messages = new AtomicLong();
    final AtomicReference<String> done = new AtomicReference<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread out;
    private final Thread err;

    ChildImport(List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ImportMain.class.getName());
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(cmd).start();
        out = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("PROGRESS ")) {
                        messages.set(Long.parseLong(line.substring(9).trim()));
                    } else if (line.startsWith("DONE ")) {
                        done.set(line.substring(5));
                    }
                }
            } catch (IOException ignored) {
                // killed
            }
        });
        err = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // killed
            }
        });
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    /** Waits for the end; returns the exit value. */
    int await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the import JVM did not finish in " + seconds + " s; stderr:\n" + stderr());
        }
        out.join(10_000);
        return process.exitValue();
    }

    /** SIGKILL (kill -9) once the child reports at least {@code atLeast} messages imported. */
    void killAfter(long atLeast, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (messages.get() < atLeast && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (!process.isAlive()) {
            throw new AssertionError("the import finished before it could be killed (" + messages.get()
                    + " messages); stderr:\n" + stderr());
        }
        process.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushes
        process.waitFor(30, TimeUnit.SECONDS);
        out.join(10_000);
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
