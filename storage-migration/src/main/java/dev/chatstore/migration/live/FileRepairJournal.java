package dev.chatstore.migration.live;

import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RepairJournal} in two files of one directory: {@code repair-journal.jsonl}, append-only, one JSON object per
 * line ({@code {"at":"...","key":{...},"cause":"..."}}), each entry written with one {@code write} in append mode
 * (several processes may append) and forced to disk before {@link #record} returns; and
 * {@code repair-journal.repaired}, the byte offset up to which every entry was repaired, replaced atomically (temp
 * file, fsync, rename). A last line without its newline may be an entry being written and is left for the next
 * repair; a line that is not an entry (a writer killed mid-write, never acknowledged) is skipped with a warning.
 */
public final class FileRepairJournal implements RepairJournal {

    public static final String JOURNAL_FILE = "repair-journal.jsonl";
    public static final String REPAIRED_FILE = "repair-journal.repaired";

    private static final Logger LOG = LoggerFactory.getLogger(FileRepairJournal.class);

    private final Path journal;
    private final Path repaired;
    private final FileChannel out;

    private FileRepairJournal(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.journal = dir.resolve(JOURNAL_FILE);
        this.repaired = dir.resolve(REPAIRED_FILE);
        this.out = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    /** Opens (creating if needed) the journal in {@code dir}. */
    public static FileRepairJournal open(Path dir) {
        try {
            return new FileRepairJournal(dir);
        } catch (IOException e) {
            throw new StorageIOException("cannot open the repair journal in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The journal file. */
    public Path file() {
        return journal;
    }

    @Override
    public synchronized void record(SyncKey key, String cause) {
        Instant now = Instant.now();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("at", now.toString());
        line.put("key", key.toJson());
        line.put("cause", cause == null ? "" : cause);
        // The leading newline ends a torn line a crashed writer may have left, so this entry is a line of its own.
        byte[] bytes = ("\n" + JsonCodec.write(JsonObject.from(line)) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
        } catch (IOException e) {
            throw new StorageIOException("cannot record " + key.toJson() + " in the repair journal " + journal
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Pending pending() {
        long from = repairedThrough();
        byte[] all;
        try {
            all = Files.readAllBytes(journal);
        } catch (IOException e) {
            throw new StorageIOException("cannot read the repair journal " + journal + ": " + e.getMessage(), e);
        }
        Set<SyncKey> keys = new LinkedHashSet<>();
        long entries = 0;
        int lineStart = (int) Math.min(from, all.length);
        int through = lineStart;
        for (int i = lineStart; i < all.length; i++) {
            if (all[i] != '\n') {
                continue;
            }
            String text = new String(all, lineStart, i - lineStart, StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                try {
                    JsonObject entry = JsonCodec.parseObject(text);
                    keys.add(SyncKey.fromJson((JsonObject) entry.members().get("key")));
                    entries++;
                } catch (ValidationException | ClassCastException | NullPointerException e) {
                    // A writer killed mid-write leaves a prefix of an entry it never acknowledged; the next entry
                    // starts on a new line. Verify, required before cutover, finds the key if it mattered.
                    LOG.warn("repair journal {}: skipping an incomplete entry at offset {} (a writer killed "
                            + "mid-write): {}", journal, lineStart, e.getMessage());
                }
            }
            lineStart = i + 1;
            through = lineStart;
        }
        if (lineStart < all.length) {
            LOG.warn("repair journal {} ends with an incomplete entry at offset {} (a crash mid-write or a writer "
                    + "still writing); it is left for the next repair", journal, lineStart);
        }
        return new Pending(new ArrayList<>(keys), entries, through);
    }

    @Override
    public synchronized void markRepaired(Pending batch) {
        if (batch.through() <= repairedThrough()) {
            return;
        }
        AtomicFiles.write(repaired, Long.toString(batch.through()));
    }

    /** The byte offset up to which every entry is repaired. */
    long repairedThrough() {
        if (!Files.exists(repaired)) {
            return 0;
        }
        String text = AtomicFiles.read(repaired).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new StorageCorruptionException(repaired.toString(), 0, "not a byte offset: '" + text + "'");
        }
    }

    /** The journal file's modification time: it moves with every append, by this process or another. */
    @Override
    public Optional<Instant> lastRecordedAt() {
        try {
            if (Files.size(journal) == 0) {
                return Optional.empty();
            }
            return Optional.of(Files.getLastModifiedTime(journal).toInstant());
        } catch (IOException e) {
            throw new StorageIOException("cannot read the repair journal " + journal + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("closing the repair journal {} failed", journal, e);
        }
    }
}
