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

/**
 * {@code users/<user>/appended}: every append to (or restore of) one of the user's session logs adds one byte to it,
 * after the log write. So a search can tell with one {@code stat} whether anybody but this store changed the user's
 * logs since it last looked at them (the file grew by more than this store's own appends): if not, this store's
 * views of the logs are current and the search touches no session; if so, it looks at every log again. Derived
 * data, never fsynced: when the file is missing or replaced, a search looks at every log.
 */
final class AppendSignals {

    private static final Logger LOG = LoggerFactory.getLogger(AppendSignals.class);
    static final String FILE = "appended";
    private static final byte[] ONE = {'+'};

    private final StoreLayout layout;
    private final FileIo io;
    /** Per user: how many bytes this store added; its monitor makes "write a byte, count it" one step for a reader. */
    private final Map<String, long[]> own = new ConcurrentHashMap<>();

    AppendSignals(StoreLayout layout, FileIo io) {
        this.layout = layout;
        this.io = io;
    }

    /**
     * The state of a user's signal file: its identity and size, and how many of its bytes this store wrote.
     * {@code fileKey} null: the file does not exist.
     */
    record Stamp(Object fileKey, long size, long own) {

        /** Whether, since {@code before}, the file changed only by this store's own appends. */
        boolean onlyOwnSince(Stamp before) {
            return fileKey != null && Objects.equals(fileKey, before.fileKey)
                    && size - before.size == own - before.own;
        }
    }

    private long[] ownOf(String userId) {
        return own.computeIfAbsent(userId, u -> new long[1]);
    }

    /** After an append to one of the user's session logs (the log write done): adds the byte and counts it. */
    void appended(String userId) {
        Path file = layout.userDir(userId).resolve(FILE);
        long[] count = ownOf(userId);
        synchronized (count) {
            try (FileChannel ch = io.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND))) {
                ByteBuffer b = ByteBuffer.wrap(ONE);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                count[0]++;
            } catch (IOException e) {
                // the append itself succeeded; other stores' searches see it once their views are refreshed
                LOG.warn("{}: cannot signal an append ({})", file, FlatfileExceptionTranslator.reason(e));
            }
        }
    }

    /** The user's signal as it is now (one {@code stat}). */
    Stamp stamp(String userId) {
        Path file = layout.userDir(userId).resolve(FILE);
        long[] count = ownOf(userId);
        synchronized (count) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(a.fileKey() != null ? a.fileKey() : a.creationTime(), a.size(), count[0]);
            } catch (NoSuchFileException e) {
                return new Stamp(null, 0, count[0]);
            } catch (IOException e) {
                throw FlatfileExceptionTranslator.io("read", file, e);
            }
        }
    }

    /** Forgets a deleted user's count. */
    void forget(String userId) {
        own.remove(userId);
    }
}
