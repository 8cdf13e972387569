package dev.chatstore.flatfile.internal;

import dev.chatstore.api.model.HealthReport;
import dev.chatstore.api.spi.ContextRepository;
import dev.chatstore.api.spi.CredentialRepository;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.spi.MessageLogs;
import dev.chatstore.api.spi.MessageSearch;
import dev.chatstore.api.spi.PanelRepository;
import dev.chatstore.api.spi.PersonaRepository;
import dev.chatstore.api.spi.SessionRepository;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.api.spi.UsageTotalsSource;
import dev.chatstore.api.spi.UserRepository;
import dev.chatstore.api.config.Durability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The flatfile backend: one directory tree of JSON files and JSONL logs (layout in FORMAT.md and
 * {@link StoreLayout}), one repository class per kind of record over a shared {@link FlatfileStore}, opened and
 * recovered by {@link StoreOpener}.
 */
public final class FlatfileBackend implements StorageBackend {

    private final FlatfileStore store;
    private final FlatfileUsers users;
    private final FlatfileSessions sessions;
    private final FlatfileLogs logs;
    private final FlatfileDocuments documents;
    private final FlatfileContexts contexts;
    private final FlatfilePanels panels;
    private final FlatfilePersonas personas;
    private final FlatfileCredentials credentials;
    private final FlatfileSearch search;
    private final FlatfileMaintenance maintenance;
    private final ScheduledExecutorService flusher;
    private boolean closed;

    private FlatfileBackend(FlatfileStore store) {
        this.store = store;
        this.sessions = new FlatfileSessions(store);
        this.panels = new FlatfilePanels(store);
        this.search = new FlatfileSearch(store, sessions);
        this.users = new FlatfileUsers(store, userId -> {
            sessions.forgetIndex(userId);
            search.forget(userId);
        });
        this.logs = new FlatfileLogs(store, sessions, panels, search::appended);
        this.documents = new FlatfileDocuments(store, sessions);
        this.contexts = new FlatfileContexts(store, sessions);
        this.personas = new FlatfilePersonas(store);
        this.credentials = new FlatfileCredentials(store);
        this.maintenance = new FlatfileMaintenance(store, sessions, panels, search);
        if (store.durability() == Durability.BATCH) {
            flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chatstore-flatfile-flush " + store.root());
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(1, store.options.batchInterval().toMillis());
            flusher.scheduleWithFixedDelay(store::flushAll, every, every, TimeUnit.MILLISECONDS);
        } else {
            flusher = null;
        }
    }

    /** Opens (creating if needed) the store in {@code root}. */
    public static FlatfileBackend open(Path root, FileIo io, FlatfileOptions options) {
        return new FlatfileBackend(StoreOpener.open(root, io, options));
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public UserRepository users() {
        return users;
    }

    @Override
    public SessionRepository sessions() {
        return sessions;
    }

    @Override
    public MessageLogs logs() {
        return logs;
    }

    @Override
    public DocumentRepository documents() {
        return documents;
    }

    @Override
    public ContextRepository contexts() {
        return contexts;
    }

    @Override
    public PanelRepository panels() {
        return panels;
    }

    @Override
    public PersonaRepository personas() {
        return personas;
    }

    @Override
    public CredentialRepository credentials() {
        return credentials;
    }

    @Override
    public Optional<MessageSearch> search() {
        return Optional.of(search);
    }

    @Override
    public Optional<UsageTotalsSource> usage() {
        return Optional.of(search);
    }

    @Override
    public Optional<StoreMaintenance> maintenance() {
        return Optional.of(maintenance);
    }

    /** Whether a failed fsync made this store refuse writes. */
    public Poison poison() {
        return store.poison;
    }

    @Override
    public HealthReport health() {
        long start = System.nanoTime();
        if (store.closed()) {
            return new HealthReport("file", false, false, OptionalLong.empty(), Duration.ZERO, Optional.of("closed"));
        }
        Path root = store.root();
        boolean reachable = Files.isDirectory(root);
        boolean writable = false;
        Optional<String> detail = Optional.empty();
        if (store.poison.isSet()) {
            detail = Optional.of(store.poison.reason());
        } else if (store.readOnly()) {
            detail = Optional.of("opened read-only (store.read-only=true)");
        } else {
            Path probe = AtomicFiles.tempFor(root.resolve("health-probe"));
            try (FileChannel ch = store.io.open(probe, EnumSet.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE))) {
                store.io.write(ch, ByteBuffer.wrap(new byte[]{'o', 'k'}), 0);
                writable = true;
            } catch (IOException e) {
                detail = Optional.of(FlatfileExceptionTranslator.message("write in", root, e));
            } finally {
                AtomicFiles.deleteQuietly(probe);
            }
        }
        long size = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            size = walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            detail = detail.or(() -> Optional.of(FlatfileExceptionTranslator.message("measure", root, e)));
        } catch (UncheckedIOException e) {
            detail = detail.or(() -> Optional.of(FlatfileExceptionTranslator.message("measure", root, e.getCause())));
        }
        return new HealthReport("file", reachable, writable, OptionalLong.of(size),
                Duration.ofNanos(System.nanoTime() - start), detail);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (flusher != null) {
            flusher.shutdownNow();
            try {
                flusher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            store.flushAll();
        }
        search.close();
        store.close();
    }
}
