package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.StorageCorruptionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a log (or its unindexed end) record by record and says what it holds: the intact records in seq order,
 * then either nothing, a torn tail, or damage followed by intact records (Kafka's {@code LogLoader}). One
 * definition shared by opening a log ({@link MessageLog}), {@code check} ({@link StoreChecker}) and salvage, so the
 * three can never disagree about what is damage.
 *
 * <p>A torn tail is what an interrupted append leaves: bytes after the last intact record with no intact record
 * after them. Damage followed by intact records is never a torn write; it is corruption, and only salvage
 * moves it aside.
 */
final class LogRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

    private LogRecovery() {
    }

    /**
     * What a scan found.
     *
     * @param records        intact records before any damage
     * @param lastSeq        the seq of the last of them (or the seq scanned from)
     * @param maxCreatedAt   the largest createdAt millis up to it (or the value scanned from)
     * @param lastCreatedAt  the createdAt millis of the last of them, {@code Long.MIN_VALUE} if none
     * @param validEnd       the byte offset just after the last intact record
     * @param damageStart    the offset of the first byte that is not an intact record, -1 if none
     * @param intactAfter    whether an intact record follows the damage (then it is not a torn tail)
     * @param nextIntact     the offset of that intact record, -1 if none
     * @param completeDamage whether the damage holds a complete, newline-terminated line (then it is not a torn
     *                       tail either: an interrupted append never leaves a whole line that fails its checksum)
     * @param entries        the offset index entries of the intact records
     * @param ids            the message IDs of the intact records (when asked for)
     * @param size           the end of the scanned range
     */
    record Scan(long records, long lastSeq, long maxCreatedAt, long lastCreatedAt, long validEnd, long damageStart,
                boolean intactAfter, long nextIntact, boolean completeDamage, OffsetIndex.Entries entries, IdTable ids, long size) {

        /**
         * Bytes after the intact records that an interrupted append can leave: no intact record follows them and
         * they hold no complete line (only an unterminated one, or NUL padding).
         */
        boolean tornTail() {
            return damageStart >= 0 && !intactAfter && !completeDamage;
        }

        /** Damage before intact records, or a complete line that fails its checksum: corruption. */
        boolean corrupt() {
            return damageStart >= 0 && (intactAfter || completeDamage);
        }
    }

    /**
     * Scans {@code [from, to)}, continuing a log whose records before {@code from} end at seq {@code seqBefore}
     * with running maximum createdAt {@code maxBefore}. Checks each record's checksum and that seqs ascend; with
     * {@code decode}, also that each intact record parses as a message (what {@code check} wants).
     */
    static Scan scan(FileChannel log, long from, long to, long seqBefore, long maxBefore, String location,
                     boolean collectIds, boolean decode) throws IOException {
        LogLines.Reader r = new LogLines.Reader(log, from, to);
        OffsetIndex.Entries entries = OffsetIndex.Entries.forLogOf(to - from);
        IdTable ids = collectIds ? new IdTable() : null;
        long records = 0;
        long seq = seqBefore;
        long max = maxBefore;
        long lastAt = Long.MIN_VALUE;
        long end = from;
        long damage = -1;
        boolean complete = false;
        while (r.next()) {
            long s = r.complete ? LogLines.validSeq(r.lineBuf, r.lineOff, r.lineLen) : -1;
            if (s > seq && damage < 0) {
                long created = decode
                        ? LogLines.decode(r.lineBuf, r.lineOff, r.lineLen, location, r.lineFileOffset)
                        .createdAt().toEpochMilli()
                        : LogLines.createdAtMillis(r.lineBuf, r.lineOff, r.lineLen, location, r.lineFileOffset);
                max = Math.max(max, created);
                lastAt = created;
                seq = s;
                if (ids != null) {
                    ids.put(IdTable.hash(LogLines.id(r.lineBuf, r.lineOff, r.lineLen)), s);
                }
                entries.add(r.lineFileOffset, max);
                records++;
                end = r.lineFileOffset + r.lineLen + 1;
            } else if (damage >= 0 && s > seq) {
                return new Scan(records, seq, max, lastAt, end, damage, true, r.lineFileOffset, complete, entries,
                        ids, to);
            } else {
                damage = damage < 0 ? r.lineFileOffset : damage;
                complete |= r.complete && !allNul(r.lineBuf, r.lineOff, r.lineLen);
            }
        }
        return new Scan(records, seq, max, lastAt, end, damage, false, -1, complete, entries, ids, to);
    }

    /** NUL padding (what a crash can leave where a write's blocks were allocated but not written). */
    private static boolean allNul(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The end the offset index vouches for without reading the log: its first entry points at offset 0 and its last
     * at an intact record whose seq is at least the number of entries and whose createdAt the entry's running
     * maximum covers. Empty if the index and the log disagree (the caller rebuilds the index from a full scan).
     * The log may go on after that end (records not indexed yet, or a torn tail): see {@link LogEnd#offset()}.
     */
    static Optional<LogEnd> endFromIndex(FileChannel log, OffsetIndex index, String location) throws IOException {
        if (!index.whole()) {
            return Optional.empty();
        }
        long entries = index.entries();
        if (entries == 0) {
            return log.size() == 0 ? Optional.of(LogEnd.EMPTY) : Optional.empty();
        }
        if (index.entry(0)[0] != 0) {
            return Optional.empty();
        }
        return endAtEntry(log, index, entries, location);
    }

    /**
     * The end after the first {@code entries} indexed records: entry {@code entries - 1} must point at an intact
     * record with a seq of at least {@code entries}, covered by the entry's running maximum createdAt; else empty.
     */
    static Optional<LogEnd> endAtEntry(FileChannel log, OffsetIndex index, long entries, String location)
            throws IOException {
        long[] last = index.entry(entries - 1);
        LogReader.Line line = LogReader.lineAt(log, last[0], log.size(), location);
        if (line == null || line.seq() < entries) {
            return Optional.empty();
        }
        long createdAt = line.message().createdAt().toEpochMilli();
        if (last[1] < createdAt) {
            return Optional.empty();
        }
        return Optional.of(new LogEnd(entries, last[0] + line.length() + 1, line.seq(), createdAt, last[1]));
    }

    /** The error for damage followed by intact records, naming the file, the offset and the way out. */
    static StorageCorruptionException corruption(String location, Scan scan) {
        String what = scan.intactAfter() ? "record fails its checksum and intact records follow it"
                : "record fails its checksum though its line is complete (damage, not an interrupted write)";
        return LogLines.damaged(location, scan.damageStart(), what
                + " (run 'chatstore check --salvage', or open with backend.salvage=true, to move the damage aside; it is"
                + " kept beside the log)");
    }

    /**
     * Cuts a torn tail off at {@code validEnd} (an interrupted write: no intact record and no complete line after
     * it), after keeping the cut bytes beside the log in {@code messages.jsonl~torn-<offset>}: recovery never
     * deletes a byte.
     */
    static void cutTornTail(FileChannel log, Path logPath, long validEnd, FileIo io) throws IOException {
        long size = log.size();
        if (size <= validEnd) {
            return;
        }
        byte[] tail = new byte[(int) Math.min(Integer.MAX_VALUE - 16, size - validEnd)];
        int n = LogReader.readFully(log, tail, validEnd);
        Path aside = StoreLayout.tornCopy(logPath, validEnd);
        new AtomicFiles(io).write(aside, n == tail.length ? tail : java.util.Arrays.copyOf(tail, n));
        LOG.warn("{}: cut a torn tail of {} byte(s) at offset {} (an interrupted write); the bytes are kept in {}",
                logPath, size - validEnd, validEnd, aside);
        io.truncate(log, validEnd);
        io.force(log);
    }

    /** What salvage produced: the intact records, and how much was moved aside. */
    record Salvaged(byte[] intact, long records, int ranges) {
    }

    /**
     * Salvage: copies every damaged byte range into {@code messages.jsonl~damaged-<offset>} beside the log and
     * returns the intact records (seqs kept, ascending), which the caller writes as the new log.
     */
    static Salvaged salvage(FileChannel log, Path logPath, FileIo io) throws IOException {
        long size = log.size();
        LogLines.Reader r = new LogLines.Reader(log, 0, size);
        ByteArrayOutputStream good = new ByteArrayOutputStream();
        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        long badStart = -1;
        long seq = 0;
        long kept = 0;
        List<Long> ranges = new ArrayList<>();
        while (r.next()) {
            long s = r.complete ? LogLines.validSeq(r.lineBuf, r.lineOff, r.lineLen) : -1;
            if (s > seq) {
                if (badStart >= 0) {
                    writeAside(logPath, badStart, bad.toByteArray(), io);
                    ranges.add(badStart);
                    bad.reset();
                    badStart = -1;
                }
                good.write(r.lineBuf, r.lineOff, r.lineLen);
                good.write('\n');
                seq = s;
                kept++;
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
            writeAside(logPath, badStart, bad.toByteArray(), io);
            ranges.add(badStart);
        }
        LOG.error("{}: salvage moved {} damaged range(s) aside (at offsets {}); {} intact record(s) kept, last seq {}",
                logPath, ranges.size(), ranges, kept, seq);
        return new Salvaged(good.toByteArray(), kept, ranges.size());
    }

    private static void writeAside(Path logPath, long offset, byte[] bytes, FileIo io) {
        Path aside = StoreLayout.damagedCopy(logPath, offset);
        new AtomicFiles(io).write(aside, bytes);
        LOG.error("{}: {} damaged byte(s) at offset {} moved to {}", logPath, bytes.length, offset, aside);
    }
}
