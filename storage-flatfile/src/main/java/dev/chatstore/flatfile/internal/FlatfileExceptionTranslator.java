package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.StorageUnavailableException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The one place where the file backend turns an {@link IOException} into the API's exceptions. Every message names
 * the operation, the file and what the OS said: {@code cannot create the directory /x/afile.txt: Not a directory}.
 * Java's {@link FileSystemException} subclasses often carry no reason (an {@link AccessDeniedException}'s message
 * is just the path), so the reason is taken from the exception's type when the OS text is missing.
 */
public final class FlatfileExceptionTranslator {

    private FlatfileExceptionTranslator() {
    }

    /** A failed read or write of a store file: {@code cannot <operation> <file>: <reason>}. */
    public static StorageIOException io(String operation, Path file, IOException e) {
        return new StorageIOException(message(operation, file, e), e);
    }

    /** {@link #io} for an {@link UncheckedIOException} from a stream or visitor. */
    public static StorageIOException io(String operation, Path file, UncheckedIOException e) {
        return io(operation, file, e.getCause());
    }

    /** A store that cannot be opened or reached at all (its directory or lock file). */
    public static StorageUnavailableException unavailable(String operation, Path file, IOException e) {
        return new StorageUnavailableException(message(operation, file, e), e);
    }

    /** {@code cannot <operation> <file>: <reason>}. */
    public static String message(String operation, Path file, IOException e) {
        String reason = reason(e);
        if (e instanceof FileSystemException fse && fse.getFile() != null
                && !fse.getFile().equals(String.valueOf(file))) {
            reason += " (" + fse.getFile() + ")"; // the OS complained about another path, e.g. a parent
        }
        return "cannot " + operation + " " + file + ": " + reason;
    }

    /** What the OS said, in words; never just a path. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException fse) {
            if (fse.getReason() != null && !fse.getReason().isBlank()) {
                return fse.getReason();
            }
            String byType = reasonOfType(fse);
            if (byType != null) {
                return fse.getOtherFile() == null ? byType : byType + " (" + fse.getOtherFile() + ")";
            }
            return fse.getClass().getSimpleName();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String reasonOfType(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (e instanceof FileSystemLoopException) {
            return "Too many levels of symbolic links";
        }
        return null;
    }
}
