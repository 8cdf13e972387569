package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.model.Message;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * One record of a {@code messages.jsonl} log: a JSON object on one line whose last member is
 * {@code "crc":"xxxxxxxx"}, the CRC32C (hex) of every byte of the line before {@code ,"crc":}. The line stays
 * valid JSON for {@code jq}, and a torn or damaged line is detected without parsing it.
 */
final class LogLines {

    /** {@code ,"crc":"} + 8 hex digits + {@code "}}. */
    static final int SUFFIX = 18;
    private static final byte[] CRC_FIELD = ",\"crc\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ_PREFIX = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private LogLines() {
    }

    /** The full line, newline included. */
    static byte[] encode(Message m) {
        byte[] body = RecordWriter.body(m);
        if (body == null) {
            body = Json.compact(Json.message(m)); // what the fast writer does not handle: same bytes, slower
        }
        return withCrc(body);
    }

    /** The line through Jackson's tree, the reference the fast writer must match byte for byte (tests). */
    static byte[] encodeWithTree(Message m) {
        return withCrc(Json.compact(Json.message(m)));
    }

    /** {@code body} (a compact JSON object, ending with '}') with the crc member and newline appended. */
    private static byte[] withCrc(byte[] body) {
        int head = body.length - 1;
        CRC32C crc = new CRC32C();
        crc.update(body, 0, head);
        int value = (int) crc.getValue();
        byte[] line = new byte[head + SUFFIX + 1];
        System.arraycopy(body, 0, line, 0, head);
        System.arraycopy(CRC_FIELD, 0, line, head, CRC_FIELD.length);
        int p = head + CRC_FIELD.length;
        for (int shift = 28; shift >= 0; shift -= 4) {
            line[p++] = HEX[(value >>> shift) & 0xf];
        }
        line[p++] = '"';
        line[p++] = '}';
        line[p] = '\n';
        return line;
    }

    /** The record's seq if the line (without its newline) is intact, otherwise -1. */
    static long validSeq(byte[] b, int off, int len) {
        if (len < SUFFIX + SEQ_PREFIX.length + 2) {
            return -1;
        }
        int s = off + len - SUFFIX;
        for (int i = 0; i < CRC_FIELD.length; i++) {
            if (b[s + i] != CRC_FIELD[i]) {
                return -1;
            }
        }
        if (b[off + len - 2] != '"' || b[off + len - 1] != '}') {
            return -1;
        }
        int expected = 0;
        for (int i = s + CRC_FIELD.length; i < off + len - 2; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                return -1;
            }
            expected = (expected << 4) | d;
        }
        CRC32C crc = new CRC32C();
        crc.update(b, off, len - SUFFIX);
        if ((int) crc.getValue() != expected) {
            return -1;
        }
        for (int i = 0; i < SEQ_PREFIX.length; i++) {
            if (b[off + i] != SEQ_PREFIX[i]) {
                return -1;
            }
        }
        long seq = 0;
        int i = off + SEQ_PREFIX.length;
        int digits = 0;
        while (i < off + len && b[i] >= '0' && b[i] <= '9' && digits < 18) {
            seq = seq * 10 + (b[i] - '0');
            i++;
            digits++;
        }
        return digits == 0 ? -1 : seq;
    }

    /** The message ID of an intact line, read from its fixed prefix {@code {"seq":N,"id":"..."}. */
    static String id(byte[] b, int off, int len) {
        int i = off + SEQ_PREFIX.length;
        while (i < off + len && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        String marker = ",\"id\":\"";
        for (int k = 0; k < marker.length(); k++) {
            if (i + k >= off + len || b[i + k] != marker.charAt(k)) {
                return decode(b, off, len, "", 0).id();
            }
        }
        int start = i + marker.length();
        int end = start;
        while (end < off + len && b[end] != '"' && b[end] != '\\') {
            end++;
        }
        if (end >= off + len || b[end] != '"') {
            return decode(b, off, len, "", 0).id();
        }
        return new String(b, start, end - start, StandardCharsets.UTF_8);
    }

    private static final byte[] CREATED = "\"createdAt\":\"".getBytes(StandardCharsets.US_ASCII);

    /** The record's createdAt in epoch millis, read without parsing the whole line when it can be. */
    static long createdAtMillis(byte[] b, int off, int len, String location, long fileOffset) {
        int limit = Math.min(off + len - CREATED.length, off + 600);
        outer:
        for (int i = off; i < limit; i++) {
            for (int k = 0; k < CREATED.length; k++) {
                if (b[i + k] != CREATED[k]) {
                    continue outer;
                }
            }
            int start = i + CREATED.length;
            int end = start;
            while (end < off + len && b[end] != '"') {
                end++;
            }
            try {
                return java.time.Instant.parse(new String(b, start, end - start, StandardCharsets.US_ASCII))
                        .toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                break;
            }
        }
        return decode(b, off, len, location, fileOffset).createdAt().toEpochMilli();
    }

    static Message decode(byte[] b, int off, int len, String location, long fileOffset) {
        var node = Json.parseObject(b, off, len, location, fileOffset);
        return Json.decode(location, fileOffset, () -> Json.message(node));
    }

    /** Reads lines sequentially from a channel, with their file offsets. */
    static final class Reader {
        private final FileChannel channel;
        private final long limit;
        private byte[] buf = new byte[1 << 20];
        private int start;
        private int end;
        private long bufFileOffset;
        private long position;

        // the current line
        byte[] lineBuf;
        int lineOff;
        int lineLen;
        long lineFileOffset;
        boolean complete;

        Reader(FileChannel channel, long from, long limit) {
            this.channel = channel;
            this.position = from;
            this.bufFileOffset = from;
            this.limit = limit;
        }

        /** Advances to the next line; false at the end. A last line without newline has complete=false. */
        boolean next() throws IOException {
            while (true) {
                for (int i = start; i < end; i++) {
                    if (buf[i] == '\n') {
                        set(start, i - start, true);
                        start = i + 1;
                        return true;
                    }
                }
                if (position >= limit) {
                    if (start < end) {
                        set(start, end - start, false);
                        start = end;
                        return true;
                    }
                    return false;
                }
                // compact and refill
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    bufFileOffset += start;
                    end -= start;
                    start = 0;
                }
                if (end == buf.length) {
                    byte[] bigger = new byte[buf.length * 2];
                    System.arraycopy(buf, 0, bigger, 0, end);
                    buf = bigger;
                }
                int want = (int) Math.min(buf.length - end, limit - position);
                int n = channel.read(ByteBuffer.wrap(buf, end, want), position);
                if (n <= 0) {
                    position = limit; // the file shrank under us; treat what we have as the end
                    continue;
                }
                end += n;
                position += n;
            }
        }

        private void set(int off, int len, boolean done) {
            lineBuf = buf;
            lineOff = off;
            lineLen = len;
            lineFileOffset = bufFileOffset + off;
            complete = done;
        }
    }

    static StorageCorruptionException damaged(String location, long offset, String what) {
        return new StorageCorruptionException(location, offset, what);
    }
}
