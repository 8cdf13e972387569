package dev.chatstore.flatfile.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatstore.api.error.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * {@code messages.verified} beside a log: "the first {@code records} records of this log file, up to byte
 * {@code offset}, were checked record by record" (by a full scan, by recovery of a tail, or because this code wrote
 * them). The next process that reads the log in order then checks only what follows that offset, so its first read
 * costs what a warm read costs (Kafka's recovery point, {@code recovery-point-offset-checkpoint}).
 *
 * <p>The mark is derived data, like {@code messages.idx}: one JSON object {@code {"crc":…,"verified":{…}}} whose
 * {@code crc} is the CRC32C of the compact JSON of {@code verified}; written by temporary file and rename, never
 * fsynced; ignored (the log is then checked in full) when it is missing, fails its checksum, names another file
 * identity (the log was replaced, e.g. by an editor or {@code sed -i}), or no longer agrees with the log: the log is
 * shorter than {@code offset}, the index does not point at an intact record ending exactly there with the recorded
 * seq and times, or that last line's bytes have another CRC32C. What it cannot see is a change inside the verified
 * prefix that keeps the file and its last verified line: such a record is found damaged when it is read (every
 * record read is checked), by {@code chatstore check}, or by {@code backend.verify-on-open=full}, which ignore the mark.
 */
final class VerifiedPrefix {

    private static final Logger LOG = LoggerFactory.getLogger(VerifiedPrefix.class);
    static final String FILE = "messages.verified";

    private VerifiedPrefix() {
    }

    static Path fileOf(Path ownerDir) {
        return ownerDir.resolve(FILE);
    }

    /**
     * The verified end the mark vouches for, if it still agrees with the log and its index (see the class comment);
     * empty otherwise. Reads the mark, one index entry and the last verified line.
     */
    static Optional<LogEnd> read(Path file, Object fileKey, FileChannel log, OffsetIndex index, String location)
            throws IOException {
        LogEnd mark;
        String lineCrc;
        try {
            Optional<ObjectNode> root = Json.readFile(file);
            if (root.isEmpty()) {
                return Optional.empty();
            }
            JsonNode body = root.get().path("verified");
            if (!body.isObject() || !crc(Json.compact((ObjectNode) body)).equals(root.get().path("crc").asText())
                    || body.path("version").asInt() != 1
                    || !String.valueOf(fileKey).equals(body.path("fileKey").asText())) {
                return Optional.empty();
            }
            mark = new LogEnd(body.path("records").asLong(), body.path("offset").asLong(),
                    body.path("lastSeq").asLong(), body.path("lastCreatedAt").asLong(),
                    body.path("maxCreatedAt").asLong());
            lineCrc = body.path("lastLineCrc").asText();
        } catch (StorageException e) {
            LOG.debug("{}: ignored ({})", file, e.getMessage());
            return Optional.empty(); // derived data: a damaged mark only means "check the whole log"
        }
        if (mark.records() <= 0 || mark.offset() > log.size() || !index.whole() || index.entries() < mark.records()
                || index.entry(0)[0] != 0) {
            return Optional.empty();
        }
        Optional<LogEnd> atEntry = LogRecovery.endAtEntry(log, index, mark.records(), location);
        if (atEntry.isEmpty() || !atEntry.get().equals(mark)) {
            return Optional.empty();
        }
        long lineStart = index.entry(mark.records() - 1)[0];
        return lineCrc.equals(crcOf(log, lineStart, mark.offset())) ? atEntry : Optional.empty();
    }

    /** Records {@code end} as verified (temporary file and rename; not fsynced). */
    static void write(Path file, Object fileKey, LogEnd end, FileChannel log, OffsetIndex index, FileIo io)
            throws IOException {
        ObjectNode body = Json.object();
        body.put("format", "chatstore-log-verified");
        body.put("version", 1);
        body.put("fileKey", String.valueOf(fileKey));
        body.put("records", end.records());
        body.put("offset", end.offset());
        body.put("lastSeq", end.lastSeq());
        body.put("lastCreatedAt", end.lastCreatedAt());
        body.put("maxCreatedAt", end.maxCreatedAt());
        body.put("lastLineCrc", crcOf(log, index.entry(end.records() - 1)[0], end.offset()));
        ObjectNode root = Json.object();
        root.put("crc", crc(Json.compact(body)));
        root.set("verified", body);
        Path tmp = AtomicFiles.tempFor(file);
        try (FileChannel ch = io.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            io.write(ch, ByteBuffer.wrap(Json.compact(root)), 0);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw e;
        }
        io.move(tmp, file);
    }

    private static String crcOf(FileChannel log, long from, long to) throws IOException {
        byte[] b = new byte[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(0, to - from))];
        int n = LogReader.readFully(log, b, from);
        CRC32C c = new CRC32C();
        c.update(b, 0, n);
        return String.format("%08x", (int) c.getValue());
    }

    private static String crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return String.format("%08x", (int) c.getValue());
    }
}
