package dev.chatstore.flatfile.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One immutable, memory-mapped segment of a user's persisted search index (a file {@code seg-*.bin} in
 * {@code search-index/}). Big-endian layout:
 *
 * <pre>
 * "CSSEG001"                                  magic, 8 bytes
 * int docs, int terms
 * docs  x (int slot, long seq, long createdAt)            20 bytes each; doc = position
 * terms x (long bytesAt, int bytesLen, long postingsAt, int count)   24 bytes each, sorted by term
 * term bytes (UTF-8, concatenated)
 * postings: int doc numbers, ascending per term
 * int CRC32C of every byte before it
 * </pre>
 *
 * A query maps the file, binary-searches the term table for each query word and reads only those postings, so
 * the first search in a new process costs a few page reads, not a scan of the logs. The whole file's checksum is
 * checked once when it is opened; a segment that fails it is treated as missing and the index is rebuilt.
 */
final class SearchSegment implements Postings {

    static final byte[] MAGIC = "CSSEG001".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 16;
    private static final int DOC = 20;
    private static final int TERM = 24;

    /** The segment does not pass its checks. */
    static final class Damaged extends Exception {
        Damaged(String message) {
            super(message, null, false, false);
        }
    }

    private final ByteBuffer map;
    private final int docs;
    private final int terms;
    private final long termsAt;
    private final long bytesAt;
    private final long postingsAt;

    private SearchSegment(ByteBuffer map, int docs, int terms, long termsAt, long bytesAt, long postingsAt) {
        this.map = map;
        this.docs = docs;
        this.terms = terms;
        this.termsAt = termsAt;
        this.bytesAt = bytesAt;
        this.postingsAt = postingsAt;
    }

    static SearchSegment open(Path file) throws IOException, Damaged {
        return open(file, true);
    }

    /**
     * Maps the segment and checks its structure; {@code checkCrc}: also its whole-file checksum (skipped for a
     * segment a process already verified and that has not changed since, see {@link SegmentChecks}).
     */
    static SearchSegment open(Path file, boolean checkCrc) throws IOException, Damaged {
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER + 4 || size > Integer.MAX_VALUE) {
                throw new Damaged(file + ": impossible size " + size);
            }
            map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        int size = map.capacity();
        if (checkCrc) {
            CRC32C crc = new CRC32C();
            crc.update(map.duplicate().limit(size - 4));
            if ((int) crc.getValue() != map.getInt(size - 4)) {
                throw new Damaged(file + ": checksum mismatch");
            }
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (map.get(i) != MAGIC[i]) {
                throw new Damaged(file + ": not a search segment");
            }
        }
        int docs = map.getInt(8);
        int terms = map.getInt(12);
        long termsAt = HEADER + (long) docs * DOC;
        long bytesAt = termsAt + (long) terms * TERM;
        if (docs < 0 || terms < 0 || bytesAt > size - 4) {
            throw new Damaged(file + ": header does not fit the file");
        }
        long termBytes = terms == 0 ? 0 : map.getLong((int) (bytesAt - TERM)) + map.getInt((int) (bytesAt - TERM + 8));
        long postingsAt = bytesAt + termBytes;
        long postings = terms == 0 ? 0 : map.getLong((int) (bytesAt - TERM + 12)) + map.getInt((int) (bytesAt - TERM + 20));
        if (postingsAt + postings * 4 != size - 4) {
            throw new Damaged(file + ": sections do not fit the file");
        }
        return new SearchSegment(map, docs, terms, termsAt, bytesAt, postingsAt);
    }

    @Override
    public int docs() {
        return docs;
    }

    @Override
    public int slot(int doc) {
        return map.getInt(HEADER + doc * DOC);
    }

    @Override
    public long seq(int doc) {
        return map.getLong(HEADER + doc * DOC + 4);
    }

    @Override
    public long createdAt(int doc) {
        return map.getLong(HEADER + doc * DOC + 12);
    }

    /** The terms in order (merging). */
    String term(int i) {
        int at = (int) (termsAt + (long) i * TERM);
        byte[] b = new byte[map.getInt(at + 8)];
        map.get((int) (bytesAt + map.getLong(at)), b);
        return new String(b, StandardCharsets.UTF_8);
    }

    int terms() {
        return terms;
    }

    int[] postingsOf(int i) {
        int at = (int) (termsAt + (long) i * TERM);
        int count = map.getInt(at + 20);
        int from = (int) (postingsAt + map.getLong(at + 12) * 4);
        int[] out = new int[count];
        map.slice(from, count * 4).asIntBuffer().get(out);
        return out;
    }

    @Override
    public int[] postings(String word) {
        int lo = 0;
        int hi = terms - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = term(mid).compareTo(word);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return postingsOf(mid);
            }
        }
        return null;
    }
}
