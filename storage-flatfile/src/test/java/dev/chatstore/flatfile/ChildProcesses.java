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

/** Starts {@link ChildWriter} JVMs with the test class path and collects what they acknowledge. */
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
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildWriter.class.getName());
        cmd.add(dir.toString());
        cmd.add(user);
        cmd.add(session);
        cmd.add(Long.toString(count));
        cmd.add(tag);
        cmd.add(Integer.toString(threads));
        cmd.add(Integer.toString(extraSessions));
        cmd.add(Integer.toString(searchEvery));
        return new Child(new ProcessBuilder(cmd).start());
    }

    private ChildProcesses() {
    }
}
