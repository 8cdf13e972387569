package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.StorageUnavailableException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Locks that hold across threads and processes. They live in one dedicated file, {@code store.lock}, that
 * holds no data and is never deleted or replaced. Each lock is one byte of that file, locked with
 * {@link FileChannel#tryLock(long, long, boolean)}; keys hash onto a fixed number of stripes per level.
 *
 * <p>POSIX locks belong to the process, and closing <em>any</em> channel of a file drops all of the process's
 * locks on it. So each JVM opens the lock file exactly once (a static registry, reference-counted by the stores
 * that use it) and puts an in-process {@link ReentrantLock} in front of every stripe, so that two threads never
 * ask the OS for the same byte. Locks are taken in level order (store, user, session or panel, personas),
 * one stripe per level at a time, so stripes shared by unrelated keys can slow each other down but never
 * deadlock.
 */
public final class StoreLocks implements AutoCloseable {

    /** Lock levels, in the order they may be nested. */
    public enum Level {
        STORE(0, 1), USER(1, 256), SESSION(257, 1024), PANEL(1281, 256), GLOBAL_PERSONAS(1537, 1);

        final int base;
        final int stripes;

        Level(int base, int stripes) {
            this.base = base;
            this.stripes = stripes;
        }
    }

    private static final Map<Path, Shared> REGISTRY = new HashMap<>();

    private static final class Shared {
        final Path file;
        final FileChannel channel;
        final ReentrantLock[] stripes = new ReentrantLock[1538];
        final FileLock[] held = new FileLock[1538];
        int refs;

        Shared(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
            for (int i = 0; i < stripes.length; i++) {
                stripes[i] = new ReentrantLock();
            }
        }
    }

    private final Shared shared;
    private final long timeoutNanos;
    private boolean closed;

    private StoreLocks(Shared shared, long timeoutMillis) {
        this.shared = shared;
        this.timeoutNanos = timeoutMillis * 1_000_000L;
    }

    /**
     * Locks for a read-only store: in-process only, no lock file (so opening writes nothing and works where the
     * process may not write). Other processes are not excluded, which a reader that never writes does not need.
     */
    public static StoreLocks inProcess(Path lockFile, long timeoutMillis) {
        return new StoreLocks(new Shared(lockFile.toAbsolutePath().normalize(), null), timeoutMillis);
    }

    /** Opens (or joins this JVM's existing handle on) the lock file. */
    public static StoreLocks open(Path lockFile, FileIo io, long timeoutMillis) {
        synchronized (REGISTRY) {
            try {
                Path key = lockFile.toAbsolutePath().normalize();
                Shared s = REGISTRY.get(key);
                if (s == null || s.channel == null || !s.channel.isOpen()) {
                    FileChannel ch = io.open(key, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE));
                    s = new Shared(key, ch);
                    REGISTRY.put(key, s);
                }
                s.refs++;
                return new StoreLocks(s, timeoutMillis);
            } catch (IOException e) {
                throw FlatfileExceptionTranslator.unavailable("open the lock file", lockFile, e);
            }
        }
    }

    /** A held lock; closing releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes the exclusive lock of {@code key} at {@code level}, waiting up to the configured timeout. */
    public Held lock(Level level, String key) {
        int stripe = level.base + Math.floorMod(key.hashCode() * 0x9E3779B1, level.stripes);
        ReentrantLock local = shared.stripes[stripe];
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            if (!local.tryLock(timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                throw new StorageUnavailableException("timed out waiting for the lock of " + key);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while waiting for the lock of " + key, e);
        }
        if (local.getHoldCount() == 1 && shared.channel != null) {
            try {
                shared.held[stripe] = acquireFileLock(stripe, key, deadline);
            } catch (RuntimeException e) {
                local.unlock();
                throw e;
            }
        }
        return () -> {
            try {
                if (local.getHoldCount() == 1) {
                    FileLock fl = shared.held[stripe];
                    shared.held[stripe] = null;
                    if (fl != null && fl.isValid()) {
                        boolean interrupted = Thread.interrupted();
                        try {
                            fl.release();
                        } catch (IOException e) {
                            throw FlatfileExceptionTranslator.io("release the lock of " + key + " in", shared.file, e);
                        } finally {
                            if (interrupted) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                }
            } finally {
                local.unlock();
            }
        };
    }

    private FileLock acquireFileLock(int stripe, String key, long deadline) {
        long sleepMicros = 50;
        while (true) {
            boolean interrupted = Thread.interrupted();
            try {
                FileLock fl = shared.channel.tryLock(stripe, 1, false);
                if (fl != null) {
                    return fl;
                }
            } catch (IOException e) {
                throw FlatfileExceptionTranslator.io("lock (for " + key + ")", shared.file, e);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new StorageUnavailableException("timed out waiting for another process's lock of " + key);
            }
            try {
                Thread.sleep(sleepMicros / 1000, (int) (sleepMicros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageUnavailableException("interrupted while waiting for the lock of " + key, e);
            }
            sleepMicros = Math.min(sleepMicros * 2, 2000);
        }
    }

    @Override
    public void close() {
        synchronized (REGISTRY) {
            if (closed) {
                return;
            }
            closed = true;
            if (shared.channel != null && --shared.refs == 0) {
                REGISTRY.remove(shared.file);
                try {
                    shared.channel.close();
                } catch (IOException ignored) {
                    // nothing is held any more
                }
            }
        }
    }
}
