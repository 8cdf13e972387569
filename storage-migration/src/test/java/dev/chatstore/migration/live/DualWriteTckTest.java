package dev.chatstore.migration.live;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.mem.MemoryBackendProvider;
import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole kit against a dual-write backend over two mem stores: the primary answers, so every contract must hold
 * as for mem alone. On top, when a store of a test is closed, its secondary must equal its primary (a verify with no
 * finding) and the repair journal must be empty: every write reached both sides.
 */
class DualWriteTckTest extends ChatStoreTck {

    private static final AtomicLong STORES = new AtomicLong();

    @Override
    protected TckFixture fixture() {
        return new DualWriteFixture();
    }

    /** Opens a dual-write backend per store; checks the two sides agree when it is closed. */
    static final class DualWriteFixture implements TckFixture {
        private final List<Path> dirs = new ArrayList<>();
        private final StorageBackendProvider mem = new MemoryBackendProvider();

        @Override
        public StorageBackendProvider provider() {
            return new StorageBackendProvider() {
                @Override
                public String name() {
                    return "mem";
                }

                @Override
                public boolean supports(String url) {
                    return mem.supports(url);
                }

                @Override
                public String urlPattern() {
                    return mem.urlPattern();
                }

                @Override
                public StorageBackend open(BackendContext context) {
                    Path dir;
                    try {
                        dir = Files.createTempDirectory("chatstore-dualwrite-tck");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    synchronized (dirs) {
                        dirs.add(dir);
                    }
                    FileRepairJournal journal = FileRepairJournal.open(dir);
                    return new CheckedOnClose(mem.open(context), mem.open(context), journal, context.config());
                }
            };
        }

        @Override
        public void configure(ChatStoreConfig.Builder config) {
            config.url("mem:dual-" + STORES.incrementAndGet());
        }

        @Override
        public void cleanUp() {
            synchronized (dirs) {
                dirs.forEach(TckFixture::deleteTree);
                dirs.clear();
            }
        }
    }

    /** A dual-write backend that, when closed, asserts its secondary equals its primary and nothing was journaled. */
    static final class CheckedOnClose extends dev.chatstore.api.spi.ForwardingStorageBackend {
        private final DualWriteBackend dual;
        private final FileRepairJournal journal;
        private final ChatStoreConfig config;
        private boolean closed;

        CheckedOnClose(StorageBackend primary, StorageBackend secondary, FileRepairJournal journal,
                       ChatStoreConfig config) {
            this(new DualWriteBackend(primary, secondary, FailurePolicy.JOURNAL, Optional.of(journal)), journal, config);
        }

        private CheckedOnClose(DualWriteBackend dual, FileRepairJournal journal, ChatStoreConfig config) {
            super(dual);
            this.dual = dual;
            this.journal = journal;
            this.config = config;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                RepairJournal.Pending pending = journal.pending();
                VerifyReport report = Verifier.compare(dual.primary(), dual.secondary(), VerifyOptions.defaults());
                if (!pending.isEmpty() || !report.clean()) {
                    throw new AssertionError("dual-write left the secondary different from the primary: journal "
                            + pending.keys() + ", verify " + report.findings());
                }
            } finally {
                dual.close();
            }
        }
    }
}
