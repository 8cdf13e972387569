package dev.chatstore.flatfile.internal;

import dev.chatstore.api.config.Durability;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.ValidationException;
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
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
    private final String location;
    private final FileIo io;
    private final boolean salvage;
    private final Locker locker;
    private final GroupCommitWriter writer;

    // guarded by this
    private FileChannel log;
    private OffsetIndex index;
    private Object fileKey;
    private long lines;
    private long endOffset;
    private long lastSeq;
    private Instant lastCreatedAt;
    private long maxCreatedAt = Long.MIN_VALUE;
    private IdTable ids;
    private boolean opened;
    private boolean recovered;

    /** What a reader sees: the number of records, the last seq, the newest createdAt. */
    public record State(long lines, long lastSeq, Optional<Instant> lastCreatedAt, Optional<Instant> maxCreatedAt,
                        Object fileKey) {
    }

    /** Takes the cross-process lock of the log's owner (session or panel). */
    public interface Locker {
        StoreLocks.Held lock();
    }

    MessageLog(Path dir, FileIo io, Durability durability, Poison poison, boolean salvage, Locker locker) {
        this.locker = locker;
        this.logPath = StoreLayout.logFile(dir);
        this.idxPath = StoreLayout.offsetIndexFile(dir);
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
        return log != null && (full ? recovered : opened) && attrs.size() == endOffset
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
        if (log == null || !Objects.equals(key, fileKey) || attrs.size() < endOffset) {
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
            } else if (locked && log.size() != endOffset) {
                recoverTail();
            }
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", logPath, e);
        }
        return true;
    }

    private void establish(boolean full) throws IOException {
        if (full) {
            verifyAll(false);
        } else {
            checkTail(true);
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
     * The cheap first look at a log: the index's first entry must point at offset 0 and its last entry at an
     * intact record whose seq is at least the number of entries and that ends where the log ends (or is followed
     * only by records the index does not cover yet, or a torn tail, which {@link #recoverTail} handles under the
     * lock). Anything else rebuilds the index from a full scan (under the lock). Records before the tail are
     * checked when they are read.
     */
    private void checkTail(boolean locked) throws IOException {
        long size = log.size();
        long entries = index.entries();
        boolean agree = index.whole();
        LogReader.Line line = null;
        long[] last = null;
        if (agree && entries == 0) {
            agree = size == 0;
        } else if (agree) {
            agree = index.entry(0)[0] == 0;
            if (agree) {
                last = index.entry(entries - 1);
                line = LogReader.lineAt(log, last[0], size, location);
                agree = line != null && line.seq() >= entries
                        && last[1] >= line.message().createdAt().toEpochMilli();
            }
        }
        if (!locked && (!agree || (line == null ? 0 : last[0] + line.length() + 1) != size)) {
            return;
        }
        if (!agree) {
            verifyAll(false); // logs the disagreement and rewrites the index
            return;
        }
        if (line == null) {
            setEnd(0, 0, 0, null, Long.MIN_VALUE);
        } else {
            setEnd(entries, last[0] + line.length() + 1, line.seq(), line.message().createdAt(), last[1]);
        }
        opened = true;
        if (size != endOffset) {
            recoverTail();
        }
    }

    private void setEnd(long lines, long endOffset, long lastSeq, Instant lastCreatedAt, long maxCreatedAt) {
        this.lines = lines;
        this.endOffset = endOffset;
        this.lastSeq = lastSeq;
        this.lastCreatedAt = lastCreatedAt;
        this.maxCreatedAt = maxCreatedAt;
    }

    private void reset(Object key) {
        closeChannels();
        try {
            log = io.open(logPath, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
            index = OffsetIndex.open(idxPath, io);
        } catch (IOException e) {
            closeChannels();
            throw FlatfileExceptionTranslator.io("open", logPath, e);
        }
        fileKey = key;
        setEnd(0, 0, 0, null, Long.MIN_VALUE);
        ids = null;
        opened = false;
        recovered = false;
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
        long entries = index.entries();
        if (entries < lines) {
            reset(fileKey); // the index was rebuilt smaller by someone else: start over
            entries = index.entries();
        }
        if (entries == lines) {
            return;
        }
        long[] last = index.entry(entries - 1);
        LogReader.Line line = LogReader.lineAt(log, last[0], log.size(), location);
        if (line == null || line.seq() < 0) {
            if (!locked) {
                return; // a writer may be between its log write and its index write; the locked path decides
            }
            LOG.warn("{}: index entry {} does not match the log; rebuilding the index", idxPath, entries - 1);
            rebuildIndex();
            return;
        }
        long newEnd = last[0] + line.length() + 1;
        if (ids != null) {
            LogRecovery.Scan more = LogRecovery.scan(log, endOffset, newEnd, lastSeq, maxCreatedAt, location,
                    true, false);
            if (more.damageStart() >= 0) {
                throw LogLines.damaged(location, more.damageStart(), "record fails its checksum");
            }
            ids.putAll(more.ids());
        }
        setEnd(entries, newEnd, line.seq(), line.message().createdAt(), last[1]);
    }

    /**
     * Under the lock: indexes intact records past the last entry (a writer died between its log and index
     * writes), cuts off a torn tail, and refuses (or in salvage mode moves aside) damage before the tail.
     */
    private void recoverTail() throws IOException {
        long size = log.size();
        if (size == endOffset) {
            index.truncate(lines);
            return;
        }
        LogRecovery.Scan scan = LogRecovery.scan(log, endOffset, size, lastSeq, maxCreatedAt, location,
                ids != null, true);
        if (scan.corrupt()) {
            if (!salvage) {
                throw LogRecovery.corruption(location, scan.damageStart());
            }
            salvageAll();
            return;
        }
        if (scan.records() > 0) {
            index.truncate(lines);
            index.write(lines, scan.entries());
            LOG.info("{}: indexed {} record(s) the index did not cover", logPath, scan.records());
            if (ids != null) {
                ids.putAll(scan.ids());
            }
            setEnd(lines + scan.records(), scan.validEnd(), scan.lastSeq(),
                    Instant.ofEpochMilli(scan.lastCreatedAt()), scan.maxCreatedAt());
        }
        if (scan.tornTail()) {
            LogRecovery.cutTornTail(log, logPath, scan.validEnd(), io);
        }
        index.truncate(lines);
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
            if (!salvage) {
                throw LogRecovery.corruption(location, scan.damageStart());
            }
            salvageAll();
            return;
        }
        if (scan.tornTail()) {
            LogRecovery.cutTornTail(log, logPath, scan.validEnd(), io);
        }
        if (forceRewrite || !index.matches(scan.entries())) {
            if (!forceRewrite) {
                LOG.warn("{}: the index disagrees with the log; rebuilding it", idxPath);
            }
            index.replace(scan.entries());
        }
        setEnd(scan.records(), scan.validEnd(), scan.lastSeq(),
                scan.records() == 0 ? null : Instant.ofEpochMilli(scan.lastCreatedAt()), scan.maxCreatedAt());
        ids = scan.ids();
        opened = true;
        recovered = true;
    }

    /**
     * Salvage mode: moves every damaged byte range beside the log, rewrites the log with the intact records only
     * (keeping their seqs) and rebuilds the index.
     */
    private void salvageAll() throws IOException {
        LogRecovery.Salvaged s = LogRecovery.salvage(log, logPath, io);
        replaceFile(s.intact());
        rebuildIndex();
    }

    /** Atomically replaces the log file with {@code bytes} and reopens it. */
    private void replaceFile(byte[] bytes) throws IOException {
        new AtomicFiles(io).write(logPath, bytes);
        FileChannel old = log;
        log = io.open(logPath, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        old.close();
        fileKey = keyOf(Files.readAttributes(logPath, BasicFileAttributes.class));
    }

    // ---- reading -------------------------------------------------------------------------------------------

    synchronized State state() {
        return new State(lines, lastSeq, Optional.ofNullable(lastCreatedAt),
                maxCreatedAt == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(maxCreatedAt)),
                fileKey);
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
                        return readLinesOnce(from, Math.min(to, lines));
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
        to = Math.min(to, lines);
        if (from >= to) {
            return List.of();
        }
        long start = index.entry(from)[0];
        long end = to == lines ? endOffset : index.entry(to)[0];
        return LogReader.range(log, start, end, (int) (to - from), location);
    }

    /** The position of the first record with seq greater than {@code seq}. */
    long firstLineAfter(long seq) {
        State st = state();
        if (seq <= 0) {
            return 0;
        }
        if (seq >= st.lastSeq()) {
            return st.lines();
        }
        if (st.lastSeq() == st.lines()) {
            return seq; // no gaps: record i holds seq i+1
        }
        long lo = 0;
        long hi = st.lines();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (readLines(mid, mid + 1).get(0).seq() > seq) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Messages with seq above {@code afterSeq}, ascending, at most {@code limit}. */
    List<Message> after(long afterSeq, int limit) {
        long line = firstLineAfter(afterSeq);
        return readLines(line, line + limit);
    }

    /** The last {@code n} messages, ascending. */
    List<Message> last(int n) {
        long count = state().lines();
        return readLines(Math.max(0, count - n), count);
    }

    Optional<Message> bySeq(long seq) {
        State st = state();
        if (seq < 1 || seq > st.lastSeq()) {
            return Optional.empty();
        }
        long line = firstLineAfter(seq - 1);
        if (line >= st.lines()) {
            return Optional.empty();
        }
        Message m = readLines(line, line + 1).get(0);
        return m.seq() == seq ? Optional.of(m) : Optional.empty();
    }

    /** Lookup by ID through the ID table (loaded on first use by a full, checked scan). */
    Optional<Message> byId(String id) {
        long seq;
        synchronized (this) {
            loadIds();
            seq = ids.get(IdTable.hash(id));
        }
        if (seq < 0) {
            return Optional.empty();
        }
        Optional<Message> m = bySeq(seq);
        if (m.isPresent() && m.get().id().equals(id)) {
            return m;
        }
        // a 64-bit hash collision: settle it by a scan (practically never happens)
        List<Message> found = new ArrayList<>();
        forEach(0, msg -> {
            if (msg.id().equals(id)) {
                found.add(msg);
            }
        });
        return found.stream().findFirst();
    }

    private void loadIds() {
        if (ids != null) {
            return;
        }
        try {
            ids = LogReader.ids(log, endOffset, location);
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", logPath, e);
        }
    }

    /** Every message from position {@code fromLine} on, in order. */
    void forEach(long fromLine, Consumer<Message> action) {
        long start;
        long end;
        FileChannel ch;
        synchronized (this) {
            if (fromLine >= lines) {
                return;
            }
            try {
                start = index.entry(fromLine)[0];
            } catch (IOException e) {
                throw FlatfileExceptionTranslator.io("read", idxPath, e);
            }
            end = endOffset;
            ch = log;
        }
        try {
            LogReader.forEach(ch, start, end, location, action);
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", logPath, e);
        }
    }

    /** Every message. */
    List<Message> all() {
        return readLines(0, state().lines());
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
     * their index entries and the other fields the log's end after them.
     */
    record Batch(FileChannel channel, long startOffset, byte[] bytes, OffsetIndex.Entries entries,
                 List<GroupCommitWriter.Pending> accepted, long lastSeq, long maxCreatedAt, Instant lastCreatedAt) {
    }

    /**
     * Under the lock: refreshes the view ({@code attrs} non-null: already known unchanged), assigns seqs and
     * checks each pending append (limit, duplicate IDs); a refused one gets its error, the others their result.
     */
    synchronized Batch prepare(List<GroupCommitWriter.Pending> group, BasicFileAttributes attrs) {
        if (attrs == null ? !refresh(true) : !refresh(true, true, attrs)) {
            throw new StorageIOException("the log " + logPath + " is missing", null);
        }
        loadIds();
        long seq = lastSeq;
        long max = maxCreatedAt;
        Instant lastAt = lastCreatedAt;
        long offset = endOffset;
        List<GroupCommitWriter.Pending> accepted = new ArrayList<>();
        OffsetIndex.Entries entries = new OffsetIndex.Entries(16);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // duplicate IDs within the group: only a group of more than one message needs the sets
        boolean single = group.size() == 1 && group.get(0).drafts.size() == 1;
        Set<String> groupIds = single ? Set.of() : new HashSet<>();
        for (GroupCommitWriter.Pending p : group) {
            try {
                if (!p.restore && seq + p.drafts.size() > p.max) {
                    throw new LimitExceededException("limits.max-messages-per-session", p.max, seq + p.drafts.size());
                }
                Set<String> mine = single ? null : new HashSet<>();
                List<Message> stored = new ArrayList<>(p.drafts.size());
                long s = seq;
                for (Message m : p.drafts) {
                    if ((mine != null && (!mine.add(m.id()) || groupIds.contains(m.id()))) || existsId(m.id())) {
                        throw new DuplicateKeyException("message", p.owner + "/" + m.id());
                    }
                    long next = p.restore ? m.seq() : s + 1;
                    if (p.restore && next != s + 1) {
                        throw new ValidationException("message.seq", "restoring seq " + next
                                + " would not continue the log after seq " + s);
                    }
                    s = next;
                    stored.add(p.restore ? m : m.withSeq(s));
                }
                for (Message m : stored) {
                    byte[] line = LogLines.encode(m);
                    max = Math.max(max, m.createdAt().toEpochMilli());
                    entries.add(offset, max);
                    offset += line.length;
                    bytes.writeBytes(line);
                    lastAt = m.createdAt();
                }
                if (mine != null) {
                    groupIds.addAll(mine);
                }
                seq = s;
                p.result = List.copyOf(stored);
                accepted.add(p);
            } catch (StorageException e) {
                p.error = e;
            }
        }
        return new Batch(log, endOffset, bytes.toByteArray(), entries, accepted, seq, max, lastAt);
    }

    /** After a batch is written (and synced as configured): indexes it and moves the view's end past it. */
    synchronized void publish(Batch b) {
        try {
            index.write(lines, b.entries());
        } catch (IOException e) {
            // the index is derived: the next recovery under the lock indexes these records from the log
            LOG.warn("{}: cannot write index entries ({}); they will be rebuilt from the log", idxPath,
                    FlatfileExceptionTranslator.reason(e));
            opened = false;
            recovered = false;
        }
        setEnd(lines + b.entries().size(), b.startOffset() + b.bytes().length, b.lastSeq(), b.lastCreatedAt(),
                b.maxCreatedAt());
        for (GroupCommitWriter.Pending p : b.accepted()) {
            for (Message m : p.result) {
                ids.put(IdTable.hash(m.id()), m.seq());
            }
        }
    }

    private boolean existsId(String id) {
        long seq = ids.get(IdTable.hash(id));
        if (seq < 0) {
            return false;
        }
        Optional<Message> m = bySeq(seq);
        if (m.isPresent() && m.get().id().equals(id)) {
            return true;
        }
        return byId(id).isPresent();
    }

    /**
     * Under the lock: writes messages at their seqs ({@link dev.chatstore.api.spi.MessageLogs#restore}). Messages
     * that continue the log are appended; any that replace stored ones rewrite the log (temporary file and
     * rename). The core has checked contiguity and that a replaced seq keeps its ID.
     *
     * @throws DuplicateKeyException if a message's ID is already used at another seq (nothing is written)
     */
    void restore(List<Message> given, String owner) {
        if (!refresh(true)) {
            throw new StorageIOException("the log " + logPath + " is missing", null);
        }
        State st = state();
        for (Message m : given) {
            Optional<Message> sameId = byId(m.id());
            if (sameId.isPresent() && sameId.get().seq() != m.seq()) {
                throw new DuplicateKeyException("message", owner + "/" + m.id() + " (stored at seq "
                        + sameId.get().seq() + ", restored at seq " + m.seq() + ")");
            }
        }
        List<Message> replacing = given.stream().filter(m -> m.seq() <= st.lastSeq()).toList();
        List<Message> appending = given.stream().filter(m -> m.seq() > st.lastSeq()).toList();
        boolean changed = false;
        for (Message m : replacing) {
            if (!bySeq(m.seq()).map(m::equals).orElse(false)) {
                changed = true;
                break;
            }
        }
        if (changed) {
            java.util.TreeMap<Long, Message> bySeq = new java.util.TreeMap<>();
            for (Message m : all()) {
                bySeq.put(m.seq(), m);
            }
            for (Message m : given) {
                bySeq.put(m.seq(), m);
            }
            rewrite(new ArrayList<>(bySeq.values()));
        } else if (!appending.isEmpty()) {
            writer.appendRestoredLocked(appending, owner);
        }
    }

    /** Replaces the whole log with these records, index rebuilt. Under the lock. */
    private synchronized void rewrite(List<Message> all) {
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
}
