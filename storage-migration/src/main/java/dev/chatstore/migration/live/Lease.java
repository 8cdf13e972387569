package dev.chatstore.migration.live;

import dev.chatstore.api.error.StorageIOException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The operator's lease on a migration: an exclusive lock on {@value #FILE} in the work directory, held for the
 * length of one step (start, backfill, verify, repair, cutover, rollback, finish), so two operators cannot run steps
 * at once. The lock belongs to the process: it is released when the step ends, and by the operating system when the
 * process dies (a killed backfill does not leave a stale lease). The file names the current holder, for the message
 * the other operator gets.
 */
final class Lease implements AutoCloseable {

    static final String FILE = "migration.lease";

    private final FileChannel channel;
    private final FileLock lock;

    private Lease(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lease for {@code step}.
     *
     * @throws MigrationStateException if another operator (process, or thread of this one) holds it
     */
    static Lease acquire(Path dir, String operator, String step) {
        Path file = dir.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new MigrationStateException("another operator is running a migration step ("
                        + (holder.isEmpty() ? "holder unknown" : holder) + "); wait for it to finish before '"
                        + step + "'");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((operator + " running '" + step + "' since " + Instant.now() + " (pid "
                    + ProcessHandle.current().pid() + ")").getBytes(StandardCharsets.UTF_8)), 0);
            return new Lease(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // reported below
                }
            }
            throw new StorageIOException("cannot take the migration lease " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new StorageIOException("cannot release the migration lease: " + e.getMessage(), e);
        }
    }
}
