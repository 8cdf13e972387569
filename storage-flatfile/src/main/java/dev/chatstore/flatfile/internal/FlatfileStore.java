package dev.chatstore.flatfile.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.chatstore.flatfile.internal.StoreLocks.Level;

/**
 * What the repositories of one open store share (like JDBC's {@code Database}): the layout, the file operations,
 * the cross-process locks, the poison flag, and this JVM's views of the message logs. Primary data is only ever
 * changed by an atomic replace (JSON) or an append (logs); everything else is derived and rebuilt when it
 * disagrees with the primary files.
 */
final class FlatfileStore {

    private static final Logger LOG = LoggerFactory.getLogger(FlatfileStore.class);
    private static final long PID = ProcessHandle.current().pid();

    final StoreLayout layout;
    final FileIo io;
    final AtomicFiles files;
    final StoreLocks locks;
    final Poison poison = new Poison();
    final FlatfileOptions options;
    /** Tells other stores' searches that a user's logs changed ({@code users/<user>/appended}). */
    final AppendSignals appendSignals;
    private final Map<Path, MessageLog> logs = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<Path>> onRemove = new ArrayList<>();
    private volatile boolean closed;

    FlatfileStore(StoreLayout layout, FileIo io, StoreLocks locks, FlatfileOptions options) {
        this.layout = layout;
        this.io = io;
        this.files = new AtomicFiles(io);
        this.locks = locks;
        this.options = options;
        this.appendSignals = new AppendSignals(layout, io);
    }

    Path root() {
        return layout.root();
    }

    Durability durability() {
        return options.durability();
    }

    // ---- state ---------------------------------------------------------------------------------------------

    void checkOpen() {
        if (closed) {
            throw new StorageUnavailableException("the store " + root() + " is closed");
        }
    }

    void checkWritable() {
        checkOpen();
        if (options.readOnly()) {
            throw new StorageConfigurationException("the store " + root() + " is open read-only"
                    + " (store.read-only=true); reopen it without that option to write");
        }
        poison.checkWritable();
    }

    boolean readOnly() {
        return options.readOnly();
    }

    boolean closed() {
        return closed;
    }

    /** Runs {@code action} under the lock of {@code key} at {@code level}, after checking the store takes writes. */
    <T> T locked(Level level, String key, Supplier<T> action) {
        checkWritable();
        try (StoreLocks.Held held = locks.lock(level, key)) {
            return action.get();
        } catch (UncheckedIOException e) {
            throw FlatfileExceptionTranslator.io("write in", root(), e);
        }
    }

    static String userKey(String userId) {
        return "u/" + userId;
    }

    // ---- files ---------------------------------------------------------------------------------------------

    void mkdirs(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                io.createDirectories(dir);
                io.fsyncDirectory(dir.getParent());
            }
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("create the directory", dir, e);
        }
    }

    void write(Path file, ObjectNode node) {
        files.write(file, Json.pretty(node));
    }

    /** The file decoded, empty if it does not exist; damage raises the corruption error naming it. */
    static <T> Optional<T> read(Path file, Function<JsonNode, T> decoder) {
        return Json.readFile(file).map(n -> Json.decode(file.toString(), 0, () -> decoder.apply(n)));
    }

    boolean delete(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("delete", file, e);
        }
    }

    void fsyncDirectory(Path dir) {
        try {
            io.fsyncDirectory(dir);
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("sync the directory", dir, e);
        }
    }

    /** The subdirectories (or files with the suffix) of a directory, skipping the store's own names. */
    static List<Path> children(Path dir, boolean directories, String suffix) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.contains("~") || (directories ? !Files.isDirectory(p) : !n.endsWith(suffix))) {
                    continue;
                }
                out.add(p);
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("list", dir, e);
        }
        return out;
    }

    /** Registers something to forget when a directory is removed (caches keyed by path). */
    void onRemove(java.util.function.Consumer<Path> forget) {
        onRemove.add(forget);
    }

    /** Moves a directory out of the way atomically (so no reader sees half of it), then deletes it. */
    void removeTree(Path dir) {
        Path trash = dir.resolveSibling(StoreLayout.TRASH_PREFIX + PID + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            io.move(dir, trash);
            io.fsyncDirectory(dir.getParent());
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("delete", dir, e);
        }
        for (Map.Entry<Path, MessageLog> e : logs.entrySet()) {
            if (e.getKey().startsWith(dir)) {
                e.getValue().closeChannels();
                logs.remove(e.getKey());
            }
        }
        onRemove.forEach(forget -> forget.accept(dir));
        deleteTree(trash);
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot fully delete {} ({}); it is removed at the next open", dir, e.getMessage());
        }
    }

    /** Creates an empty, durable {@code messages.jsonl} in a new session or panel directory. */
    void createEmptyLog(Path dir) {
        Path log = StoreLayout.logFile(dir);
        try (FileChannel ch = io.open(log, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            io.force(ch);
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("create", log, e);
        }
        fsyncDirectory(dir);
    }

    // ---- logs ----------------------------------------------------------------------------------------------

    /** The cross-process lock of a session's or panel's directory. */
    MessageLog.Locker lockerFor(Path ownerDir) {
        Path rel = root().relativize(ownerDir);
        if (layout.isPanelDir(ownerDir)) {
            String key = "p/" + rel.getName(1);
            return () -> locks.lock(Level.PANEL, key);
        }
        // users/<u>/sessions/<s>: lock by the encoded names, which are 1:1 with the IDs
        String key = "s/" + rel;
        return () -> locks.lock(Level.SESSION, key);
    }

    /** This JVM's view of the log in {@code ownerDir} (not yet refreshed). */
    MessageLog logFor(Path ownerDir) {
        return logs.computeIfAbsent(ownerDir, d -> new MessageLog(d, io, options.durability(), poison,
                options.salvage(), options.readOnly(), lockerFor(d)));
    }

    /** Whether {@code log} is still this JVM's view of its directory (not closed by a delete). */
    boolean current(Path ownerDir, MessageLog log) {
        return logs.get(ownerDir) == log;
    }

    /** The log of an existing owner, refreshed; first use in this JVM checks it fully under the lock. */
    Optional<MessageLog> view(Path ownerDir) {
        MessageLog log = logFor(ownerDir);
        if (!log.refresh(false)) {
            return Optional.empty();
        }
        if (!log.recovered()) {
            try (StoreLocks.Held held = log.locker().lock()) {
                if (!log.refresh(true)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(log);
    }

    /**
     * The log of an existing owner with its state known, checking only its tail the first time (search and
     * listing touch many logs and read few records of each; every record they read is checked).
     */
    Optional<MessageLog> tailView(Path ownerDir) {
        MessageLog log = logFor(ownerDir);
        if (!log.refresh(false, false)) {
            return Optional.empty();
        }
        if (!log.opened()) {
            try (StoreLocks.Held held = log.locker().lock()) {
                if (!log.refresh(true, false)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(log);
    }

    /** Under the log's lock: cuts a torn tail and rebuilds the offset index of the log in {@code ownerDir}. */
    void repairLog(Path ownerDir) {
        MessageLog log = logFor(ownerDir.toAbsolutePath().normalize());
        try (StoreLocks.Held held = log.locker().lock()) {
            if (log.refresh(true)) {
                log.rebuildIndex();
            }
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("repair", StoreLayout.logFile(ownerDir), e);
        }
    }

    /**
     * Under the cross-process lock of the log in {@code ownerDir}, with the log brought up to date: applies
     * {@code action} to the log. Empty if the log does not exist.
     */
    <T> Optional<T> withLogLocked(Path ownerDir, Function<MessageLog, T> action) {
        MessageLog log = logFor(ownerDir);
        try (StoreLocks.Held held = log.locker().lock()) {
            return log.refresh(true) ? Optional.ofNullable(action.apply(log)) : Optional.empty();
        }
    }

    /** Batch durability: fsyncs every log written since the last flush. */
    void flushAll() {
        for (MessageLog log : logs.values()) {
            log.flushIfDirty();
        }
    }

    /** Closes every log; the store refuses further calls. */
    void close() {
        closed = true;
        for (MessageLog log : logs.values()) {
            log.saveVerified();
            log.closeChannels();
        }
        logs.clear();
        appendSignals.close();
        locks.close();
    }

    /** For messages about unexpected I/O failures of a repository operation. */
    StorageIOException ioError(String operation, Path file, IOException e) {
        return FlatfileExceptionTranslator.io(operation, file, e);
    }
}
