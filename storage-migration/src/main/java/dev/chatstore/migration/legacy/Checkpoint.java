package dev.chatstore.migration.legacy;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.migration.EntityCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where an import stands, saved atomically (temp file, fsync, rename, fsync of the directory) so that a run
 * killed at any instant resumes from the last saved state: the source files are processed in a fixed order
 * ("units"), and a checkpoint says that units before {@code unit} are done and, in unit {@code unit}, its first
 * {@code position} records (chats, users, log files, ...). The counts and the report length at that instant are
 * saved with it, so the resumed run ends with the same summary and report as an uninterrupted one.
 *
 * @param identity     format, source and default user: a checkpoint of another run is ignored
 * @param unit         the unit in progress
 * @param unitName     its file name, for people reading the checkpoint
 * @param position     records of that unit already done
 * @param reportBytes  length of the report at that instant
 * @param reportLines  findings in the report at that instant
 * @param counts       per-entity counts at that instant
 * @param complete     whether the run finished (a finished run's checkpoint is not resumed from)
 */
record Checkpoint(String identity, int unit, String unitName, long position, long reportBytes, long reportLines,
                  Map<String, EntityCounts> counts, boolean complete) {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);

    /** The checkpoint at {@code file} if it belongs to a run with this identity and is not complete. */
    static Optional<Checkpoint> load(Path file, String identity) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Object doc = JsonValues.readDocument(Files.readAllBytes(file));
            if (!(doc instanceof Map<?, ?> m)) {
                throw new IOException("not a JSON object");
            }
            if (!identity.equals(m.get("identity"))) {
                LOG.warn("checkpoint {} belongs to another import ({}); starting over", file, m.get("identity"));
                return Optional.empty();
            }
            if (Boolean.TRUE.equals(m.get("complete"))) {
                return Optional.empty();
            }
            Map<String, EntityCounts> counts = new TreeMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) m.get("counts")).entrySet()) {
                List<?> c = (List<?>) e.getValue();
                counts.put((String) e.getKey(), new EntityCounts(num(c.get(0)), num(c.get(1)), num(c.get(2))));
            }
            return Optional.of(new Checkpoint(identity, (int) num(m.get("unit")), (String) m.get("unitName"),
                    num(m.get("position")), num(m.get("reportBytes")), num(m.get("reportLines")), counts, false));
        } catch (IOException | RuntimeException e) {
            throw new StorageIOException("the import checkpoint " + file + " is unreadable (" + e.getMessage()
                    + "); delete it to start the import over", e instanceof IOException io ? io : null);
        }
    }

    private static long num(Object o) {
        return ((Number) o).longValue();
    }

    void save(Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JsonValues.FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("identity", identity);
            g.writeNumberField("unit", unit);
            g.writeStringField("unitName", unitName);
            g.writeNumberField("position", position);
            g.writeNumberField("reportBytes", reportBytes);
            g.writeNumberField("reportLines", reportLines);
            g.writeObjectFieldStart("counts");
            for (Map.Entry<String, EntityCounts> e : counts.entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                g.writeNumber(e.getValue().imported());
                g.writeNumber(e.getValue().skipped());
                g.writeNumber(e.getValue().failed());
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeBooleanField("complete", complete);
            g.writeEndObject();
        } catch (IOException e) {
            throw new StorageIOException("cannot encode the checkpoint: " + e, e);
        }
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = dir.resolve(abs.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(out.toByteArray()));
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // some platforms cannot open a directory for fsync; the rename is still atomic
            }
        } catch (IOException e) {
            throw new StorageIOException("cannot write the import checkpoint " + abs + ": " + e, e);
        }
    }
}
