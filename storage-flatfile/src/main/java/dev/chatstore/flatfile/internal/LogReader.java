package dev.chatstore.flatfile.internal;

import dev.chatstore.api.model.Message;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads records of a log by byte range, checking every one (checksum, ascending seq). Stateless: the caller
 * ({@link MessageLog}) says where the records are, from its offset index.
 */
final class LogReader {

    private LogReader() {
    }

    /** A record read at a known offset. */
    record Line(long seq, int length, Message message) {
    }

    /** The index and the log disagree about where records are; the caller rebuilds the index. */
    static final class IndexMismatch extends Exception {
        private static final long serialVersionUID = 1L;

        IndexMismatch(String m) {
            super(m, null, false, false);
        }
    }

    /** Reads and checks the line starting at {@code offset}; null if there is no complete line there. */
    static Line lineAt(FileChannel log, long offset, long logSize, String location) throws IOException {
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
                    return new Line(seq, i, m);
                }
            }
            if (offset + n >= logSize) {
                return null;
            }
            chunk = (int) Math.min(logSize - offset, (long) chunk * 4);
        }
    }

    /**
     * The {@code expected} records in {@code [start, end)}, each intact and with a seq above the previous one.
     *
     * @throws IndexMismatch if the range does not hold exactly that many whole intact records
     */
    static List<Message> range(FileChannel log, long start, long end, int expected, String location)
            throws IOException, IndexMismatch {
        if (start < 0 || end < start || end > log.size() || end - start > Integer.MAX_VALUE - 16) {
            throw new IndexMismatch("bytes " + start + ".." + end + " are outside the log");
        }
        byte[] b = new byte[(int) (end - start)];
        if (readFully(log, b, start) != b.length) {
            throw new IndexMismatch("the log is shorter than the index says");
        }
        List<Message> out = new ArrayList<>(expected);
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
        if (p != b.length || out.size() != expected) {
            throw new IndexMismatch("bytes " + start + ".." + end + " do not hold " + expected + " whole records");
        }
        return out;
    }

    /** Every record in {@code [start, end)}, in order; damage raises the corruption error naming its offset. */
    static void forEach(FileChannel log, long start, long end, String location, Consumer<Message> action)
            throws IOException {
        LogLines.Reader r = new LogLines.Reader(log, start, end);
        while (r.next()) {
            if (!r.complete || LogLines.validSeq(r.lineBuf, r.lineOff, r.lineLen) < 0) {
                throw LogLines.damaged(location, r.lineFileOffset, "record fails its checksum");
            }
            action.accept(LogLines.decode(r.lineBuf, r.lineOff, r.lineLen, location, r.lineFileOffset));
        }
    }

    /** The ID table of the records in {@code [0, end)}, each checked. */
    static IdTable ids(FileChannel log, long end, String location) throws IOException {
        IdTable table = new IdTable();
        LogLines.Reader r = new LogLines.Reader(log, 0, end);
        long prev = 0;
        while (r.next()) {
            long s = LogLines.validSeq(r.lineBuf, r.lineOff, r.lineLen);
            if (!r.complete || s <= prev) {
                throw LogLines.damaged(location, r.lineFileOffset, "record fails its checksum");
            }
            table.put(IdTable.hash(LogLines.id(r.lineBuf, r.lineOff, r.lineLen)), s);
            prev = s;
        }
        return table;
    }

    /** Reads as many bytes as the file has from {@code position}, up to {@code b.length}. */
    static int readFully(FileChannel ch, byte[] b, long position) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) {
            int n = ch.read(bb, position + bb.position());
            if (n < 0) {
                break;
            }
        }
        return bb.position();
    }
}
