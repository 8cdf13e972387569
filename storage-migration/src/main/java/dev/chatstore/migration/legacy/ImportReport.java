package dev.chatstore.migration.legacy;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.chatstore.api.error.StorageIOException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The JSONL report of an import: one {@link Finding} per line. Lines are buffered and reach the file at each
 * checkpoint ({@link #flush}); the file's length then is stored in the checkpoint, so a resumed run cuts off
 * whatever an interrupted one wrote after it and the report holds every finding exactly once.
 */
final class ImportReport implements AutoCloseable {

    private final Optional<FileChannel> channel;
    private final Path file;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private long lines;

    /** Opens the report, keeping its first {@code keepBytes} bytes (0 for a new run). */
    ImportReport(Optional<Path> file, long keepBytes, long keptLines) {
        this.file = file.orElse(null);
        this.lines = keptLines;
        if (file.isEmpty()) {
            this.channel = Optional.empty();
            return;
        }
        try {
            Path parent = file.get().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            FileChannel ch = FileChannel.open(file.get(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            ch.truncate(keepBytes);
            ch.position(Math.min(keepBytes, ch.size()));
            this.channel = Optional.of(ch);
        } catch (IOException e) {
            throw new StorageIOException("cannot open the import report " + file.get() + ": " + e, e);
        }
    }

    void add(Finding f) {
        lines++;
        if (channel.isEmpty()) {
            return;
        }
        try (JsonGenerator g = JsonValues.FACTORY.createGenerator(buffer)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartObject();
            g.writeStringField("file", f.file());
            if (f.line() > 0) {
                g.writeNumberField("line", f.line());
            }
            if (!f.path().isEmpty()) {
                g.writeStringField("path", f.path());
            }
            g.writeStringField("entity", f.entity());
            g.writeStringField("id", f.id());
            g.writeStringField("outcome", f.outcome());
            g.writeStringField("reason", f.reason());
            g.writeEndObject();
        } catch (IOException e) {
            throw new StorageIOException("cannot encode a report line: " + e, e);
        }
        buffer.write('\n');
        if (buffer.size() > 1 << 16) {
            flush();
        }
    }

    /** Lines reported so far (kept ones included). */
    long lines() {
        return lines;
    }

    /** Writes buffered lines and returns the file's length (0 without a file). */
    long flush() {
        if (channel.isEmpty()) {
            return 0;
        }
        try {
            FileChannel ch = channel.get();
            ByteBuffer b = ByteBuffer.wrap(buffer.toByteArray());
            while (b.hasRemaining()) {
                ch.write(b);
            }
            buffer.reset();
            return ch.position();
        } catch (IOException e) {
            throw new StorageIOException("cannot write the import report " + file + ": " + e, e);
        }
    }

    @Override
    public void close() {
        flush();
        if (channel.isPresent()) {
            try {
                channel.get().force(true);
                channel.get().close();
            } catch (IOException e) {
                throw new StorageIOException("cannot close the import report " + file + ": " + e, e);
            }
        }
    }
}
