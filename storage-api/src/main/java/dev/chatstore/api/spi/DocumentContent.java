package dev.chatstore.api.spi;

import dev.chatstore.api.error.LimitExceededException;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The bytes of a document being saved, as a stream the backend reads once. While it is read it counts the
 * bytes, computes their SHA-256 and throws {@link LimitExceededException} as soon as the configured maximum is
 * passed (the backend must then leave nothing behind). After the end of the stream, {@link #size()} and
 * {@link #sha256()} describe what was read.
 */
public final class DocumentContent extends InputStream {

    private final InputStream source;
    private final long maxBytes;
    private final String limitKey;
    private final MessageDigest digest;
    private long size;
    private boolean finished;

    public DocumentContent(InputStream source, long maxBytes, String limitKey) {
        this.source = Objects.requireNonNull(source, "source");
        this.maxBytes = maxBytes;
        this.limitKey = limitKey;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (finished) {
            return -1;
        }
        int n = source.read(b, off, len);
        if (n < 0) {
            finished = true;
            return -1;
        }
        size += n;
        if (size > maxBytes) {
            throw new LimitExceededException(limitKey, maxBytes, size);
        }
        digest.update(b, off, n);
        return n;
    }

    /** Whether the end of the stream has been reached. */
    public boolean finished() {
        return finished;
    }

    /** Reads whatever is left, so that size and hash are complete. */
    public void drain() throws IOException {
        byte[] buffer = new byte[8192];
        while (read(buffer, 0, buffer.length) >= 0) {
            // counting and hashing happen in read
        }
    }

    /** The number of bytes read; final once {@link #finished()}. */
    public long size() {
        return size;
    }

    /** The lowercase hex SHA-256 of the bytes read. */
    public String sha256() {
        if (!finished) {
            throw new IllegalStateException("the document has not been read to its end");
        }
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
