package dev.chatstore.flatfile.internal;

import dev.chatstore.flatfile.internal.SearchManifest.SegmentRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** The segment files of a user's {@link SearchIndex}: writing, merging and removing them ({@code search-index/seg-*.bin}). */
final class SegmentFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentFiles.class);

    private SegmentFiles() {
    }

    /** Opens a segment this process just wrote (a damaged one is an I/O error here, not a rebuild). */
    static SearchSegment openWritten(Path dir, SegmentRef ref) throws IOException {
        try {
            return SearchSegment.open(dir.resolve(ref.file()));
        } catch (SearchSegment.Damaged e) {
            throw new IOException(e.getMessage());
        }
    }

    /** Adds the documents of {@code s} whose slot is live, with their postings, to {@code m}. */
    static void mergeInto(SegmentBuilder m, SearchSegment s, Set<Integer> live) {
        int[] map = new int[s.docs()];
        for (int d = 0; d < s.docs(); d++) {
            map[d] = live.contains(s.slot(d)) ? m.addDocOnly(s.slot(d), s.seq(d), s.createdAt(d)) : -1;
        }
        for (int t = 0; t < s.terms(); t++) {
            String term = s.term(t);
            for (int d : s.postingsOf(t)) {
                if (map[d] >= 0) {
                    m.post(term, map[d]);
                }
            }
        }
    }

    /** Writes a new immutable segment {@code seg-<generation>-<random>.bin} (temporary file and rename). */
    static SegmentRef write(FileIo io, Path dir, SegmentBuilder b, long generation) throws IOException {
        String name = "seg-" + String.format("%08d", generation) + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".bin";
        Path target = dir.resolve(name);
        Path tmp = AtomicFiles.tempFor(target);
        try (FileChannel ch = io.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
             OutputStream out = Channels.newOutputStream(ch)) {
            b.writeTo(out);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw e;
        }
        io.move(tmp, target); // derived data: not fsynced; a torn segment fails its checksum and is rebuilt
        return new SegmentRef(name, b.docs());
    }

    /** Deletes the segment files the manifest no longer lists. */
    static void removeUnlisted(Path dir, List<SegmentRef> refs) {
        Set<String> keep = new HashSet<>();
        for (SegmentRef r : refs) {
            keep.add(r.file());
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "seg-*")) {
            for (Path p : ds) {
                if (!keep.contains(p.getFileName().toString())) {
                    AtomicFiles.deleteQuietly(p); // readers that mapped it keep their mapping
                }
            }
        } catch (IOException e) {
            LOG.debug("{}: cannot list old segments: {}", dir, e.getMessage());
        }
    }
}
