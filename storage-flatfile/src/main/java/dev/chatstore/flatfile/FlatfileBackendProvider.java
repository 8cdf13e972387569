package dev.chatstore.flatfile;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.flatfile.internal.FileIo;
import dev.chatstore.flatfile.internal.FlatfileBackend;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The flatfile backend for {@code file:} URLs: {@code file:./data} (the product's default), {@code file:/var/chat},
 * {@code file:///var/chat}. A store is a directory of human-readable JSON and checksummed JSONL files whose format
 * is described in FORMAT.md.
 *
 * <p>Options ({@code backend.*}):
 * <ul>
 *   <li>{@code backend.salvage=true}: open a damaged store anyway. Every damaged range of a message log is moved
 *       into {@code messages.jsonl~damaged-<offset>} next to it and every unparsable JSON file is renamed to
 *       {@code <name>~damaged-<offset>}; intact records are kept. Without it, damage before a log's tail raises
 *       {@link dev.chatstore.api.error.StorageCorruptionException} naming the file and byte offset.</li>
 *   <li>{@code backend.verify-on-open} ({@code tail} by default): what opening the store checks. {@code tail}:
 *       the manifest, every user, session and panel file parses, and every log's last record agrees with its offset
 *       index (a torn tail is cut off and logged) — a few small reads per session. {@code full}: every JSON file and
 *       every record of every log (reads the whole store; damage anywhere fails the open with
 *       {@link dev.chatstore.api.error.StorageCorruptionException} naming the file and offset). {@code none}: only
 *       the manifest. Each log is also checked in full the first time a process reads it in order or writes to
 *       it.</li>
 *   <li>{@code backend.lock-timeout-millis} (default 30000): how long to wait for another thread's or process's
 *       lock before {@link dev.chatstore.api.error.StorageUnavailableException}.</li>
 * </ul>
 * Durability comes from the common {@code durability} setting: {@code sync} (default; fsync before returning,
 * concurrent appends share one fsync), {@code batch} (fsync every {@code durability.batch-interval-millis}),
 * {@code none}. A failed fsync makes the store refuse writes until it is reopened.
 */
public final class FlatfileBackendProvider implements StorageBackendProvider {

    /** The URL of the product's default store. */
    public static final String DEFAULT_URL = "file:./data";

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
    public Set<String> options() {
        return Set.of("salvage", "lock-timeout-millis", "verify-on-open");
    }

    @Override
    public StorageBackend open(BackendContext context) {
        ChatStoreConfig cfg = context.config();
        boolean salvage = context.option("salvage").map(v -> parseBoolean("backend.salvage", v)).orElse(false);
        long lockTimeout = context.option("lock-timeout-millis").map(v -> parseLong("backend.lock-timeout-millis", v))
                .orElse(30_000L);
        FlatfileBackend.VerifyOnOpen verify = context.option("verify-on-open").map(FlatfileBackendProvider::parseVerify)
                .orElse(FlatfileBackend.VerifyOnOpen.TAIL);
        Durability durability = cfg.durability();
        FlatfileBackend.Options options = new FlatfileBackend.Options(durability, cfg.batchIntervalMillis(), salvage,
                cfg.searchMinWordLength(), lockTimeout, verify);
        return FlatfileBackend.open(directory(context.url()), io, options);
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

    private static FlatfileBackend.VerifyOnOpen parseVerify(String v) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "full":
                return FlatfileBackend.VerifyOnOpen.FULL;
            case "tail":
                return FlatfileBackend.VerifyOnOpen.TAIL;
            case "none":
                return FlatfileBackend.VerifyOnOpen.NONE;
            default:
                throw new StorageConfigurationException("backend.verify-on-open must be full, tail or none, got '"
                        + v + "'");
        }
    }

    private static boolean parseBoolean(String key, String v) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new StorageConfigurationException(key + " must be true or false, got '" + v + "'");
    }

    private static long parseLong(String key, String v) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new StorageConfigurationException(key + " must be a non-negative integer, got '" + v + "'");
        }
    }
}
