package dev.chatstore.flatfile.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageCorruptionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.chatstore.flatfile.internal.StoreLocks.Level;

/**
 * Opening a store and recovering it: the manifest (created for a new store, checked for an existing one), leftovers
 * of processes that died (temporary files, half-deleted directories), then {@code backend.verify-on-open} or, with
 * {@code backend.salvage=true}, salvage: every damaged range of a log and every unparsable JSON file is moved aside
 * (never deleted) so the intact records can be opened.
 */
final class StoreOpener {

    private static final Logger LOG = LoggerFactory.getLogger(StoreOpener.class);

    private StoreOpener() {
    }

    /** Opens (creating if needed) the store in {@code root}. */
    static FlatfileStore open(Path root, FileIo io, FlatfileOptions options) {
        StoreLayout layout = new StoreLayout(root);
        if (options.readOnly()) {
            return openReadOnly(layout, io, options);
        }
        try {
            io.createDirectories(layout.root());
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.unavailable("create the store directory", layout.root(), e);
        }
        StoreLocks locks = StoreLocks.open(layout.lockFile(), io, options.lockTimeout().toMillis());
        FlatfileStore store = new FlatfileStore(layout, io, locks, options);
        try {
            try (StoreLocks.Held held = locks.lock(Level.STORE, "store")) {
                manifest(store);
                for (Path dir : layout.topDirectories()) {
                    store.mkdirs(dir);
                }
                cleanLeftovers(layout.root());
                if (options.salvage()) {
                    salvage(store);
                } else {
                    verify(store, options.verifyOnOpen());
                }
            }
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * {@code store.read-only=true}: an existing store, opened without writing a byte: no lock file (locks are
     * in-process), no directories, no cleanup of leftovers, and recovery in memory (a torn tail is skipped, an
     * index that disagrees is rebuilt in memory). Works on a store the process may not write.
     */
    private static FlatfileStore openReadOnly(StoreLayout layout, FileIo io, FlatfileOptions options) {
        if (options.salvage()) {
            throw new StorageConfigurationException("backend.salvage=true moves damage aside and cannot be combined"
                    + " with store.read-only=true");
        }
        if (!Files.isRegularFile(layout.manifest())) {
            throw new StorageConfigurationException("no Chatstore store at " + layout.root() + " (no "
                    + StoreLayout.MANIFEST + "); store.read-only=true opens existing stores only");
        }
        FlatfileStore store = new FlatfileStore(layout, io, StoreLocks.inProcess(layout.lockFile(),
                options.lockTimeout().toMillis()), options);
        try {
            manifest(store);
            verify(store, options.verifyOnOpen());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** Checks the manifest of an existing store; writes it for a new one (an empty directory only). */
    private static void manifest(FlatfileStore store) {
        StoreLayout layout = store.layout;
        Path manifest = layout.manifest();
        Optional<ObjectNode> m = Json.readFile(manifest);
        if (m.isPresent()) {
            String format = m.get().path("format").asText("");
            long version = m.get().path("formatVersion").asLong(-1);
            if (!StoreLayout.FORMAT.equals(format)) {
                throw new StorageConfigurationException(layout.root() + " is not a Chatstore flatfile store"
                        + " (chatstore.json says format '" + format + "')");
            }
            if (version > StoreLayout.FORMAT_VERSION || version < 1) {
                throw new StorageConfigurationException(layout.root() + " has format version " + version
                        + "; this Chatstore reads version " + StoreLayout.FORMAT_VERSION);
            }
            return;
        }
        List<String> foreign;
        try (Stream<Path> entries = Files.list(layout.root())) {
            foreign = entries.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(StoreLayout.LOCK_FILE) && !n.startsWith(AtomicFiles.TMP_PREFIX)).toList();
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.unavailable("list", layout.root(), e);
        }
        if (!foreign.isEmpty()) {
            throw new StorageConfigurationException(layout.root() + " is not empty and has no chatstore.json;"
                    + " refusing to use it as a store (found " + foreign.subList(0, Math.min(5, foreign.size()))
                    + ")");
        }
        ObjectNode n = Json.object();
        n.put("format", StoreLayout.FORMAT);
        n.put("formatVersion", StoreLayout.FORMAT_VERSION);
        n.put("createdAt", Instant.now().toString());
        n.put("layout", "see FORMAT.md: users/<user>/sessions/<session>/{session.json,messages.jsonl,...}");
        store.write(manifest, n);
    }

    /** Removes temporary files and trash directories left by processes that are gone. */
    private static void cleanLeftovers(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    if (name.startsWith(StoreLayout.TRASH_PREFIX)
                            && AtomicFiles.ownerIsGone(name, StoreLayout.TRASH_PREFIX)) {
                        FlatfileStore.deleteTree(dir);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (name.startsWith(AtomicFiles.TMP_PREFIX)
                            && AtomicFiles.ownerIsGone(name, AtomicFiles.TMP_PREFIX)) {
                        LOG.info("removing leftover temporary file {}", file);
                        AtomicFiles.deleteQuietly(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // removed meanwhile by its owner
                }
            });
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.unavailable("clean up", root, e);
        }
    }

    /**
     * Salvage: every JSON file that does not parse is moved to {@code <name>~damaged-<offset>}, every log is fully
     * checked and its damaged ranges moved beside it. Returns what was set aside, one line per item.
     */
    static List<String> salvage(FlatfileStore store) {
        List<String> setAside = new ArrayList<>();
        List<Path> all;
        try (Stream<Path> walk = Files.walk(store.root())) {
            all = walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("walk", store.root(), e);
        } catch (UncheckedIOException e) {
            throw FlatfileExceptionTranslator.io("walk", store.root(), e);
        }
        for (Path p : all) {
            String name = p.getFileName().toString();
            if (name.contains("~")) {
                continue;
            }
            if (name.endsWith(".json")) {
                try {
                    Json.readFile(p);
                } catch (StorageCorruptionException e) {
                    Path aside = StoreLayout.damagedCopy(p, e.offset().orElse(0));
                    try {
                        store.io.move(p, aside);
                    } catch (IOException io) {
                        throw FlatfileExceptionTranslator.io("move aside", p, io);
                    }
                    LOG.error("salvage: {} is damaged ({}); moved to {}", p, e.getMessage(), aside);
                    setAside.add(p + ": damaged (" + e.getMessage() + "); moved to " + aside.getFileName());
                }
            } else if (name.equals(StoreLayout.LOG)) {
                // a view of its own in salvage mode; the store's view sees the replaced file and starts over
                Path dir = p.getParent();
                MessageLog log = new MessageLog(dir, store.io, store.durability(), store.poison, true, false,
                        store.lockerFor(dir));
                try (StoreLocks.Held h = log.locker().lock()) {
                    long before = sizeOf(p);
                    if (log.refresh(true)) {
                        log.rebuildIndex();
                    }
                    if (sizeOf(p) != before) {
                        setAside.add(p + ": damaged record(s) moved beside the log ("
                                + StoreLayout.LOG + StoreLayout.DAMAGED_INFIX + "<offset>); " + kept(log));
                    }
                } catch (IOException e) {
                    throw FlatfileExceptionTranslator.io("salvage", p, e);
                } finally {
                    log.closeChannels();
                }
            }
        }
        return setAside;
    }

    /**
     * What a salvaged log holds now, counted from the rewritten file (not from what salvage meant to keep): its
     * records, its last seq and the seqs missing below it.
     */
    private static String kept(MessageLog log) throws IOException {
        MessageLog.State st = log.state();
        StringBuilder s = new StringBuilder(st.lines() + " intact record(s) kept, last seq " + st.lastSeq());
        if (st.lines() < st.lastSeq()) {
            for (long[] gap : LogAudit.gaps(log.channel())) {
                s.append(gap[0] == gap[1] ? ", seq " + gap[0] : ", seqs " + gap[0] + " to " + gap[1])
                        .append(" missing");
            }
        }
        return s.toString();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * {@code backend.verify-on-open}: TAIL parses the user, session and panel files and checks each log's tail
     * against its index (cutting a torn tail); FULL parses every JSON file and checks every record of every log.
     * Damage raises {@link StorageCorruptionException} naming the file and byte offset.
     */
    private static void verify(FlatfileStore store, FlatfileOptions.VerifyOnOpen mode) {
        if (mode == FlatfileOptions.VerifyOnOpen.NONE) {
            return;
        }
        StoreLayout layout = store.layout;
        boolean full = mode == FlatfileOptions.VerifyOnOpen.FULL;
        List<Path> owners = new ArrayList<>();
        for (Path user : FlatfileStore.children(layout.usersDir(), true, "")) {
            Json.readFile(user.resolve(StoreLayout.USER_FILE));
            for (Path session : FlatfileStore.children(user.resolve("sessions"), true, "")) {
                Json.readFile(StoreLayout.sessionFile(session));
                owners.add(session);
            }
        }
        for (Path panel : FlatfileStore.children(layout.panelsDir(), true, "")) {
            Json.readFile(StoreLayout.panelFile(panel));
            owners.add(panel);
        }
        if (full) {
            try (Stream<Path> walk = Files.walk(layout.root())) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(".json") && !name.contains("~") && Files.isRegularFile(p)) {
                        Json.readFile(p);
                    }
                }
            } catch (IOException e) {
                throw FlatfileExceptionTranslator.io("walk", layout.root(), e);
            } catch (UncheckedIOException e) {
                throw FlatfileExceptionTranslator.io("walk", layout.root(), e);
            }
        }
        for (Path dir : owners) {
            if (!Files.exists(StoreLayout.logFile(dir))) {
                continue;
            }
            if (full) {
                // kept open: the lazy check of the first read is then already done
                MessageLog log = store.logFor(dir);
                try (StoreLocks.Held held = log.locker().lock()) {
                    if (log.refresh(true, true)) {
                        log.verifyEverything(); // every record, whatever an earlier run verified
                    }
                } catch (IOException e) {
                    throw FlatfileExceptionTranslator.io("verify", StoreLayout.logFile(dir), e);
                }
            } else {
                // a throwaway view, so that thousands of logs do not stay open
                MessageLog log = new MessageLog(dir, store.io, store.durability(), store.poison, false,
                        store.readOnly(), store.lockerFor(dir));
                try {
                    if (log.refresh(false, false) && !log.opened()) {
                        try (StoreLocks.Held held = log.locker().lock()) {
                            log.refresh(true, false);
                        }
                    }
                } finally {
                    log.closeChannels();
                }
            }
        }
    }
}
