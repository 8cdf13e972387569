package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.StorageIOException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replacing a whole file so that a reader or a crash sees either the old or the new content, never a mix
 * (SQLite's and every careful editor's recipe): write a temporary file in the same directory, fsync it, rename it
 * over the target, fsync the directory. Temporary files are named {@code ~tmp-<pid>-<random>-<name>} so that a
 * later open can tell a dead process's leftovers from a live one's.
 */
public final class AtomicFiles {

    static final String TMP_PREFIX = "~tmp-";
    private static final long PID = ProcessHandle.current().pid();

    private final FileIo io;

    public AtomicFiles(FileIo io) {
        this.io = io;
    }

    static Path tempFor(Path target) {
        return target.resolveSibling(TMP_PREFIX + PID + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + "-" + target.getFileName());
    }

    /** Whether a leftover temporary (or trash) name belongs to a process that is no longer running. */
    static boolean ownerIsGone(String fileName, String prefix) {
        String rest = fileName.substring(prefix.length());
        int dash = rest.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
            return pid != PID && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Atomically replaces {@code target} with {@code bytes}. */
    public void write(Path target, byte[] bytes) {
        Path tmp = tempFor(target);
        try {
            try (FileChannel ch = io.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                io.write(ch, ByteBuffer.wrap(bytes), 0);
                io.force(ch);
            }
            io.move(tmp, target);
            io.fsyncDirectory(target.getParent());
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw FlatfileExceptionTranslator.io("write", target, e);
        }
    }

    /**
     * Streams {@code in} into a new temporary file next to {@code target} and fsyncs it; the caller renames it
     * with {@link #commit} or drops it with {@link #deleteQuietly}.
     */
    public Path stage(Path target, InputStream in) throws IOException {
        Path tmp = tempFor(target);
        boolean ok = false;
        try (FileChannel ch = io.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            byte[] buf = new byte[64 * 1024];
            long pos = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                io.write(ch, ByteBuffer.wrap(buf, 0, n), pos);
                pos += n;
            }
            io.force(ch);
            ok = true;
            return tmp;
        } finally {
            if (!ok) {
                deleteQuietly(tmp);
            }
        }
    }

    /** Renames a staged file over its target and makes the rename durable. */
    public void commit(Path staged, Path target) {
        try {
            io.move(staged, target);
            io.fsyncDirectory(target.getParent());
        } catch (IOException e) {
            deleteQuietly(staged);
            throw FlatfileExceptionTranslator.io("write", target, e);
        }
    }

    public static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is removed at the next open
        }
    }
}
