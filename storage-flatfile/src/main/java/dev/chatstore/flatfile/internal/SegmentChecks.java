package dev.chatstore.flatfile.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatstore.api.error.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * {@code search-index/checked}: the segments whose whole-file checksum a process has already verified, each with
 * the stamp (file identity, size, mtime) it had then. Checking a segment's checksum reads all of it (about 60 ms
 * for the segments of a million messages), so a new process skips that for a segment whose stamp is unchanged,
 * like {@code messages.verified} for a log. Only stamps whose mtime was more than {@link SessionIndex#RACY_MILLIS}
 * old when checked are recorded (a change within the file system's time stamp granularity could keep the mtime).
 * Derived data: one JSON object {@code {"crc":…,"segments":{name: stamp}}}, never fsynced; when missing or damaged,
 * every segment is checked again.
 */
final class SegmentChecks {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentChecks.class);
    static final String FILE = "checked";

    private final Path dir;
    private final Map<String, String> checked;
    private final Map<String, String> added = new HashMap<>();

    private SegmentChecks(Path dir, Map<String, String> checked) {
        this.dir = dir;
        this.checked = checked;
    }

    /** The record of the index directory {@code dir}; empty when missing or damaged. */
    static SegmentChecks read(Path dir) {
        Map<String, String> map = new HashMap<>();
        try {
            Json.readFile(dir.resolve(FILE)).ifPresent(root -> {
                JsonNode segs = root.path("segments");
                if (segs.isObject() && crc(Json.compact((ObjectNode) segs)).equals(root.path("crc").asText())) {
                    segs.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
                }
            });
        } catch (StorageException e) {
            LOG.debug("{}: ignored ({})", dir.resolve(FILE), e.getMessage());
        }
        return new SegmentChecks(dir, map);
    }

    /** The segment file's stamp now: identity, size and mtime. */
    static String stamp(Path segment) throws IOException {
        BasicFileAttributes a = Files.readAttributes(segment, BasicFileAttributes.class);
        return a.fileKey() + "/" + a.size() + "/" + a.lastModifiedTime().toMillis();
    }

    /** Whether the segment's checksum was verified while it had this stamp. */
    boolean verified(String name, String stamp) {
        return stamp.equals(checked.get(name));
    }

    /** Notes that this process verified the segment's checksum while it had this stamp (and mtime). */
    void verifiedNow(String name, String stamp, long mtimeMillis) {
        if (mtimeMillis < System.currentTimeMillis() - SessionIndex.RACY_MILLIS) {
            added.put(name, stamp);
        }
    }

    /** Writes the record if this process verified something new, keeping only the listed segments. */
    void saveIfChanged(java.util.Set<String> listed, FileIo io) {
        if (added.isEmpty()) {
            return;
        }
        checked.putAll(added);
        added.clear();
        for (Iterator<String> it = checked.keySet().iterator(); it.hasNext(); ) {
            if (!listed.contains(it.next())) {
                it.remove();
            }
        }
        ObjectNode segs = Json.object();
        checked.forEach(segs::put);
        ObjectNode root = Json.object();
        root.put("crc", crc(Json.compact(segs)));
        root.set("segments", segs);
        Path target = dir.resolve(FILE);
        Path tmp = AtomicFiles.tempFor(target);
        try (FileChannel ch = io.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            io.write(ch, ByteBuffer.wrap(Json.compact(root)), 0);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(tmp);
            LOG.debug("{}: cannot write ({})", target, e.getMessage());
            return;
        }
        try {
            io.move(tmp, target);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(tmp);
            LOG.debug("{}: cannot write ({})", target, e.getMessage());
        }
    }

    private static String crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return String.format("%08x", (int) c.getValue());
    }
}
