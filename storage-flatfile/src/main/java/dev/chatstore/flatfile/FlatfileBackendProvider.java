package dev.chatstore.flatfile;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.BackendOption;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.flatfile.internal.FileIo;
import dev.chatstore.flatfile.internal.FlatfileBackend;
import dev.chatstore.flatfile.internal.FlatfileOptions;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The flatfile backend for {@code file:} URLs: {@code file:./data} (the product's default), {@code file:/var/chat},
 * {@code file:///var/chat}. A store is a directory of human-readable JSON and checksummed JSONL files whose format
 * is described in FORMAT.md.
 *
 * <p>Options ({@code backend.*}, see {@link #options()}):
 * <ul>
 *   <li>{@link #SALVAGE} {@code backend.salvage=true}: open a damaged store anyway. Every damaged range of a message
 *       log is moved into {@code messages.jsonl~damaged-<offset>} next to it and every unparsable JSON file is
 *       renamed to {@code <name>~damaged-<offset>}; intact records are kept. Without it, damage before a log's tail
 *       raises {@link dev.chatstore.api.error.StorageCorruptionException} naming the file and byte offset.</li>
 *   <li>{@link #VERIFY_ON_OPEN} {@code backend.verify-on-open} ({@code tail} by default): what opening the store
 *       checks: {@code tail} (every user, session and panel file parses, every log's tail agrees with its offset
 *       index), {@code full} (every JSON file and every record), {@code none} (the manifest only). Each log is also
 *       checked in full the first time a process reads it in order or writes to it.</li>
 *   <li>The common setting {@code store.read-only=true}: open an existing store without writing anything: no
 *       lock file, no directories, no cleanup; a torn tail is skipped (not cut) and a disagreeing index rebuilt in
 *       memory. Works on a store the process may not write; every write fails with
 *       {@link dev.chatstore.api.error.StorageConfigurationException}.</li>
 *   <li>{@link #LOCK_TIMEOUT} {@code backend.lock-timeout-ms} (default 30000): how long to wait for another
 *       thread's or process's lock before {@link dev.chatstore.api.error.StorageUnavailableException}.</li>
 * </ul>
 * The common setting {@code store.create-if-missing=false} makes opening a directory without a store fail with
 * "no Chatstore store at ..." instead of creating one (a mistyped path). Durability comes from the common
 * {@code durability} setting: {@code sync} (default; fsync before returning,
 * concurrent appends share one fsync), {@code batch} (fsync every {@code durability.batch-interval-millis}),
 * {@code none}. A failed fsync makes the store refuse writes until it is reopened.
 *
 * <p>{@code chatstore check} is {@link dev.chatstore.api.spi.StoreMaintenance} ({@code ChatStore.maintenance()}):
 * check (also counters that claim more than their log holds, logs without their session or panel, seq gaps),
 * repair (torn tails, offset and derived indexes, counters) and salvage (damage moved aside; a missing
 * {@code session.json} or {@code panel.json} recreated from its log).
 */
public final class FlatfileBackendProvider implements StorageBackendProvider {

    /** The URL of the product's default store. */
    public static final String DEFAULT_URL = "file:./data";

    /** {@code backend.salvage}: move damage aside (never deleted) so a damaged store opens. */
    public static final BackendOption<Boolean> SALVAGE = BackendOption.bool("salvage", false,
            "open a damaged store by moving damaged log ranges and unparsable JSON files aside (~damaged-<offset>)");

    /** {@code backend.verify-on-open}: what opening the store checks. */
    public static final BackendOption<String> VERIFY_ON_OPEN = BackendOption.choice("verify-on-open", "tail",
            List.of("full", "tail", "none"),
            "what opening checks: full = every file and record, tail = each log's tail and the user/session/panel"
                    + " files, none = the manifest only");

    /** {@code backend.lock-timeout-ms}: how long to wait for another thread's or process's lock. */
    public static final BackendOption<Duration> LOCK_TIMEOUT = BackendOption.millis("lock-timeout-ms", 30_000, 0,
            3_600_000, "how long to wait for another thread's or process's lock");

    private final FileIo io;

    public FlatfileBackendProvider() {
        this(FileIo.system());
    }

    /** A provider whose stores do their file operations through {@code io} (fault-injection tests). */
    public FlatfileBackendProvider(FileIo io) {
        this.io = Objects.requireNonNull(io, "io");
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public boolean supports(String url) {
        return url != null && url.toLowerCase(Locale.ROOT).startsWith("file:");
    }

    @Override
    public String urlPattern() {
        return "file:<directory> (e.g. file:./data, file:/var/lib/chat, file:///var/lib/chat)";
    }

    @Override
    public List<BackendOption<?>> options() {
        return List.of(SALVAGE, VERIFY_ON_OPEN, LOCK_TIMEOUT);
    }

    /**
     * {@code chatstore check} on a store that may not open for use (damaged files refuse a normal open): each check
     * opens the store just for itself, verifying nothing up front ({@code verify-on-open=none}, the check reads
     * everything anyway) and read-only for a plain {@link StoreMaintenance.Mode#CHECK}, so a check changes nothing.
     */
    @Override
    public Optional<StoreMaintenance> maintenance(BackendContext context) {
        FlatfileOptions base = options(context).withVerifyOnOpen(FlatfileOptions.VerifyOnOpen.NONE);
        Path directory = directory(context.url());
        if (!Files.isRegularFile(directory.resolve("chatstore.json"))) {
            throw new StorageConfigurationException("no Chatstore store at " + directory + " (no chatstore.json)");
        }
        return Optional.of(new StoreMaintenance() {
            @Override
            public CheckReport check(Mode mode) {
                try (FlatfileBackend backend = FlatfileBackend.open(directory, io,
                        base.withReadOnly(base.readOnly() || mode == Mode.CHECK))) {
                    return backend.maintenance().orElseThrow().check(mode);
                }
            }

            @Override
            public Optional<SchemaStatus> schema() {
                try (FlatfileBackend backend = FlatfileBackend.open(directory, io, base.withReadOnly(true))) {
                    return backend.maintenance().orElseThrow().schema();
                }
            }
        });
    }

    private static FlatfileOptions options(BackendContext context) {
        ChatStoreConfig cfg = context.config();
        return new FlatfileOptions(cfg.durability(), Duration.ofMillis(cfg.batchIntervalMillis()),
                context.option(SALVAGE), cfg.searchMinWordLength(), context.option(LOCK_TIMEOUT),
                FlatfileOptions.VerifyOnOpen.valueOf(context.option(VERIFY_ON_OPEN).toUpperCase(Locale.ROOT)),
                cfg.readOnly());
    }

    @Override
    public StorageBackend open(BackendContext context) {
        ChatStoreConfig cfg = context.config();
        Path directory = directory(context.url());
        if (!cfg.readOnly() && !cfg.createIfMissing() && !Files.isRegularFile(directory.resolve("chatstore.json"))) {
            throw new StorageConfigurationException("no Chatstore store at " + directory + " (no chatstore.json),"
                    + " and store.create-if-missing=false: check the URL, or allow creating it");
        }
        return FlatfileBackend.open(directory, io, options(context));
    }

    /** The directory a {@code file:} URL names. */
    public static Path directory(String url) {
        if (url == null || !url.regionMatches(true, 0, "file:", 0, 5)) {
            throw new StorageConfigurationException("not a file: URL: " + url);
        }
        String rest = url.substring(5);
        try {
            if (rest.startsWith("//")) {
                return Path.of(URI.create(url));
            }
            if (rest.isEmpty()) {
                throw new StorageConfigurationException("the URL 'file:' names no directory; use e.g. file:./data");
            }
            return Path.of(rest);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new StorageConfigurationException("malformed file: URL '" + url + "': " + e.getMessage());
        }
    }

}
