package dev.chatstore.flatfile.internal;

import dev.chatstore.api.config.Durability;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.model.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One append-only message log ({@code messages.jsonl}) as this JVM sees it: the log file, its
 * {@link OffsetIndex}, and what is known about its end (record count, last seq, newest createdAt). Like a Kafka
 * log, the work is split: {@link LogRecovery} decides what the bytes hold, {@link LogReader} reads records by
 * range, {@link GroupCommitWriter} appends; this class keeps the view consistent with the files and answers
 * lookups by seq and ID.
 *
 * <p>Lock order: the log's cross-process lock ({@link Locker}), then this object's monitor.
 */
public final class MessageLog {

    private static final Logger LOG = LoggerFactory.getLogger(MessageLog.class);

    private final Path logPath;
    private final Path idxPath;
    private final Path markPath;
    private final String location;
    private final FileIo io;
    private final boolean salvage;
    /** A read-only view: the log is opened for reading only, its index kept in memory, a torn tail left in place. */
    private final boolean readOnly;
    private final Locker locker;
    private final GroupCommitWriter writer;
    private final Poison poison;

    // guarded by this
    private FileChannel log;
    private OffsetIndex index;
    private Object fileKey;
    private LogEnd end = LogEnd.EMPTY;
    private IdTable ids;
    private boolean opened;
    private boolean recovered;
    /** Whether this JVM scanned every record of the open file (not only what follows a {@link VerifiedPrefix}). */
    private boolean scannedAll;
    /**
     * The prefix of the log known to be intact (checked record by record, or written by this view); at most
     * {@link #end}. Saved as the log's {@link VerifiedPrefix} so that the next process skips it.
     */
    private LogEnd verified = LogEnd.EMPTY;
    /** What the {@link VerifiedPrefix} file says as far as this view knows (it wrote or read it). */
    private LogEnd marked = LogEnd.EMPTY;

    /** What a reader sees: the number of records, the last seq, the newest createdAt. */
    public record State(long lines, long lastSeq, Optional<Instant> lastCreatedAt, Optional<Instant> maxCreatedAt,
                        Object fileKey) {
    }

    /** Takes the cross-process lock of the log's owner (session or panel). */
    public interface Locker {
        StoreLocks.Held lock();
    }

    MessageLog(Path dir, FileIo io, Durability durability, Poison poison, boolean salvage, boolean readOnly,
               Locker locker) {
        this.readOnly = readOnly;
        this.locker = locker;
        this.logPath = StoreLayout.logFile(dir);
        this.idxPath = StoreLayout.offsetIndexFile(dir);
        this.markPath = VerifiedPrefix.fileOf(dir);
        this.poison = poison;
        this.location = logPath.toString();
        this.io = io;
        this.salvage = salvage;
        this.writer = new GroupCommitWriter(this, io, durability, poison);
    }

    Path path() {
        return logPath;
    }

    Locker locker() {
        return locker;
    }

    // ---- keeping the view up to date -----------------------------------------------------------------------

    /** {@link #refresh(boolean, boolean)} checking the whole log the first time. */
    synchronized boolean refresh(boolean locked) {
        return refresh(locked, true);
    }

    /**
     * Brings this JVM's view up to date with the files. {@code locked}: the caller holds the log's cross-process
     * lock, so a tail that no index entry covers can be recovered (indexed if intact, cut off if torn).
     * {@code full}: the first look at the log in this JVM checks every record ({@link #verifyAll}); otherwise only
     * the tail is checked against the index ({@link #checkTail}) and each record is checked when it is read.
     *
     * @return false if the log file does not exist
     */
    synchronized boolean refresh(boolean locked, boolean full) {
        BasicFileAttributes attrs = stat();
        if (attrs == null) {
            return false;
        }
        return refresh(locked, full, attrs);
    }

    /** The log file's attributes (one {@code stat} of its path), or null (channels closed) if it is gone. */
    private BasicFileAttributes stat() {
        try {
            return Files.readAttributes(logPath, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            closeChannels();
            return null;
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", logPath, e);
        }
    }

    private static Object keyOf(BasicFileAttributes attrs) {
        return attrs.fileKey() != null ? attrs.fileKey() : attrs.creationTime();
    }

    /**
     * Whether the view is established ({@code full}: every record checked) and the file at the log's path is
     * still the one this view has open, with exactly the bytes the view covers: then nobody appended, cut or
     * replaced it since. The file key is a sound identity here: the view holds the file open, so its inode cannot
     * be freed and reused for another file.
     */
    private boolean unchanged(BasicFileAttributes attrs, boolean full) {
        return log != null && (full ? recovered : opened) && attrs.size() == end.offset()
                && Objects.equals(keyOf(attrs), fileKey);
    }

    /** For the writer, under the lock: the log's attributes if the fully checked view is current, else null. */
    synchronized BasicFileAttributes statIfUnchanged() {
        BasicFileAttributes attrs = stat();
        return attrs != null && unchanged(attrs, true) ? attrs : null;
    }

    private boolean refresh(boolean locked, boolean full, BasicFileAttributes attrs) {
        if (unchanged(attrs, full)) {
            return true; // the common case: one stat, no reads
        }
        Object key = keyOf(attrs);
        if (log == null || !Objects.equals(key, fileKey) || attrs.size() < end.offset()) {
            reset(key);
        }
        try {
            if (!(full ? recovered : opened)) {
                if (!locked) {
                    if (!full) {
                        checkTail(false); // adopts a consistent tail without the lock; else the caller locks
                    }
                    return true; // the caller must take the lock and call again before trusting the view
                }
                establish(full);
                return true;
            }
            catchUpFromIndex(locked);
            if (locked && !(full ? recovered : opened)) {
                establish(full);
            } else if (locked && log.size() != end.offset()) {
                recoverTail();
            }
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", logPath, e);
        }
        return true;
    }

    private void establish(boolean full) throws IOException {
        if (!full) {
            checkTail(true);
            return;
        }
        Optional<LogEnd> mark = VerifiedPrefix.read(markPath, fileKey, log, index, location);
        if (mark.isEmpty()) {
            verifyAll(false);
            return;
        }
        // an earlier run checked the records up to the mark: check only what follows it
        if (ids != null && mark.get().records() > end.records()) {
            ids = null; // loaded for a shorter view: it would miss the IDs up to the mark (reloaded when needed)
        }
        end = mark.get();
        verified = end;
        marked = end;
        opened = true;
        recovered = true;
        recoverTail();
    }

    /**
     * Under the lock: checks every record of the log even if a {@link VerifiedPrefix} vouches for a prefix
     * ({@code backend.verify-on-open=full}), unless this JVM already did.
     */
    synchronized void verifyEverything() throws IOException {
        if (!scannedAll) {
            verifyAll(false);
        }
    }

    /**
     * Saves how far this view knows the log to be intact as its {@link VerifiedPrefix} (when the store is closed,
     * and after a full check): the next process then checks only what follows. Not for a read-only store, nor after
     * a failed fsync (whose writes may be lost).
     */
    synchronized void saveVerified() {
        if (readOnly || poison.isSet() || log == null || verified.records() == 0 || verified.equals(marked)) {
            return;
        }
        try {
            VerifiedPrefix.write(markPath, fileKey, verified, log, index, io);
            marked = verified;
        } catch (IOException e) {
            // derived data: without it the next process checks the whole log, as before
            LOG.debug("{}: cannot write ({})", markPath, FlatfileExceptionTranslator.reason(e));
        }
    }

    /** Whether this JVM knows the log's state (its tail checked, or every record). */
    synchronized boolean opened() {
        return opened && log != null;
    }

    /** Whether this JVM has checked every record since it (re)opened the file. */
    synchronized boolean recovered() {
        return recovered && log != null;
    }

    /**
     * The cheap first look at a log ({@link LogRecovery#endFromIndex}): adopts the end the index vouches for; with
     * the lock, recovers what follows it, or rebuilds the index from a full scan if the two disagree. Records
     * before the tail are checked when they are read.
     */
    private void checkTail(boolean locked) throws IOException {
        Optional<LogEnd> vouched = LogRecovery.endFromIndex(log, index, location);
        if (!locked && (vouched.isEmpty() || vouched.get().offset() != log.size())) {
            return; // without the lock only a consistent tail is adopted; the caller locks and calls again
        }
        if (vouched.isEmpty()) {
            verifyAll(false); // logs the disagreement and rewrites the index
            return;
        }
        end = vouched.get();
        opened = true;
        if (log.size() != end.offset()) {
            recoverTail();
        }
    }

    private void reset(Object key) {
        closeChannels();
        try {
            if (readOnly) {
                log = io.open(logPath, EnumSet.of(StandardOpenOption.READ));
                index = OffsetIndex.inMemory(idxPath);
            } else {
                log = io.open(logPath, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
                index = OffsetIndex.open(idxPath, io);
            }
        } catch (IOException e) {
            closeChannels();
            throw FlatfileExceptionTranslator.io("open", logPath, e);
        }
        fileKey = key;
        end = LogEnd.EMPTY;
        verified = LogEnd.EMPTY;
        marked = LogEnd.EMPTY;
        ids = null;
        opened = false;
        recovered = false;
        scannedAll = false;
    }

    synchronized void closeChannels() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException ignored) {
                // nothing buffered: every write was already issued
            }
        }
        if (index != null) {
            index.close();
        }
        log = null;
        index = null;
        fileKey = null;
    }

    /** Adopts index entries written by others (or by an earlier run) beyond what this view knows. */
    private void catchUpFromIndex(boolean locked) throws IOException {
        if (index.entries() < end.records()) {
            reset(fileKey); // the index was rebuilt smaller by someone else: start over
        }
        long entries = index.entries();
        if (entries == end.records()) {
            return;
        }
        Optional<LogEnd> next = LogRecovery.endAtEntry(log, index, entries, location);
        if (next.isEmpty()) {
            if (!locked) {
                return; // a writer may be between its log write and its index write; the locked path decides
            }
            LOG.warn("{}: index entry {} does not match the log; rebuilding the index", idxPath, entries - 1);
            rebuildIndex();
            return;
        }
        if (ids != null) {
            LogRecovery.Scan more = LogRecovery.scan(log, end.offset(), next.get().offset(), end.lastSeq(),
                    end.maxCreatedAt(), location, true, false);
            if (more.damageStart() >= 0) {
                throw LogLines.damaged(location, more.damageStart(), "record fails its checksum");
            }
            ids.putAll(more.ids());
            if (verified.equals(end)) {
                verified = next.get(); // just checked record by record
            }
        }
        end = next.get();
    }

    /**
     * Under the lock: indexes intact records past the last entry (a writer died between its log and index
     * writes), cuts off a torn tail, and refuses (or in salvage mode moves aside) damage before the tail.
     */
    private void recoverTail() throws IOException {
        long size = log.size();
        boolean verifiedToEnd = verified.equals(end);
        if (size != end.offset()) {
            LogRecovery.Scan scan = LogRecovery.scan(log, end.offset(), size, end.lastSeq(), end.maxCreatedAt(),
                    location, ids != null, true);
            if (scan.corrupt()) {
                damaged(scan);
                return;
            }
            if (scan.records() > 0) {
                index.truncate(end.records());
                index.write(end.records(), scan.entries());
                LOG.info("{}: indexed {} record(s) the index did not cover", logPath, scan.records());
                if (ids != null) {
                    ids.putAll(scan.ids());
                }
                end = end.extendedBy(scan);
            }
            if (scan.tornTail()) {
                cutTornTail(scan);
            }
        }
        if (verifiedToEnd) {
            verified = end; // the scan checked every record after the verified end
        }
        index.truncate(end.records());
    }

    /** Cuts a torn tail (kept beside the log); a read-only view only stops before it. */
    private void cutTornTail(LogRecovery.Scan scan) throws IOException {
        if (readOnly) {
            LOG.info("{}: read-only: ignoring a torn tail of {} byte(s) at offset {} (not cut)", logPath,
                    scan.size() - scan.validEnd(), scan.validEnd());
            return;
        }
        LogRecovery.cutTornTail(log, logPath, scan.validEnd(), io);
    }

    /** Damage followed by intact records: refused, or in salvage mode moved aside and the rest kept. */
    private void damaged(LogRecovery.Scan scan) throws IOException {
        if (!salvage) {
            throw LogRecovery.corruption(location, scan);
        }
        LogRecovery.Salvaged s = LogRecovery.salvage(log, logPath, io);
        new AtomicFiles(io).write(logPath, s.intact());
        FileChannel old = log;
        log = io.open(logPath, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        old.close();
        fileKey = keyOf(Files.readAttributes(logPath, BasicFileAttributes.class));
        rebuildIndex();
    }

    /** Rebuilds the index from a full scan of the log (which also checks every record). Under the lock. */
    synchronized void rebuildIndex() throws IOException {
        verifyAll(true);
    }

    /**
     * The first full look at a log in this JVM, under the lock: checks every record's checksum and order (so damage
     * anywhere is found when the log is opened, not when a damaged record happens to be read), loads the ID table,
     * rewrites the index if it disagrees with the log, and cuts off a torn tail. Damage followed by intact records
     * is corruption (or, in salvage mode, moved aside).
     */
    synchronized void verifyAll(boolean forceRewrite) throws IOException {
        LogRecovery.Scan scan = LogRecovery.scan(log, 0, log.size(), 0, Long.MIN_VALUE, location, true, false);
        if (scan.corrupt()) {
            damaged(scan);
            return;
        }
        if (scan.tornTail()) {
            cutTornTail(scan);
        }
        if (forceRewrite || !index.matches(scan.entries())) {
            if (!forceRewrite) {
                LOG.warn("{}: the index disagrees with the log; rebuilding it", idxPath);
            }
            index.replace(scan.entries());
        }
        end = LogEnd.EMPTY.extendedBy(scan);
        verified = end;
        ids = scan.ids();
        opened = true;
        recovered = true;
        scannedAll = true;
        saveVerified(); // a full scan is worth keeping at once
    }

    // ---- reading -------------------------------------------------------------------------------------------

    synchronized State state() {
        return new State(end.records(), end.lastSeq(), instant(end.lastCreatedAt()), instant(end.maxCreatedAt()),
                fileKey);
    }

    private static Optional<Instant> instant(long millis) {
        return millis == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    synchronized FileChannel channel() {
        return log;
    }

    /**
     * Records {@code [from, to)} by position, checked; a disagreeing index is rebuilt (under the lock) once. Never
     * called while holding this object's monitor without the cross-process lock (lock order: lock, then monitor).
     */
    List<Message> readLines(long from, long to) {
        if (from >= to) {
            return List.of();
        }
        try {
            try {
                synchronized (this) {
                    return readLinesOnce(from, to);
                }
            } catch (LogReader.IndexMismatch e) {
                LOG.warn("{}: index disagrees with the log ({}); rebuilding it", idxPath, e.getMessage());
                try (StoreLocks.Held held = locker.lock()) {
                    synchronized (this) {
                        rebuildIndex();
                        return readLinesOnce(from, Math.min(to, end.records()));
                    }
                }
            }
        } catch (LogReader.IndexMismatch e) {
            throw new StorageCorruptionException(location, -1, "the index cannot be made to agree: " + e.getMessage());
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", logPath, e);
        }
    }

    private List<Message> readLinesOnce(long from, long to) throws IOException, LogReader.IndexMismatch {
        to = Math.min(to, end.records());
        if (from >= to) {
            return List.of();
        }
        long startOffset = index.entry(from)[0];
        long endOffset = to == end.records() ? end.offset() : index.entry(to)[0];
        return LogReader.range(log, startOffset, endOffset, (int) (to - from), location);
    }

    /** The seq the ID table holds for this ID's hash, or -1 (a hit is confirmed by reading the record). */
    synchronized long seqOfIdHash(String id) {
        loadIds();
        return ids.get(IdTable.hash(id));
    }

    private void loadIds() {
        if (ids != null) {
            return;
        }
        try {
            ids = LogReader.ids(log, end.offset(), location);
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", logPath, e);
        }
    }

    /** Every message from position {@code fromLine} on, in order. */
    void forEach(long fromLine, Consumer<Message> action) {
        long start;
        long stop;
        FileChannel ch;
        synchronized (this) {
            if (fromLine >= end.records()) {
                return;
            }
            try {
                start = index.entry(fromLine)[0];
            } catch (IOException e) {
                throw FlatfileExceptionTranslator.io("read", idxPath, e);
            }
            stop = end.offset();
            ch = log;
        }
        try {
            LogReader.forEach(ch, start, stop, location, action);
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", logPath, e);
        }
    }

    // ---- writing -------------------------------------------------------------------------------------------

    /** Appends with the next seqs through the group-commit writer (see {@link GroupCommitWriter#append}). */
    List<Message> append(List<Message> drafts, long maxMessages, String owner, Runnable ownerCheck) {
        return writer.append(drafts, maxMessages, owner, locker, ownerCheck);
    }

    /** Batch durability: fsync if anything was written since the last flush. */
    void flushIfDirty() {
        writer.flushIfDirty();
    }

    /**
     * A group laid out for writing: its bytes go at {@code startOffset} of {@code channel}; {@code entries} are
     * their index entries, {@code after} the log's end once they are written.
     */
    record Batch(FileChannel channel, long startOffset, byte[] bytes, OffsetIndex.Entries entries,
                 List<GroupCommitWriter.Pending> accepted, LogEnd after) {
    }

    /**
     * Under the lock and this monitor: brings the view up to date for a write ({@code attrs} non-null: already
     * known unchanged) with its ID table loaded, and returns its end.
     */
    LogEnd endForWrite(BasicFileAttributes attrs) {
        if (attrs == null ? !refresh(true) : !refresh(true, true, attrs)) {
            throw new StorageIOException("the log " + logPath + " is missing", null);
        }
        loadIds();
        return end;
    }

    /** After a batch is written (and synced as configured): indexes it and moves the view's end past it. */
    synchronized void publish(Batch b) {
        try {
            index.write(end.records(), b.entries());
        } catch (IOException e) {
            // the index is derived: the next recovery under the lock indexes these records from the log
            LOG.warn("{}: cannot write index entries ({}); they will be rebuilt from the log", idxPath,
                    FlatfileExceptionTranslator.reason(e));
            opened = false;
            recovered = false;
        }
        if (verified.equals(end)) {
            verified = b.after(); // written by this view from its own records (and synced as configured)
        }
        end = b.after();
        for (GroupCommitWriter.Pending p : b.accepted()) {
            for (Message m : p.result) {
                ids.put(IdTable.hash(m.id()), m.seq());
            }
        }
    }

    /** Replaces the whole log with these records (temporary file and rename), index rebuilt. Under the lock. */
    synchronized void replaceWith(List<Message> all) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message m : all) {
            out.writeBytes(LogLines.encode(m));
        }
        new AtomicFiles(io).write(logPath, out.toByteArray());
        closeChannels();
        if (!refresh(true)) {
            throw new StorageIOException("the log " + logPath + " vanished while being rewritten", null);
        }
    }

    /** Appends restored messages (seqs given, continuing the log) under the lock the caller holds. */
    List<Message> appendRestoredLocked(List<Message> messages, String owner) {
        return writer.appendRestoredLocked(messages, owner);
    }
}
