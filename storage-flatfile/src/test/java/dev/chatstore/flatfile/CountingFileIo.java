package dev.chatstore.flatfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real file system, counting the bytes read through channels opened on files of one name (e.g.
 * {@code messages.jsonl}): how a test proves that a read did not touch the whole log.
 */
final class CountingFileIo extends ForwardingFileIo {

    private final String fileName;
    private final AtomicLong bytesRead = new AtomicLong();

    CountingFileIo(String fileName) {
        this.fileName = fileName;
    }

    long bytesRead() {
        return bytesRead.get();
    }

    void reset() {
        bytesRead.set(0);
    }

    @Override
    public FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
        FileChannel ch = super.open(file, options);
        return file.getFileName().toString().equals(fileName) ? new Counting(ch) : ch;
    }

    /** A channel that forwards everything and counts what it reads. */
    private final class Counting extends FileChannel {
        private final FileChannel in;

        Counting(FileChannel in) {
            this.in = in;
        }

        private long counted(long n) {
            if (n > 0) {
                bytesRead.addAndGet(n);
            }
            return n;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return (int) counted(in.read(dst));
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return counted(in.read(dsts, offset, length));
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return (int) counted(in.read(dst, position));
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return in.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return in.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return in.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return in.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            in.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return in.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            in.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            in.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return counted(in.transferTo(position, count, target));
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return in.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new UnsupportedOperationException("a counted channel cannot be mapped");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return in.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return in.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            in.close();
        }
    }
}
