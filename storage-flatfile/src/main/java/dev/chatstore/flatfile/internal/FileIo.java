package dev.chatstore.flatfile.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The seam every file operation that changes the store goes through: creating files and directories, writes,
 * fsyncs, truncation and renames. Production uses {@link #system()}; fault-injection tests pass an implementation
 * that fails like a full disk would. Reads go straight to the JDK (a failed read changes nothing).
 *
 * <p>The system implementation clears the thread's interrupt flag around each call, because an interrupted
 * thread touching a {@link FileChannel} closes it, and closing the lock file's channel would silently drop every
 * POSIX lock this JVM holds.
 */
public interface FileIo {

    /** Opens (creating with owner-only permissions if asked) a channel. */
    FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException;

    /** Writes all of {@code src} at {@code position}. */
    void write(FileChannel channel, ByteBuffer src, long position) throws IOException;

    /** Flushes the file's data to stable storage (fdatasync). */
    void force(FileChannel channel) throws IOException;

    void truncate(FileChannel channel, long size) throws IOException;

    /** Atomically renames {@code from} to {@code to}, replacing it. */
    void move(Path from, Path to) throws IOException;

    /** Makes a directory's entries (creations, renames) durable. */
    void fsyncDirectory(Path dir) throws IOException;

    /** Creates the directory and its missing parents with owner-only permissions. */
    void createDirectories(Path dir) throws IOException;

    /** The JDK's file system. */
    static FileIo system() {
        return SystemFileIo.INSTANCE;
    }

    /** The default implementation over the JDK. */
    final class SystemFileIo implements FileIo {
        static final SystemFileIo INSTANCE = new SystemFileIo();
        private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");
        private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");

        private SystemFileIo() {
        }

        @FunctionalInterface
        private interface IoCall<T> {
            T call() throws IOException;
        }

        private static <T> T uninterrupted(IoCall<T> call) throws IOException {
            boolean interrupted = Thread.interrupted();
            try {
                return call.call();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
            return uninterrupted(() -> POSIX && (options.contains(StandardOpenOption.CREATE)
                    || options.contains(StandardOpenOption.CREATE_NEW))
                    ? FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(FILE_PERMS))
                    : FileChannel.open(file, options));
        }

        @Override
        public void write(FileChannel channel, ByteBuffer src, long position) throws IOException {
            uninterrupted(() -> {
                long pos = position;
                while (src.hasRemaining()) {
                    pos += channel.write(src, pos);
                }
                return null;
            });
        }

        @Override
        public void force(FileChannel channel) throws IOException {
            uninterrupted(() -> {
                channel.force(false);
                return null;
            });
        }

        @Override
        public void truncate(FileChannel channel, long size) throws IOException {
            uninterrupted(() -> {
                channel.truncate(size);
                return null;
            });
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system cannot rename " + from + " atomically", e);
            }
        }

        @Override
        public void fsyncDirectory(Path dir) throws IOException {
            if (!POSIX) {
                return; // Windows cannot open a directory as a channel; NTFS journals renames itself
            }
            uninterrupted(() -> {
                try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                    ch.force(true);
                }
                return null;
            });
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
            if (Files.isDirectory(dir)) {
                return;
            }
            Path parent = dir.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                createDirectories(parent);
            }
            try {
                if (POSIX) {
                    FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(DIR_PERMS);
                    Files.createDirectory(dir, attr);
                } else {
                    Files.createDirectory(dir);
                }
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    // what mkdir(2) says of a path that exists as a file; "File exists" would hide why it failed
                    throw new java.nio.file.FileSystemException(dir.toString(), null, "Not a directory");
                }
            }
        }
    }
}
