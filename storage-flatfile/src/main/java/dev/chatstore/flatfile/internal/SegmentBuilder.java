package dev.chatstore.flatfile.internal;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * An inverted index being built in memory: documents (slot, seq, createdAt) numbered in the order they are
 * added, and for each word the ascending list of documents that contain it. It answers queries directly (the
 * not-yet-persisted tail of a user's logs) and writes itself out as an immutable {@link SearchSegment}.
 */
final class SegmentBuilder implements Postings {

    private int docs;
    private int[] slot = new int[256];
    private long[] seq = new long[256];
    private long[] created = new long[256];
    private final Map<String, IntList> postings = new HashMap<>();

    static final class IntList {
        int[] a = new int[4];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }
    }

    /** Adds a document; {@code words} are distinct. */
    int add(int docSlot, long docSeq, long createdAt, Collection<String> words) {
        if (docs == slot.length) {
            int n = docs * 2;
            slot = Arrays.copyOf(slot, n);
            seq = Arrays.copyOf(seq, n);
            created = Arrays.copyOf(created, n);
        }
        int doc = docs++;
        slot[doc] = docSlot;
        seq[doc] = docSeq;
        created[doc] = createdAt;
        for (String w : words) {
            postings.computeIfAbsent(w, k -> new IntList()).add(doc);
        }
        return doc;
    }

    /** Adds a posting for an already added document (merging segments term by term). */
    void post(String word, int doc) {
        postings.computeIfAbsent(word, k -> new IntList()).add(doc);
    }

    int addDocOnly(int docSlot, long docSeq, long createdAt) {
        return add(docSlot, docSeq, createdAt, List.of());
    }

    @Override
    public int docs() {
        return docs;
    }

    @Override
    public int slot(int doc) {
        return slot[doc];
    }

    @Override
    public long seq(int doc) {
        return seq[doc];
    }

    @Override
    public long createdAt(int doc) {
        return created[doc];
    }

    @Override
    public int[] postings(String word) {
        IntList l = postings.get(word);
        return l == null ? null : Arrays.copyOf(l.a, l.n);
    }

    /**
     * Writes the segment: header, documents, term table, term bytes, postings, then the CRC32C of everything
     * before it (see {@link SearchSegment} for the layout).
     */
    void writeTo(OutputStream raw) throws IOException {
        List<String> terms = new ArrayList<>(postings.keySet());
        terms.sort(null);
        List<byte[]> termBytes = new ArrayList<>(terms.size());
        for (String t : terms) {
            termBytes.add(t.getBytes(StandardCharsets.UTF_8));
        }
        CRC32C crc = new CRC32C();
        CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc);
        DataOutputStream out = new DataOutputStream(checked);
        out.write(SearchSegment.MAGIC);
        out.writeInt(docs);
        out.writeInt(terms.size());
        for (int d = 0; d < docs; d++) {
            out.writeInt(slot[d]);
            out.writeLong(seq[d]);
            out.writeLong(created[d]);
        }
        long bytesAt = 0;
        long postingsAt = 0;
        for (int i = 0; i < terms.size(); i++) {
            IntList l = postings.get(terms.get(i));
            out.writeLong(bytesAt);
            out.writeInt(termBytes.get(i).length);
            out.writeLong(postingsAt);
            out.writeInt(l.n);
            bytesAt += termBytes.get(i).length;
            postingsAt += l.n;
        }
        for (byte[] b : termBytes) {
            out.write(b);
        }
        for (String t : terms) {
            IntList l = postings.get(t);
            for (int i = 0; i < l.n; i++) {
                out.writeInt(l.a[i]);
            }
        }
        out.flush();
        int value = (int) crc.getValue();
        DataOutputStream tail = new DataOutputStream(raw);
        tail.writeInt(value);
        tail.flush();
    }
}
