package dev.chatstore.flatfile.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;

/**
 * A log's offset index ({@code messages.idx}, Kafka's {@code .index}): one 16-byte big-endian entry per record, the
 * byte offset of its line and the largest createdAt (epoch millis) of all records up to it. Derived data: written
 * after the log, never fsynced, replaced whenever it disagrees with the log. Not thread-safe; {@link MessageLog}
 * guards it.
 *
 * <p>A read-only store keeps its indexes in memory ({@link #inMemory}): they start as the file's bytes and every
 * change (a rebuild, entries for an unindexed tail) stays in memory, so reading never writes.
 */
final class OffsetIndex implements AutoCloseable {

    /** Bytes per entry. */
    static final int ENTRY = 16;

    private final Path file;
    private final FileIo io;
    private FileChannel channel;
    /** The entries of an in-memory index (null when the index is the file). */
    private ByteBuffer memory;

    private OffsetIndex(Path file, FileIo io, FileChannel channel, ByteBuffer memory) {
        this.file = file;
        this.io = io;
        this.channel = channel;
        this.memory = memory;
    }

    /** Opens (creating if needed) the index file. */
    static OffsetIndex open(Path file, FileIo io) throws IOException {
        return new OffsetIndex(file, io, io.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)), null);
    }

    /** An index in memory, starting as the file's entries (none if it cannot be read); never writes the file. */
    static OffsetIndex inMemory(Path file) {
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(file);
        } catch (IOException e) {
            bytes = new byte[0]; // derived data: missing or unreadable means "rebuild from the log", in memory
        }
        ByteBuffer memory = ByteBuffer.allocate(Math.max(ENTRY * 64, bytes.length));
        memory.put(bytes);
        return new OffsetIndex(file, null, null, memory);
    }

    private long size() throws IOException {
        return memory != null ? memory.position() : channel.size();
    }

    Path file() {
        return file;
    }

    /** The number of whole entries in the file. */
    long entries() throws IOException {
        return size() / ENTRY;
    }

    /** Whether the file holds a whole number of entries. */
    boolean whole() throws IOException {
        return size() % ENTRY == 0;
    }

    /** Entry {@code i}: {offset, maxCreatedAtMillis}. */
    long[] entry(long i) throws IOException {
        if (memory != null) {
            if ((i + 1) * ENTRY > memory.position()) {
                throw new IOException("index shorter than expected");
            }
            return new long[]{memory.getLong((int) (i * ENTRY)), memory.getLong((int) (i * ENTRY) + 8)};
        }
        ByteBuffer bb = ByteBuffer.allocate(ENTRY);
        while (bb.hasRemaining()) {
            if (channel.read(bb, i * ENTRY + bb.position()) < 0) {
                throw new IOException("index shorter than expected");
            }
        }
        bb.flip();
        return new long[]{bb.getLong(), bb.getLong()};
    }

    /** Writes {@code entries} ({offset, max} pairs) starting at entry number {@code at}. */
    void write(long at, Entries entries) throws IOException {
        if (memory != null) {
            ByteBuffer add = entries.buffer();
            int end = (int) (at * ENTRY) + add.remaining();
            if (end > memory.capacity()) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(end, memory.capacity() * 2));
                memory.flip();
                bigger.put(memory);
                memory = bigger;
            }
            memory.position((int) (at * ENTRY));
            memory.put(add);
            return;
        }
        io.write(channel, entries.buffer(), at * ENTRY);
    }

    /** Cuts the file to {@code entries} entries if it is longer (or not whole). */
    void truncate(long entries) throws IOException {
        if (memory != null) {
            memory.position((int) Math.min(memory.position(), entries * ENTRY));
            return;
        }
        if (channel.size() != entries * ENTRY) {
            io.truncate(channel, entries * ENTRY);
        }
    }

    /** Whether the file holds exactly these entries. */
    boolean matches(Entries expected) throws IOException {
        ByteBuffer want = expected.buffer();
        if (size() != want.remaining()) {
            return false;
        }
        if (memory != null) {
            ByteBuffer have = memory.duplicate();
            have.flip();
            return have.equals(want);
        }
        ByteBuffer actual = ByteBuffer.allocate(want.remaining());
        while (actual.hasRemaining() && channel.read(actual, actual.position()) >= 0) {
            // read all
        }
        actual.flip();
        return actual.equals(want);
    }

    /** Replaces the file with exactly these entries (temporary file and rename, so readers never see a mix). */
    void replace(Entries expected) throws IOException {
        if (memory != null) {
            memory = ByteBuffer.allocate(Math.max(ENTRY * 64, expected.buffer().remaining()));
            memory.put(expected.buffer());
            return;
        }
        Path tmp = AtomicFiles.tempFor(file);
        try (FileChannel t = io.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            io.write(t, expected.buffer(), 0);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw e;
        }
        io.move(tmp, file);
        FileChannel old = channel;
        channel = io.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
        old.close();
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // derived data; nothing to lose
        }
    }

    /** A growing list of entries, as they are written to the file. */
    static final class Entries {
        private ByteBuffer bytes;

        Entries(int expected) {
            bytes = ByteBuffer.allocate(Math.max(ENTRY, expected * ENTRY));
        }

        /** Capacity for a log of {@code logBytes} (a record is rarely shorter than 64 bytes). */
        static Entries forLogOf(long logBytes) {
            return new Entries((int) Math.min((Integer.MAX_VALUE - 64) / ENTRY, Math.max(64, logBytes / 64)));
        }

        void add(long offset, long maxCreatedAtMillis) {
            if (bytes.remaining() < ENTRY) {
                ByteBuffer bigger = ByteBuffer.allocate(bytes.capacity() * 2);
                bytes.flip();
                bigger.put(bytes);
                bytes = bigger;
            }
            bytes.putLong(offset).putLong(maxCreatedAtMillis);
        }

        int size() {
            return bytes.position() / ENTRY;
        }

        boolean isEmpty() {
            return bytes.position() == 0;
        }

        /** A read-only view of the entries so far. */
        ByteBuffer buffer() {
            ByteBuffer view = bytes.duplicate();
            view.flip();
            return view.asReadOnlyBuffer();
        }

        /** The bytes, e.g. for a checker comparing with the file. */
        byte[] toArray() {
            ByteBuffer b = buffer();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }
    }
}
