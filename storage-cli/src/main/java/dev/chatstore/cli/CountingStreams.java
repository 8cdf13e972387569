package dev.chatstore.cli;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams that count what passes through them for {@link Progress}: the lines of an export (one record per line)
 * and the bytes of an import. Closing them closes the stream they wrap.
 */
final class CountingStreams {

    private CountingStreams() {
    }

    /** Counts the lines written (records of an export) and reports each new count. */
    static OutputStream lines(OutputStream out, Progress progress) {
        return new FilterOutputStream(out) {
            private long lines;

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                if (b == '\n') {
                    progress.advanceTo(++lines);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                for (int i = off; i < off + len; i++) {
                    if (b[i] == '\n') {
                        lines++;
                    }
                }
                progress.advanceTo(lines);
            }
        };
    }

    /** Counts the bytes read, reporting them as progress, and the lines read, reporting them as its detail. */
    static InputStream bytesAndLines(InputStream in, Progress progress) {
        return new FilterInputStream(in) {
            private long bytes;
            private long lines;

            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    count(b == '\n' ? 1 : 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    int newLines = 0;
                    for (int i = off; i < off + n; i++) {
                        if (b[i] == '\n') {
                            newLines++;
                        }
                    }
                    count(newLines, n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = in.skip(n);
                count(0, skipped);
                return skipped;
            }

            @Override
            public boolean markSupported() {
                return false;
            }

            private void count(int newLines, long newBytes) {
                lines += newLines;
                bytes += newBytes;
                progress.detail(String.format(java.util.Locale.ROOT, "%,d lines read", lines));
                progress.advanceTo(bytes);
            }
        };
    }
}
