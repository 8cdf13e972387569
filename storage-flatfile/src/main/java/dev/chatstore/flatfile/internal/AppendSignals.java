package dev.chatstore.flatfile.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code users/<user>/appended}: every append to (or restore of) one of the user's session logs adds one byte to it,
 * after the log write. So a search can tell with one {@code stat} whether anybody but this store changed the user's
 * logs since it last looked at them (the file grew by more than this store's own appends): if not, this store's
 * views of the logs are current and the search touches no session; if so, it looks at every log again. Derived
 * data, never fsynced: when the file is missing or replaced, a search looks at every log. Appends write their byte
 * without any lock (O_APPEND), so concurrent writers do not queue behind each other here.
 */
final class AppendSignals {

    private static final Logger LOG = LoggerFactory.getLogger(AppendSignals.class);
    static final String FILE = "appended";
    private static final byte[] ONE = {'+'};

    private final StoreLayout layout;
    private final FileIo io;
    /**
     * Per user: this store's appends that started and that finished writing their byte. Appends never wait for
     * each other or for a search here; a search that finds one in flight simply looks at every log.
     */
    private final Map<String, Own> own = new ConcurrentHashMap<>();

    private static final class Own {
        final AtomicLong started = new AtomicLong();
        final AtomicLong finished = new AtomicLong();
        /** The open signal file and its identity (guarded by this): reopened when the path names another file. */
        FileChannel channel;
        Object channelKey;

        synchronized void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // one byte per append, nothing buffered
                }
                channel = null;
            }
        }
    }

    AppendSignals(StoreLayout layout, FileIo io) {
        this.layout = layout;
        this.io = io;
    }

    /**
     * The state of a user's signal file: its identity and size, and how many of its bytes this store wrote.
     * {@code fileKey} null: the file does not exist. {@code settled}: no append of this store was writing its byte
     * (then exactly {@code own} of the file's bytes are this store's).
     */
    record Stamp(Object fileKey, long size, long own, boolean settled) {

        /** Whether, since {@code before}, the file changed only by this store's own appends. */
        boolean onlyOwnSince(Stamp before) {
            return fileKey != null && settled && before.settled && Objects.equals(fileKey, before.fileKey)
                    && size - before.size == own - before.own;
        }
    }

    private Own ownOf(String userId) {
        return own.computeIfAbsent(userId, u -> new Own());
    }

    /** After an append to one of the user's session logs (the log write done): adds the byte and counts it. */
    void appended(String userId) {
        Path file = layout.userDir(userId).resolve(FILE);
        Own count = ownOf(userId);
        count.started.incrementAndGet();
        boolean written = false;
        try {
            FileChannel ch = channel(count, file);
            ByteBuffer b = ByteBuffer.wrap(ONE);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            written = true;
        } catch (IOException e) {
            // the append itself succeeded; other stores' searches see it once their views are refreshed
            LOG.warn("{}: cannot signal an append ({})", file, FlatfileExceptionTranslator.reason(e));
        }
        if (written) {
            count.finished.incrementAndGet();
        } else {
            count.started.decrementAndGet(); // no byte of ours (a stray one reads as another store's: a full look)
        }
    }

    /**
     * The signal file, kept open between appends; one {@code stat} per append checks that the path still names it
     * (the user may have been deleted and created again, by any process), else it is opened again.
     */
    private FileChannel channel(Own own, Path file) throws IOException {
        Object key = keyOf(file);
        synchronized (own) {
            if (own.channel == null || key == null || !key.equals(own.channelKey)) {
                own.close();
                own.channel = io.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND));
                own.channelKey = keyOf(file);
            }
            return own.channel;
        }
    }

    /** The file's identity, or null if it does not exist. */
    private static Object keyOf(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.fileKey() != null ? a.fileKey() : a.creationTime();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The user's signal as it is now (one {@code stat}). The counters are read around the {@code stat}: every
     * append that finished before it has its byte in the size, none that started after it does.
     */
    Stamp stamp(String userId) {
        Path file = layout.userDir(userId).resolve(FILE);
        Own count = ownOf(userId);
        long finished = count.finished.get();
        Object key;
        long size;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            key = a.fileKey() != null ? a.fileKey() : a.creationTime();
            size = a.size();
        } catch (NoSuchFileException e) {
            key = null;
            size = 0;
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", file, e);
        }
        long started = count.started.get();
        return new Stamp(key, size, finished, started == finished);
    }

    /** Forgets a deleted user's count and closes its signal file. */
    void forget(String userId) {
        Own o = own.remove(userId);
        if (o != null) {
            o.close();
        }
    }

    /** Closes every signal file (the store is closing). */
    void close() {
        for (Own o : own.values()) {
            o.close();
        }
    }
}
