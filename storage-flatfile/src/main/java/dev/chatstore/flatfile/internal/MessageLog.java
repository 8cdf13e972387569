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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One append-only message log ({@code messages.jsonl}) with its derived offset index ({@code messages.idx}), as
 * seen by this JVM (Kafka's segment + offset index, LevelDB's writer queue).
 *
 * <p>The index holds one 16-byte entry per line: the line's byte offset and the running maximum createdAt (epoch
 * millis) up to that line. It is written after the log and never fsynced: it can always be rebuilt from the log,
 * and it is, whenever the two disagree. "Last N" and "from seq S" read N entries and one byte range, whatever
 * the log's length.
 *
 * <p>Appends queue up; the first caller in the queue becomes the leader, takes the cross-process lock, re-reads
 * the log's real end (another process may have appended), writes the whole group in one write and (with
 * {@link Durability#SYNC}) one fsync, then answers everyone in the group: group commit. A failed write is cut
 * off again; a failed fsync poisons the store.
 */
public final class MessageLog {

    private static final Logger LOG = LoggerFactory.getLogger(MessageLog.class);
    static final int ENTRY = 16;
    private static final int MAX_GROUP = 128;

    final Path logPath;
    final Path idxPath;
    private final String location;
    private final FileIo io;
    private final Durability durability;
    private final Poison poison;
    private final boolean salvage;
    private final Locker locker;

    // guarded by this
    private FileChannel log;
    private FileChannel idx;
    private Object fileKey;
    private long lines;
    private long endOffset;
    private long lastSeq;
    private Instant lastCreatedAt;
    private long maxCreatedAt = Long.MIN_VALUE;
    private IdTable ids;
    private boolean opened;
    private boolean recovered;
    private volatile boolean dirty;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();

    /** What a reader sees: the number of lines, the last seq, the newest createdAt. */
    public record State(long lines, long lastSeq, Optional<Instant> lastCreatedAt, Optional<Instant> maxCreatedAt,
                        Object fileKey) {
    }

    MessageLog(Path dir, FileIo io, Durability durability, Poison poison, boolean salvage, Locker locker) {
        this.locker = locker;
        this.logPath = dir.resolve("messages.jsonl");
        this.idxPath = dir.resolve("messages.idx");
        this.location = logPath.toString();
        this.io = io;
        this.durability = durability;
        this.poison = poison;
        this.salvage = salvage;
    }

    // ---- opening and catching up ---------------------------------------------------------------------------

    /**
     * Brings this JVM's view up to date with the files, checking the whole log the first time (see
     * {@link #refresh(boolean, boolean)}).
     */
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
            throw new StorageIOException("cannot read " + logPath + ": " + e.getMessage(), e);
        }
    }

    private static Object keyOf(BasicFileAttributes attrs) {
        return attrs.fileKey() != null ? attrs.fileKey() : attrs.creationTime();
    }

    /**
     * Whether the view is established ({@code full}: every record checked) and the file at the log's path is
     * still the one this view has open, with exactly the bytes the view covers: then nobody appended, cut or
     * replaced it since, and there is nothing to catch up on. The file key is a sound identity here: the view
     * holds the file open, so its inode cannot be freed and reused for another file.
     */
    private boolean unchanged(BasicFileAttributes attrs, boolean full) {
        return log != null && (full ? recovered : opened) && attrs.size() == endOffset
                && Objects.equals(keyOf(attrs), fileKey);
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
                if (full) {
                    verifyAll(false);
                } else {
                    checkTail(true);
                }
                return true;
            }
            catchUpFromIndex(locked);
            if (locked && !(full ? recovered : opened)) {
                if (full) {
                    verifyAll(false);
                } else {
                    checkTail(true);
                }
            } else if (locked && log.size() != endOffset) {
                recoverTail();
            }
        } catch (IOException e) {
            throw new StorageIOException("cannot read " + logPath + ": " + e.getMessage(), e);
        }
        return true;
    }

    /** Whether this JVM knows the log's state (its tail checked, or every record). */
    synchronized boolean opened() {
        return opened && log != null;
    }

    /**
     * The cheap first look at a log: the index's first entry must point at offset 0 and its last entry at an
     * intact record whose seq is at least the number of entries and that ends where the log ends (or is followed
     * only by records the index does not cover yet, or a torn tail, which {@link #recoverTail} handles under the
     * lock). Anything else rebuilds the index from a full scan (under the lock). Records before the tail are
     * checked when they are read.
     *
     * @return whether the view is now established (without the lock, only when nothing needs repair)
     */
    private boolean checkTail(boolean locked) throws IOException {
        long size = log.size();
        long idxSize = idx.size();
        long entries = idxSize / ENTRY;
        boolean agree = idxSize % ENTRY == 0;
        LineRead line = null;
        long[] last = null;
        if (agree && entries == 0) {
            agree = size == 0;
        } else if (agree) {
            agree = entry(0)[0] == 0;
            if (agree) {
                last = entry(entries - 1);
                line = readLineAt(last[0], size);
                agree = line != null && line.seq >= entries
                        && last[1] >= line.message.createdAt().toEpochMilli();
            }
        }
        if (!locked && (!agree || (line == null ? 0 : last[0] + line.length + 1) != size)) {
            return false;
        }
        if (!agree) {
            verifyAll(false); // logs the disagreement and rewrites the index
            return true;
        }
        if (line == null) {
            lines = 0;
            endOffset = 0;
            lastSeq = 0;
            lastCreatedAt = null;
            maxCreatedAt = Long.MIN_VALUE;
        } else {
            lines = entries;
            endOffset = last[0] + line.length + 1;
            lastSeq = line.seq;
            lastCreatedAt = line.message.createdAt();
            maxCreatedAt = last[1];
        }
        opened = true;
        if (size != endOffset) {
            recoverTail();
        }
        return true;
    }

    /** Whether this JVM has checked the log's tail since it (re)opened the file. */
    synchronized boolean recovered() {
        return recovered && log != null;
    }

    private void reset(Object key) {
        closeChannels();
        try {
            log = io.open(logPath, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
            idx = io.open(idxPath, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE));
        } catch (IOException e) {
            closeChannels();
            throw new StorageIOException("cannot open " + logPath + ": " + e.getMessage(), e);
        }
        fileKey = key;
        lines = 0;
        endOffset = 0;
        lastSeq = 0;
        lastCreatedAt = null;
        maxCreatedAt = Long.MIN_VALUE;
        ids = null;
        opened = false;
        recovered = false;
    }

    synchronized void closeChannels() {
        for (FileChannel ch : new FileChannel[]{log, idx}) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // read-only use or already failed
                }
            }
        }
        log = null;
        idx = null;
        fileKey = null;
    }

    /** Adopts index entries written by others (or by an earlier run) beyond what this view knows. */
    private void catchUpFromIndex(boolean locked) throws IOException {
        long entries = idx.size() / ENTRY;
        if (entries < lines) {
            reset(fileKey); // the index was rebuilt smaller by someone else: start over
            entries = idx.size() / ENTRY;
        }
        if (entries == lines) {
            return;
        }
        long[] last = entry(entries - 1);
        long logSize = log.size();
        LineRead line = readLineAt(last[0], logSize);
        if (line == null || line.seq < 0) {
            if (!locked) {
                return; // a writer may be between its log write and its index write; the locked path decides
            }
            LOG.warn("{}: index entry {} does not match the log; rebuilding the index", idxPath, entries - 1);
            rebuildIndex();
            return;
        }
        long newEnd = last[0] + line.length + 1;
        if (ids != null) {
            indexIds(endOffset, newEnd);
        }
        lines = entries;
        endOffset = newEnd;
        lastSeq = line.seq;
        lastCreatedAt = line.message.createdAt();
        maxCreatedAt = last[1];
    }

    private void indexIds(long from, long to) throws IOException {
        LogLines.Reader r = new LogLines.Reader(log, from, to);
        while (r.next()) {
            long seq = LogLines.validSeq(r.lineBuf, r.lineOff, r.lineLen);
            if (!r.complete || seq < 0) {
                throw new StorageCorruptionException(location, r.lineFileOffset, "record fails its checksum");
            }
            ids.put(IdTable.hash(LogLines.id(r.lineBuf, r.lineOff, r.lineLen)), seq);
        }
    }

    private record LineRead(long seq, int length, Message message) {
    }

    /** Reads and checks the line starting at {@code offset}; null if there is no complete line there. */
    private LineRead readLineAt(long offset, long logSize) throws IOException {
        if (offset < 0 || offset >= logSize) {
            return null;
        }
        int chunk = (int) Math.min(logSize - offset, 8192);
        while (true) {
            byte[] b = new byte[chunk];
            int n = readFully(log, b, offset);
            for (int i = 0; i < n; i++) {
                if (b[i] == '\n') {
                    long seq = LogLines.validSeq(b, 0, i);
                    Message m = seq < 0 ? null : LogLines.decode(b, 0, i, location, offset);
                    return new LineRead(seq, i, m);
                }
            }
            if (offset + n >= logSize) {
                return null;
            }
            chunk = (int) Math.min(logSize - offset, (long) chunk * 4);
        }
    }

    private static int readFully(FileChannel ch, byte[] b, long position) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) {
            int n = ch.read(bb, position + bb.position());
            if (n < 0) {
                break;
            }
        }
        return bb.position();
    }

    private long[] entry(long i) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(ENTRY);
        while (bb.hasRemaining()) {
            if (idx.read(bb, i * ENTRY + bb.position()) < 0) {
                throw new IOException("index shorter than expected");
            }
        }
        bb.flip();
        return new long[]{bb.getLong(), bb.getLong()};
    }

    /**
     * Under the lock: indexes intact lines past the last entry (a writer died between its log and index
     * writes), cuts off a torn tail, and refuses (or in salvage mode moves aside) damage before the tail.
     */
    private void recoverTail() throws IOException {
        long size = log.size();
        if (size == endOffset) {
            if (idx.size() != lines * ENTRY) {
                io.truncate(idx, lines * ENTRY);
            }
            return;
        }
        LogLines.Reader r = new LogLines.Reader(log, endOffset, size);
        List<long[]> newEntries = new ArrayList<>();
        long badStart = -1;
        long pos = endOffset;
        long seq = lastSeq;
        long max = maxCreatedAt;
        Instant lastAt = lastCreatedAt;
        while (r.next()) {
            long s = r.complete ? LogLines.validSeq(r.lineBuf, r.lineOff, r.lineLen) : -1;
            if (s > seq && badStart < 0) {
                Message m = LogLines.decode(r.lineBuf, r.lineOff, r.lineLen, location, r.lineFileOffset);
                max = Math.max(max, m.createdAt().toEpochMilli());
                lastAt = m.createdAt();
                seq = s;
                newEntries.add(new long[]{r.lineFileOffset, max});
                if (ids != null) {
                    ids.put(IdTable.hash(m.id()), s);
                }
                pos = r.lineFileOffset + r.lineLen + 1;
            } else if (badStart < 0) {
                badStart = r.lineFileOffset;
            } else if (s > seq) {
                // an intact record after damage: the damage is not a torn tail
                if (!salvage) {
                    throw LogLines.damaged(location, badStart, "record fails its checksum and intact records follow"
                            + " it (open with backend.salvage=true to move the damage aside)");
                }
                salvageAll();
                return;
            }
        }
        if (!newEntries.isEmpty()) {
            ByteBuffer bb = ByteBuffer.allocate(newEntries.size() * ENTRY);
            for (long[] e : newEntries) {
                bb.putLong(e[0]).putLong(e[1]);
            }
            bb.flip();
            io.truncate(idx, lines * ENTRY);
            io.write(idx, bb, lines * ENTRY);
            LOG.info("{}: indexed {} record(s) the index did not cover", logPath, newEntries.size());
            lines += newEntries.size();
            lastSeq = seq;
            lastCreatedAt = lastAt;
            maxCreatedAt = max;
        }
        endOffset = pos;
        if (size > pos) {
            LOG.warn("{}: truncating a torn tail of {} byte(s) at offset {} (an interrupted write)", logPath,
                    size - pos, pos);
            io.truncate(log, pos);
            io.force(log);
        }
        if (idx.size() != lines * ENTRY) {
            io.truncate(idx, lines * ENTRY);
        }
    }

    /** Rebuilds the index from a full scan of the log (which also checks every record). Under the lock. */
    synchronized void rebuildIndex() throws IOException {
        verifyAll(true);
    }

    /**
     * The first look at a log in this JVM, under the lock: checks every record's checksum and order (so damage
     * anywhere is found when the log is opened, not when a damaged record happens to be read), loads the ID table,
     * compares the index with what the log says and rewrites it if they disagree, and cuts off a torn tail.
     * Damage followed by intact records is corruption (or, in salvage mode, moved aside).
     */
    synchronized void verifyAll(boolean forceRewrite) throws IOException {
        long size = log.size();
        LogLines.Reader r = new LogLines.Reader(log, 0, size);
        ByteBuffer expected = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 64, Math.max(1024, size / 4)));
        long count = 0;
        long seq = 0;
        long max = Long.MIN_VALUE;
        long lastLineOffset = -1;
        long pos = 0;
        long badStart = -1;
        IdTable table = new IdTable();
        while (r.next()) {
            long s = r.complete ? LogLines.validSeq(r.lineBuf, r.lineOff, r.lineLen) : -1;
            if (s > seq && badStart < 0) {
                long created = LogLines.createdAtMillis(r.lineBuf, r.lineOff, r.lineLen, location, r.lineFileOffset);
                max = Math.max(max, created);
                seq = s;
                table.put(IdTable.hash(LogLines.id(r.lineBuf, r.lineOff, r.lineLen)), s);
                if (expected.remaining() < ENTRY) {
                    ByteBuffer bigger = ByteBuffer.allocate(expected.capacity() * 2);
                    expected.flip();
                    bigger.put(expected);
                    expected = bigger;
                }
                expected.putLong(r.lineFileOffset).putLong(max);
                count++;
                lastLineOffset = r.lineFileOffset;
                pos = r.lineFileOffset + r.lineLen + 1;
            } else if (badStart < 0) {
                badStart = r.lineFileOffset;
            } else if (s > seq) {
                if (!salvage) {
                    throw LogLines.damaged(location, badStart, "record fails its checksum and intact records"
                            + " follow it (open with backend.salvage=true to move the damage aside)");
                }
                salvageAll();
                return;
            }
        }
        if (size > pos) {
            LOG.warn("{}: truncating a torn tail of {} byte(s) at offset {} (an interrupted write)", logPath,
                    size - pos, pos);
            io.truncate(log, pos);
            io.force(log);
        }
        expected.flip();
        boolean same = !forceRewrite && idx.size() == (long) expected.limit();
        if (same) {
            ByteBuffer actual = ByteBuffer.allocate(expected.limit());
            while (actual.hasRemaining() && idx.read(actual, actual.position()) >= 0) {
                // read all
            }
            actual.flip();
            same = actual.equals(expected);
        }
        if (!same) {
            if (!forceRewrite) {
                LOG.warn("{}: the index disagrees with the log; rebuilding it", idxPath);
            }
            Path tmp = AtomicFiles.tempFor(idxPath);
            try (FileChannel t = io.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                io.write(t, expected, 0);
            } catch (IOException e) {
                AtomicFiles.deleteQuietly(tmp);
                throw e;
            }
            io.move(tmp, idxPath);
            FileChannel oldIdx = idx;
            idx = io.open(idxPath, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE));
            oldIdx.close();
        }
        lines = count;
        endOffset = pos;
        lastSeq = seq;
        lastCreatedAt = lastLineOffset < 0 ? null : readLineAt(lastLineOffset, pos).message.createdAt();
        maxCreatedAt = max;
        ids = table;
        opened = true;
        recovered = true;
    }

    /**
     * Salvage mode: copies every damaged byte range into {@code messages.jsonl~damaged-<offset>} next to the log,
     * rewrites the log with the intact records only (keeping their seqs) and rebuilds the index.
     */
    private void salvageAll() throws IOException {
        long size = log.size();
        LogLines.Reader r = new LogLines.Reader(log, 0, size);
        java.io.ByteArrayOutputStream good = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream bad = new java.io.ByteArrayOutputStream();
        long badStart = -1;
        long seq = 0;
        int ranges = 0;
        while (r.next()) {
            long s = r.complete ? LogLines.validSeq(r.lineBuf, r.lineOff, r.lineLen) : -1;
            if (s > seq) {
                if (badStart >= 0) {
                    writeDamaged(badStart, bad.toByteArray());
                    ranges++;
                    bad.reset();
                    badStart = -1;
                }
                good.write(r.lineBuf, r.lineOff, r.lineLen);
                good.write('\n');
                seq = s;
            } else {
                if (badStart < 0) {
                    badStart = r.lineFileOffset;
                }
                bad.write(r.lineBuf, r.lineOff, r.lineLen);
                if (r.complete) {
                    bad.write('\n');
                }
            }
        }
        if (badStart >= 0) {
            writeDamaged(badStart, bad.toByteArray());
            ranges++;
        }
        LOG.error("{}: salvage moved {} damaged range(s) aside; {} intact record(s) kept", logPath, ranges, seq);
        new AtomicFiles(io).write(logPath, good.toByteArray());
        FileChannel oldLog = log;
        log = io.open(logPath, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        oldLog.close();
        BasicFileAttributes attrs = Files.readAttributes(logPath, BasicFileAttributes.class);
        fileKey = attrs.fileKey() != null ? attrs.fileKey() : attrs.creationTime();
        rebuildIndex();
    }

    private void writeDamaged(long offset, byte[] bytes) {
        Path aside = logPath.resolveSibling(logPath.getFileName() + "~damaged-" + offset);
        new AtomicFiles(io).write(aside, bytes);
        LOG.error("{}: {} damaged byte(s) at offset {} moved to {}", logPath, bytes.length, offset, aside);
    }

    // ---- reading -------------------------------------------------------------------------------------------

    synchronized State state() {
        return new State(lines, lastSeq, Optional.ofNullable(lastCreatedAt),
                maxCreatedAt == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(maxCreatedAt)),
                fileKey);
    }

    /**
     * Lines {@code [from, to)} of the log, checked; a disagreeing index is rebuilt (under the lock) once. Never
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
            } catch (IndexMismatch e) {
                LOG.warn("{}: index disagrees with the log ({}); rebuilding it", idxPath, e.getMessage());
                try (StoreLocks.Held held = locker.lock()) {
                    synchronized (this) {
                        rebuildIndex();
                        return readLinesOnce(from, Math.min(to, lines));
                    }
                }
            }
        } catch (IndexMismatch e) {
            throw new StorageCorruptionException(location, -1, "the index cannot be made to agree: " + e.getMessage());
        } catch (IOException e) {
            throw new StorageIOException("cannot read " + logPath + ": " + e.getMessage(), e);
        }
    }

    private static final class IndexMismatch extends Exception {
        IndexMismatch(String m) {
            super(m, null, false, false);
        }
    }

    private List<Message> readLinesOnce(long from, long to) throws IOException, IndexMismatch {
        to = Math.min(to, lines);
        if (from >= to) {
            return List.of();
        }
        long start = entry(from)[0];
        long end = to == lines ? endOffset : entry(to)[0];
        if (start < 0 || end < start || end > log.size() || end - start > Integer.MAX_VALUE - 16) {
            throw new IndexMismatch("entries " + from + ".." + to + " point outside the log");
        }
        byte[] b = new byte[(int) (end - start)];
        int n = readFully(log, b, start);
        if (n != b.length) {
            throw new IndexMismatch("the log is shorter than the index says");
        }
        List<Message> out = new ArrayList<>((int) (to - from));
        int p = 0;
        long prev = -1;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                long seq = LogLines.validSeq(b, p, i - p);
                if (seq < 0 || seq <= prev) {
                    throw new IndexMismatch("no intact record at offset " + (start + p));
                }
                out.add(LogLines.decode(b, p, i - p, location, start + p));
                prev = seq;
                p = i + 1;
            }
        }
        if (p != b.length || out.size() != to - from) {
            throw new IndexMismatch("entries " + from + ".." + to + " do not cover whole records");
        }
        return out;
    }

    /** The line index of the first record with seq greater than {@code seq}. */
    long firstLineAfter(long seq) {
        State st = state();
        if (seq <= 0) {
            return 0;
        }
        if (seq >= st.lastSeq()) {
            return st.lines();
        }
        if (st.lastSeq() == st.lines()) {
            return seq; // no gaps: line i holds seq i+1
        }
        long lo = 0;
        long hi = st.lines(); // first line with seq > target
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

    /** Lookup by ID through the ID table (loaded on first use by a full, checked scan). Needs the lock. */
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

    synchronized boolean idsLoaded() {
        return ids != null;
    }

    private void loadIds() {
        if (ids != null) {
            return;
        }
        try {
            IdTable table = new IdTable();
            LogLines.Reader r = new LogLines.Reader(log, 0, endOffset);
            long prev = 0;
            while (r.next()) {
                long s = LogLines.validSeq(r.lineBuf, r.lineOff, r.lineLen);
                if (!r.complete || s <= prev) {
                    throw LogLines.damaged(location, r.lineFileOffset, "record fails its checksum");
                }
                table.put(IdTable.hash(LogLines.id(r.lineBuf, r.lineOff, r.lineLen)), s);
                prev = s;
            }
            ids = table;
        } catch (IOException e) {
            throw new StorageIOException("cannot read " + logPath + ": " + e.getMessage(), e);
        }
    }

    /** Every message from line {@code fromLine} on, in order. */
    void forEach(long fromLine, Consumer<Message> action) {
        long start;
        long end;
        FileChannel ch;
        synchronized (this) {
            if (fromLine >= lines) {
                return;
            }
            try {
                start = entry(fromLine)[0];
            } catch (IOException e) {
                throw new StorageIOException("cannot read " + idxPath + ": " + e.getMessage(), e);
            }
            end = endOffset;
            ch = log;
        }
        try {
            LogLines.Reader r = new LogLines.Reader(ch, start, end);
            while (r.next()) {
                if (!r.complete || LogLines.validSeq(r.lineBuf, r.lineOff, r.lineLen) < 0) {
                    throw LogLines.damaged(location, r.lineFileOffset, "record fails its checksum");
                }
                action.accept(LogLines.decode(r.lineBuf, r.lineOff, r.lineLen, location, r.lineFileOffset));
            }
        } catch (IOException e) {
            throw new StorageIOException("cannot read " + logPath + ": " + e.getMessage(), e);
        }
    }

    // ---- appending -----------------------------------------------------------------------------------------

    private static final class Pending {
        final List<Message> drafts;
        final long max;
        final String owner;
        final boolean restore;
        List<Message> result;
        RuntimeException error;
        boolean done;

        Pending(List<Message> drafts, long max, String owner, boolean restore) {
            this.drafts = drafts;
            this.max = max;
            this.owner = owner;
            this.restore = restore;
        }
    }

    /** Runs under the cross-process lock of the log's owner (session or panel). */
    public interface Locker {
        StoreLocks.Held lock();
    }

    /**
     * Appends the drafts with the next seqs, atomically and durably as configured.
     *
     * @param ownerCheck run under the lock before writing; throws if the session or panel is gone
     */
    List<Message> append(List<Message> drafts, long maxMessages, String owner, Locker locker, Runnable ownerCheck) {
        return enqueue(new Pending(drafts, maxMessages, owner, false), locker, ownerCheck);
    }

    /** Appends messages exactly as given (seqs included; they must continue the log). */
    void appendRestored(List<Message> messages, String owner, Locker locker, Runnable ownerCheck) {
        enqueue(new Pending(messages, Long.MAX_VALUE, owner, true), locker, ownerCheck);
    }

    private List<Message> enqueue(Pending me, Locker locker, Runnable ownerCheck) {
        poison.checkWritable();
        boolean interrupted = Thread.interrupted(); // restored at the end; the write itself must not be cut short
        try {
            return lead(me, locker, ownerCheck);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<Message> lead(Pending me, Locker locker, Runnable ownerCheck) {
        synchronized (queue) {
            queue.addLast(me);
            boolean interrupted = false;
            while (!me.done && queue.peekFirst() != me) {
                try {
                    queue.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // keep our place: leaving the queue would orphan the group
                }
            }
            if (interrupted) {
                Thread.interrupted();
            }
            if (me.done) {
                return finish(me);
            }
        }
        List<Pending> group = new ArrayList<>();
        synchronized (queue) {
            int bytes = 0;
            for (Pending p : queue) {
                if (group.size() >= MAX_GROUP || bytes > (4 << 20)) {
                    break;
                }
                group.add(p);
                for (Message m : p.drafts) {
                    bytes += m.content().length();
                }
            }
        }
        try {
            try (StoreLocks.Held held = locker.lock()) {
                BasicFileAttributes attrs;
                boolean same;
                synchronized (this) {
                    attrs = stat();
                    same = attrs != null && unchanged(attrs, true);
                }
                if (!same) {
                    // the log is new to this view, was replaced, grew elsewhere or is gone: check that the
                    // owner (session or panel) still exists before trusting it; while the same file is
                    // unchanged it does (deleting an owner moves its whole directory, log included)
                    ownerCheck.run();
                    attrs = null; // stat again after the check
                }
                writeGroup(group, attrs);
            }
        } catch (RuntimeException e) {
            for (Pending p : group) {
                if (p.result == null && p.error == null) {
                    p.error = e;
                }
            }
        } finally {
            synchronized (queue) {
                for (Pending p : group) {
                    queue.remove(p);
                    p.done = true;
                }
                queue.notifyAll();
            }
        }
        return finish(me);
    }

    private static List<Message> finish(Pending p) {
        if (p.error != null) {
            // rethrow a copy-safe typed error: the same exception object may be shared by a group
            throw p.error;
        }
        return p.result;
    }

    /**
     * Writes the group under the lock. {@code attrs}: the log's attributes just read under this lock, when they
     * showed it {@link #unchanged}; null to refresh the view first.
     */
    private void writeGroup(List<Pending> group, BasicFileAttributes attrs) {
        poison.checkWritable();
        long startOffset;
        List<Pending> accepted = new ArrayList<>();
        List<long[]> entries = new ArrayList<>();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        long seq;
        long max;
        Instant lastAt;
        synchronized (this) {
            if (attrs == null ? !refresh(true) : !refresh(true, true, attrs)) {
                throw new StorageIOException("the log " + logPath + " is missing", null);
            }
            loadIds();
            startOffset = endOffset;
            seq = lastSeq;
            max = maxCreatedAt;
            lastAt = lastCreatedAt;
            long offset = startOffset;
            // duplicate IDs within the group: only a group of more than one message needs the sets
            boolean single = group.size() == 1 && group.get(0).drafts.size() == 1;
            Set<String> groupIds = single ? Set.of() : new HashSet<>();
            for (Pending p : group) {
                try {
                    List<Message> stored = new ArrayList<>(p.drafts.size());
                    if (!p.restore && seq + p.drafts.size() > p.max) {
                        throw new LimitExceededException("limits.max-messages-per-session", p.max,
                                seq + p.drafts.size());
                    }
                    Set<String> mine = single ? null : new HashSet<>();
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
                    List<byte[]> encoded = new ArrayList<>(stored.size());
                    for (Message m : stored) {
                        encoded.add(LogLines.encode(m));
                    }
                    for (int i = 0; i < stored.size(); i++) {
                        Message m = stored.get(i);
                        byte[] line = encoded.get(i);
                        max = Math.max(max, m.createdAt().toEpochMilli());
                        entries.add(new long[]{offset, max});
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
        }
        if (accepted.isEmpty()) {
            return;
        }
        byte[] all = bytes.toByteArray();
        try {
            io.write(log, ByteBuffer.wrap(all), startOffset);
        } catch (IOException e) {
            cutBack(startOffset);
            fail(accepted, new StorageIOException("cannot append to " + logPath + ": " + e.getMessage(), e));
            return;
        }
        if (durability == Durability.SYNC) {
            try {
                io.force(log);
            } catch (IOException e) {
                poison.set("fsync of " + logPath + " failed: " + e.getMessage());
                cutBack(startOffset);
                fail(accepted, new StorageIOException("fsync of " + logPath + " failed; the store refuses writes"
                        + " until it is reopened: " + e.getMessage(), e));
                return;
            }
        } else if (durability == Durability.BATCH) {
            dirty = true;
        }
        synchronized (this) {
            ByteBuffer bb = ByteBuffer.allocate(entries.size() * ENTRY);
            for (long[] e : entries) {
                bb.putLong(e[0]).putLong(e[1]);
            }
            bb.flip();
            try {
                io.write(idx, bb, lines * ENTRY);
            } catch (IOException e) {
                // the index is derived: the next recovery under the lock indexes these lines from the log
                LOG.warn("{}: cannot write index entries ({}); they will be rebuilt from the log", idxPath,
                        e.getMessage());
                opened = false;
                recovered = false;
            }
            lines += entries.size();
            endOffset = startOffset + all.length;
            lastSeq = seq;
            lastCreatedAt = lastAt;
            maxCreatedAt = max;
            for (Pending p : accepted) {
                for (Message m : p.result) {
                    ids.put(IdTable.hash(m.id()), m.seq());
                }
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

    private void cutBack(long offset) {
        try {
            io.truncate(log, offset);
        } catch (IOException e) {
            poison.set("cannot cut a failed append off " + logPath + ": " + e.getMessage());
            LOG.error("{}: cannot truncate a failed append back to offset {}: {}", logPath, offset, e.getMessage());
        }
    }

    private static void fail(List<Pending> accepted, RuntimeException e) {
        for (Pending p : accepted) {
            p.result = null;
            p.error = e;
        }
    }

    /**
     * Appends restored messages (seqs given, continuing the log) while the caller already holds the lock, without
     * joining the writer queue (whose leader may be waiting for that very lock).
     */
    List<Message> appendRestoredLocked(List<Message> messages, String owner) {
        poison.checkWritable();
        Pending p = new Pending(messages, Long.MAX_VALUE, owner, true);
        writeGroup(List.of(p), null);
        return finish(p);
    }

    /** Batch durability: fsync if anything was written since the last flush. */
    void flushIfDirty() {
        if (!dirty) {
            return;
        }
        FileChannel ch;
        synchronized (this) {
            ch = log;
            dirty = false;
        }
        if (ch == null) {
            return;
        }
        try {
            io.force(ch);
        } catch (java.nio.channels.ClosedChannelException e) {
            // closed meanwhile (session deleted or store closed); nothing left to flush
        } catch (IOException e) {
            poison.set("fsync of " + logPath + " failed: " + e.getMessage());
            LOG.error("{}: background fsync failed; the store refuses writes until reopened", logPath, e);
        }
    }

    /** Replaces the whole log (restore of existing seqs): the new records, index rebuilt. Under the lock. */
    synchronized void rewrite(List<Message> all) {
        poison.checkWritable();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Message m : all) {
            out.writeBytes(LogLines.encode(m));
        }
        new AtomicFiles(io).write(logPath, out.toByteArray());
        closeChannels();
        if (!refresh(true)) {
            throw new StorageIOException("the log " + logPath + " vanished while being rewritten", null);
        }
    }

    /** Every message (for restore rewrites and checks). */
    List<Message> all() {
        return readLines(0, state().lines());
    }

}
