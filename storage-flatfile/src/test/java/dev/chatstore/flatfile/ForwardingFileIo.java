package dev.chatstore.flatfile;

import dev.chatstore.flatfile.internal.FileIo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/** The real file system; tests that inject faults or count reads override only the calls they change. */
class ForwardingFileIo implements FileIo {

    private final FileIo real = FileIo.system();

    @Override
    public FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
        return real.open(file, options);
    }

    @Override
    public void write(FileChannel channel, ByteBuffer src, long position) throws IOException {
        real.write(channel, src, position);
    }

    @Override
    public void force(FileChannel channel) throws IOException {
        real.force(channel);
    }

    @Override
    public void truncate(FileChannel channel, long size) throws IOException {
        real.truncate(channel, size);
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        real.move(from, to);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        real.fsyncDirectory(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        real.createDirectories(dir);
    }
}
