package dev.chatstore.flatfile.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * {@code search-index/manifest.json} of a user's {@link SearchIndex}: {@code {"crc":…, "index":{…}}} where {@code crc}
 * is the CRC32C of the compact JSON of {@code index}, which lists the segments and, per session, the log it covers
 * (see FORMAT.md).
 *
 * @param stamp         the file's identity when it was read (null for one not read from disk)
 * @param generation    increases with every manifest written
 * @param minWordLength the word length the segments were built with
 * @param segments      the live segments
 * @param bySession     the indexed log of each session
 * @param nextSlot      the next free slot number
 * @param deadDocs      documents in the segments whose slot is no longer live
 */
record SearchManifest(Object stamp, long generation, int minWordLength, List<SegmentRef> segments,
                      Map<String, Slot> bySession, int nextSlot, long deadDocs) {

    /** One indexed log. */
    record Slot(int slot, String sessionId, String fileKey, long lines, String lastId) {
    }

    /** A segment file and its number of documents. */
    record SegmentRef(String file, int docs) {
    }

    static SearchManifest empty(int minWordLength, long generation) {
        return new SearchManifest(null, generation, minWordLength, List.of(), Map.of(), 0, 0);
    }

    /** The identity, size and times of the manifest file: a new value means another manifest. */
    static Object stamp(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime(), a.creationTime());
    }

    /** Parses and checks the manifest; throws IllegalArgumentException when it is damaged or of another version. */
    static SearchManifest parse(Path file, Object stamp, int minWordLength) {
        ObjectNode root = Json.readFile(file).orElseThrow(() -> new IllegalArgumentException("vanished"));
        JsonNode body = Json.req(root, "index");
        if (!crc(Json.compact((ObjectNode) body)).equals(root.path("crc").asText())) {
            throw new IllegalArgumentException("checksum mismatch");
        }
        if (body.path("version").asInt() != 1) {
            throw new IllegalArgumentException("unknown version " + body.path("version"));
        }
        int mwl = body.path("minWordLength").asInt();
        List<SegmentRef> segs = new ArrayList<>();
        for (JsonNode s : body.path("segments")) {
            String name = s.path("file").asText();
            if (!name.startsWith("seg-") || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("bad segment name " + name);
            }
            segs.add(new SegmentRef(name, s.path("docs").asInt()));
        }
        Map<String, Slot> slots = new HashMap<>();
        for (JsonNode s : body.path("logs")) {
            Slot slot = new Slot(s.path("slot").asInt(), s.path("session").asText(), s.path("fileKey").asText(),
                    s.path("lines").asLong(), s.path("lastId").asText());
            slots.put(slot.sessionId(), slot);
        }
        if (mwl != minWordLength) {
            return new SearchManifest(stamp, body.path("generation").asLong(), minWordLength, List.of(), Map.of(),
                    body.path("nextSlot").asInt(), 0); // built for another word length: start over
        }
        return new SearchManifest(stamp, body.path("generation").asLong(), mwl, List.copyOf(segs), slots,
                body.path("nextSlot").asInt(), body.path("deadDocs").asLong());
    }

    private static String crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return String.format("%08x", (int) c.getValue());
    }

    /** Writes a new manifest (temporary file and rename; derived data, not fsynced). */
    static void write(FileIo io, Path target, long generation, int minWordLength, List<SegmentRef> refs,
                      Map<String, Slot> slots, int nextSlot, long deadDocs) throws IOException {
        ObjectNode body = Json.object();
        body.put("format", "chatstore-search-index");
        body.put("version", 1);
        body.put("generation", generation);
        body.put("minWordLength", minWordLength);
        body.put("nextSlot", nextSlot);
        body.put("deadDocs", deadDocs);
        ArrayNode segs = body.putArray("segments");
        for (SegmentRef r : refs) {
            segs.addObject().put("file", r.file()).put("docs", r.docs());
        }
        ArrayNode logArr = body.putArray("logs");
        for (Slot s : slots.values()) {
            logArr.addObject().put("slot", s.slot()).put("session", s.sessionId()).put("fileKey", s.fileKey())
                    .put("lines", s.lines()).put("lastId", s.lastId());
        }
        ObjectNode root = Json.object();
        root.put("crc", crc(Json.compact(body)));
        root.set("index", body);
        Path tmp = AtomicFiles.tempFor(target);
        try (FileChannel ch = io.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            io.write(ch, java.nio.ByteBuffer.wrap(Json.pretty(root)), 0);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw e;
        }
        io.move(tmp, target);
    }

}
