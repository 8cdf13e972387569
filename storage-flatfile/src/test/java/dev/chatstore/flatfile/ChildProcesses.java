package dev.chatstore.flatfile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/** Starts child JVMs ({@link ChildWriter}, {@link ChildImporter}) with the test class path and collects what they print. */
final class ChildProcesses {

    /** A running child and the appends it acknowledged so far (seq to content). */
    static final class Child {
        final Process process;
        final Map<Long, String> acked = new ConcurrentHashMap<>();
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch firstAck = new CountDownLatch(1);
        final StringBuilder stderr = new StringBuilder();
        final Thread reader;

        Child(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.equals("READY")) {
                            ready.countDown();
                        } else if (line.startsWith("ACK ")) {
                            String[] parts = line.split(" ", 3);
                            acked.put(Long.parseLong(parts[1]), parts[2]);
                            firstAck.countDown();
                        }
                    }
                } catch (IOException ignored) {
                    // the process was killed
                }
                ready.countDown();
                firstAck.countDown();
            });
            reader.setDaemon(true);
            reader.start();
            Thread err = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (stderr) {
                            stderr.append(line).append('\n');
                        }
                    }
                } catch (IOException ignored) {
                    // the process was killed
                }
            });
            err.setDaemon(true);
            err.start();
        }

        /** Waits for the end of its stdout (after exit or kill). */
        void drain() throws InterruptedException {
            reader.join(30_000);
        }

        String stderr() {
            synchronized (stderr) {
                return stderr.toString();
            }
        }
    }

    static Child start(Path dir, String user, String session, long count, String tag, int threads, int extraSessions)
            throws IOException {
        return start(dir, user, session, count, tag, threads, extraSessions, 0);
    }

    static Child start(Path dir, String user, String session, long count, String tag, int threads, int extraSessions,
                       int searchEvery) throws IOException {
        return startMain(ChildWriter.class, dir.toString(), user, session, Long.toString(count), tag,
                Integer.toString(threads), Integer.toString(extraSessions), Integer.toString(searchEvery));
    }

    /** Starts {@code main} in a JVM of its own with the test class path. */
    static Child startMain(Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new Child(new ProcessBuilder(cmd).start());
    }

    private ChildProcesses() {
    }
}
