package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.StorageUnavailableException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;

/**
 * A subcommand that works on one store. It turns the library's errors into {@code error: <message>} on stderr
 * and an exit code, so that a wrong URL or a missing file never shows a stack trace (unless {@code --verbose}).
 */
abstract class StoreCommand implements Callable<Integer> {

    /** The command that gets past damage, as the user types it. */
    static final String SALVAGE = "chatstore check --salvage";

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (StorageException e) {
            return fail(e, exitCode(e));
        } catch (UncheckedIOException e) {
            return fail(e, ChatStoreCommand.EXIT_ERROR);
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** The top-level command, however deep this subcommand is nested ({@code schema upgrade}). */
    ChatStoreCommand root() {
        picocli.CommandLine c = spec.commandLine();
        while (!(c.getCommand() instanceof ChatStoreCommand)) {
            c = c.getParent();
        }
        return c.getCommand();
    }

    /** Does the work; returns the exit code. */
    abstract int run();

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Whether the store forgets everything when this command ends ({@code mem:}). */
    static boolean isTransient(ChatStore store) {
        return store.backendName().equals("mem");
    }

    /** A short reason for a file error, e.g. "no such file or directory". */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private int fail(RuntimeException e, int exitCode) {
        PrintWriter err = err();
        err.println("error: " + e.getMessage());
        if (e instanceof StorageCorruptionException && !e.getMessage().contains(SALVAGE)) {
            err.println("'chatstore check' lists what is damaged; '" + SALVAGE + "' moves damaged records and files"
                    + " aside (kept beside the store, never deleted) so that the rest opens");
        }
        if (root().verbose) {
            e.printStackTrace(err);
        }
        return exitCode;
    }

    private static int exitCode(StorageException e) {
        if (e instanceof StorageConfigurationException) {
            return ChatStoreCommand.EXIT_CONFIGURATION;
        }
        if (e instanceof StorageUnavailableException) {
            return ChatStoreCommand.EXIT_UNAVAILABLE;
        }
        return ChatStoreCommand.EXIT_ERROR;
    }
}
