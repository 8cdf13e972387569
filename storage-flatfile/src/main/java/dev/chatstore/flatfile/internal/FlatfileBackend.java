package dev.chatstore.flatfile.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.HealthReport;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.UsageQuery;
import dev.chatstore.api.model.UsageTotals;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.ContextRepository;
import dev.chatstore.api.spi.CredentialRepository;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.spi.MessageRepository;
import dev.chatstore.api.spi.PanelRepository;
import dev.chatstore.api.spi.PersonaRepository;
import dev.chatstore.api.spi.SearchRequest;
import dev.chatstore.api.spi.SessionRepository;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StoredCredential;
import dev.chatstore.api.spi.TextSearch;
import dev.chatstore.api.spi.UsageAccumulator;
import dev.chatstore.api.spi.UserRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.chatstore.flatfile.internal.StoreLocks.Level;

/**
 * The flatfile store: one directory tree of JSON files and JSONL logs (layout in FORMAT.md). Primary data is only
 * ever changed by an atomic replace (JSON) or an append (logs); everything else (offset indexes, the search index,
 * cached session views) is derived and rebuilt when it disagrees with the primary files.
 */
public final class FlatfileBackend implements StorageBackend {

    private static final Logger LOG = LoggerFactory.getLogger(FlatfileBackend.class);
    public static final String FORMAT = "chatstore-flatfile";
    public static final int FORMAT_VERSION = 1;
    static final String TRASH_PREFIX = "~deleted-";
    private static final long PID = ProcessHandle.current().pid();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss_SSS")
            .withZone(ZoneOffset.UTC);

    final Path root;
    private final FileIo io;
    private final AtomicFiles files;
    private final StoreLocks locks;
    private final Poison poison = new Poison();
    private final Durability durability;
    private final boolean salvage;
    private final int minWordLength;
    private final Map<Path, MessageLog> logs = new ConcurrentHashMap<>();
    private final Map<String, SearchIndex> searchIndexes = new ConcurrentHashMap<>();
    private final Map<String, SessionIndex> sessionIndexes = new ConcurrentHashMap<>();
    private final VerifyOnOpen verifyOnOpen;
    private final Map<Path, CachedSession> sessionCache = new ConcurrentHashMap<>();
    /**
     * userId, then sessionId: the session's directory, locker and log, so that an append does not encode names,
     * build paths or stat {@code session.json} again; valid while {@link #logs} maps the directory to that log
     * (the lock-protected append re-checks that the session exists whenever its log file is not the one known).
     */
    private final Map<String, Map<String, AppendTarget>> appendTargets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;
    private volatile boolean closed;

    private final UserRepository users = new Users();
    private final SessionRepository sessions = new Sessions();
    private final MessageRepository messages = new Messages();
    private final DocumentRepository documents = new Documents();
    private final ContextRepository contexts = new Contexts();
    private final PanelRepository panels = new Panels();
    private final PersonaRepository personas = new Personas();
    private final CredentialRepository credentials = new Credentials();

    /** Options the backend understands (see the provider). */
    public record Options(Durability durability, int batchIntervalMillis, boolean salvage, int minWordLength,
                          long lockTimeoutMillis, VerifyOnOpen verifyOnOpen) {
    }

    /**
     * What {@link #open} checks before it returns ({@code backend.verify-on-open}). Whatever is chosen, each log is
     * also checked record by record the first time this process reads it in order or writes to it.
     */
    public enum VerifyOnOpen {
        /** Every JSON file parses and every record of every log has its checksum and seq (reads the whole store). */
        FULL,
        /**
         * The manifest and every user, session and panel file parse, and every log's last record agrees with its
         * offset index (a torn tail is cut off); a few small reads per session.
         */
        TAIL,
        /** Only the manifest. */
        NONE
    }

    private FlatfileBackend(Path root, FileIo io, Options options) {
        this.root = root;
        this.io = io;
        this.files = new AtomicFiles(io);
        this.durability = options.durability();
        this.salvage = options.salvage();
        this.minWordLength = options.minWordLength();
        this.verifyOnOpen = options.verifyOnOpen();
        try {
            io.createDirectories(root);
        } catch (IOException e) {
            throw new StorageUnavailableException("cannot create the store directory " + root + ": " + e.getMessage(), e);
        }
        this.locks = StoreLocks.open(root.resolve("store.lock"), io, options.lockTimeoutMillis());
        if (durability == Durability.BATCH) {
            flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chatstore-flatfile-flush " + root);
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(1, options.batchIntervalMillis());
            flusher.scheduleWithFixedDelay(this::flushAll, every, every, TimeUnit.MILLISECONDS);
        } else {
            flusher = null;
        }
    }

    /** Opens (creating if needed) the store in {@code root}. */
    public static FlatfileBackend open(Path root, FileIo io, Options options) {
        FlatfileBackend b = new FlatfileBackend(root.toAbsolutePath().normalize(), io, options);
        try {
            b.init();
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    private void init() {
        try (StoreLocks.Held held = locks.lock(Level.STORE, "store")) {
            Path manifest = root.resolve("chatstore.json");
            Optional<ObjectNode> m = Json.readFile(manifest);
            if (m.isPresent()) {
                String format = m.get().path("format").asText("");
                long version = m.get().path("formatVersion").asLong(-1);
                if (!FORMAT.equals(format)) {
                    throw new StorageConfigurationException(root + " is not a Chatstore flatfile store (chatstore.json"
                            + " says format '" + format + "')");
                }
                if (version > FORMAT_VERSION || version < 1) {
                    throw new StorageConfigurationException(root + " has format version " + version
                            + "; this Chatstore reads version " + FORMAT_VERSION);
                }
            } else {
                try (Stream<Path> entries = Files.list(root)) {
                    List<String> foreign = entries.map(p -> p.getFileName().toString())
                            .filter(n -> !n.equals("store.lock") && !n.startsWith(AtomicFiles.TMP_PREFIX)).toList();
                    if (!foreign.isEmpty()) {
                        throw new StorageConfigurationException(root + " is not empty and has no chatstore.json;"
                                + " refusing to use it as a store (found " + foreign.subList(0, Math.min(5,
                                foreign.size())) + ")");
                    }
                }
                ObjectNode n = Json.object();
                n.put("format", FORMAT);
                n.put("formatVersion", FORMAT_VERSION);
                n.put("createdAt", Instant.now().toString());
                n.put("layout", "see FORMAT.md: users/<user>/sessions/<session>/{session.json,messages.jsonl,...}");
                files.write(manifest, Json.pretty(n));
            }
            for (String dir : List.of("users", "panel_sessions", "personas_global")) {
                mkdirs(root.resolve(dir));
            }
            cleanLeftovers();
            if (salvage) {
                salvageAll();
            } else {
                verifyStore();
            }
        } catch (IOException e) {
            throw new StorageUnavailableException("cannot open the store " + root + ": " + e.getMessage(), e);
        }
    }

    /** Removes temporary files and trash directories left by processes that are gone. */
    private void cleanLeftovers() throws IOException {
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                if (name.startsWith(TRASH_PREFIX) && AtomicFiles.ownerIsGone(name, TRASH_PREFIX)) {
                    deleteTree(dir);
                    return java.nio.file.FileVisitResult.SKIP_SUBTREE;
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String name = file.getFileName().toString();
                if (name.startsWith(AtomicFiles.TMP_PREFIX) && AtomicFiles.ownerIsGone(name, AtomicFiles.TMP_PREFIX)) {
                    LOG.info("removing leftover temporary file {}", file);
                    AtomicFiles.deleteQuietly(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException exc) {
                return java.nio.file.FileVisitResult.CONTINUE; // removed meanwhile by its owner
            }
        });
    }

    /** Salvage mode: every JSON file that does not parse is moved aside, every log is fully checked. */
    private void salvageAll() throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.filter(Files::isRegularFile).toList();
        }
        for (Path p : all) {
            String name = p.getFileName().toString();
            if (name.contains("~")) {
                continue;
            }
            if (name.endsWith(".json")) {
                try {
                    Json.readFile(p);
                } catch (StorageCorruptionException e) {
                    Path aside = p.resolveSibling(name + "~damaged-" + e.offset().orElse(0));
                    io.move(p, aside);
                    LOG.error("salvage: {} is damaged ({}); moved to {}", p, e.getMessage(), aside);
                }
            } else if (name.equals("messages.jsonl")) {
                MessageLog log = logFor(p.getParent(), lockerFor(p.getParent()));
                try (StoreLocks.Held h = lockerFor(p.getParent()).lock()) {
                    log.refresh(true);
                    log.rebuildIndex();
                }
            }
        }
    }

    /**
     * {@code backend.verify-on-open}: TAIL parses the user, session and panel files and checks each log's tail
     * against its index (cutting a torn tail); FULL parses every JSON file and checks every record of every log.
     * Damage raises {@link StorageCorruptionException} naming the file and byte offset.
     */
    private void verifyStore() throws IOException {
        if (verifyOnOpen == VerifyOnOpen.NONE) {
            return;
        }
        boolean full = verifyOnOpen == VerifyOnOpen.FULL;
        List<Path> owners = new ArrayList<>();
        for (Path user : children(root.resolve("users"), true, "")) {
            Json.readFile(user.resolve("user.json"));
            for (Path session : children(user.resolve("sessions"), true, "")) {
                Json.readFile(session.resolve("session.json"));
                owners.add(session);
            }
        }
        for (Path panel : children(root.resolve("panel_sessions"), true, "")) {
            Json.readFile(panel.resolve("panel.json"));
            owners.add(panel);
        }
        if (full) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(".json") && !name.contains("~") && Files.isRegularFile(p)) {
                        Json.readFile(p);
                    }
                }
            }
        }
        for (Path dir : owners) {
            if (!Files.exists(dir.resolve("messages.jsonl"))) {
                continue;
            }
            MessageLog.Locker locker = lockerFor(dir);
            if (full) {
                // kept open: the lazy check of the first read is then already done
                MessageLog log = logFor(dir, locker);
                try (StoreLocks.Held held = locker.lock()) {
                    log.refresh(true, true);
                }
            } else {
                // a throwaway view, so that thousands of logs do not stay open
                MessageLog log = new MessageLog(dir, io, durability, poison, false, locker);
                try {
                    if (log.refresh(false, false) && !log.opened()) {
                        try (StoreLocks.Held held = locker.lock()) {
                            log.refresh(true, false);
                        }
                    }
                } finally {
                    log.closeChannels();
                }
            }
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    private void checkOpen() {
        if (closed) {
            throw new StorageUnavailableException("the store " + root + " is closed");
        }
    }

    private void checkWritable() {
        checkOpen();
        poison.checkWritable();
    }

    private <T> T locked(Level level, String key, Supplier<T> action) {
        checkWritable();
        try (StoreLocks.Held held = locks.lock(level, key)) {
            return action.get();
        } catch (UncheckedIOException e) {
            throw new StorageIOException("I/O error in " + root + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void mkdirs(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                io.createDirectories(dir);
                io.fsyncDirectory(dir.getParent());
            }
        } catch (IOException e) {
            throw new StorageIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    private void write(Path file, ObjectNode node) {
        files.write(file, Json.pretty(node));
    }

    private static <T> Optional<T> read(Path file, java.util.function.Function<JsonNode, T> decoder) {
        return Json.readFile(file).map(n -> Json.decode(file.toString(), 0, () -> decoder.apply(n)));
    }

    /** Moves a directory out of the way atomically, then deletes it. */
    private void removeTree(Path dir) {
        Path trash = dir.resolveSibling(TRASH_PREFIX + PID + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            io.move(dir, trash);
            io.fsyncDirectory(dir.getParent());
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new StorageIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
        for (Map.Entry<Path, MessageLog> e : logs.entrySet()) {
            if (e.getKey().startsWith(dir)) {
                e.getValue().closeChannels();
                logs.remove(e.getKey());
            }
        }
        appendTargets.clear(); // rare; each entry is also checked against logs before use
        sessionCache.keySet().removeIf(p -> p.startsWith(dir));
        deleteTree(trash);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("cannot fully delete {} ({}); it is removed at the next open", dir, e.getMessage());
        }
    }

    /** Names of the subdirectories (or files with the suffix) of a directory, skipping the store's own. */
    private static List<Path> children(Path dir, boolean directories, String suffix) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.contains("~") || (directories ? !Files.isDirectory(p) : !n.endsWith(suffix))) {
                    continue;
                }
                out.add(p);
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new StorageIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private Path userDir(String userId) {
        return root.resolve("users").resolve(FsNames.encode(userId));
    }

    private Path sessionDir(String userId, String sessionId) {
        return userDir(userId).resolve("sessions").resolve(FsNames.encode(sessionId));
    }

    private Path panelDir(String panelId) {
        return root.resolve("panel_sessions").resolve(FsNames.encode(panelId));
    }

    private static String userKey(String userId) {
        return "u/" + userId;
    }

    private static String sessionKey(String userId, String sessionId) {
        return "s/" + userId + "/" + sessionId;
    }

    private boolean userExists(String userId) {
        return Files.exists(userDir(userId).resolve("user.json"));
    }

    private MessageLog.Locker lockerFor(Path ownerDir) {
        Path rel = root.relativize(ownerDir);
        if (rel.getNameCount() == 2 && rel.getName(0).toString().equals("panel_sessions")) {
            String key = "p/" + rel.getName(1);
            return () -> locks.lock(Level.PANEL, key);
        }
        // users/<u>/sessions/<s>: lock by the encoded names, which are 1:1 with the IDs
        String key = "s/" + rel;
        return () -> locks.lock(Level.SESSION, key);
    }

    private MessageLog logFor(Path ownerDir, MessageLog.Locker locker) {
        return logs.computeIfAbsent(ownerDir, d -> new MessageLog(d, io, durability, poison, salvage, locker));
    }

    /** The log of an existing owner, refreshed; first use in this JVM recovers its tail under the lock. */
    private Optional<MessageLog> view(Path ownerDir) {
        MessageLog.Locker locker = lockerFor(ownerDir);
        MessageLog log = logFor(ownerDir, locker);
        if (!log.refresh(false)) {
            return Optional.empty();
        }
        if (!log.recovered()) {
            try (StoreLocks.Held held = locker.lock()) {
                if (!log.refresh(true)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(log);
    }

    /**
     * The log of an existing owner with its state known, checking only its tail the first time (search and
     * listing touch many logs and read few records of each; every record they read is checked).
     */
    private Optional<MessageLog> tailView(Path ownerDir) {
        MessageLog.Locker locker = lockerFor(ownerDir);
        MessageLog log = logFor(ownerDir, locker);
        if (!log.refresh(false, false)) {
            return Optional.empty();
        }
        if (!log.opened()) {
            try (StoreLocks.Held held = locker.lock()) {
                if (!log.refresh(true, false)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(log);
    }

    private void createEmptyLog(Path dir) {
        Path log = dir.resolve("messages.jsonl");
        try (FileChannel ch = io.open(log, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            io.force(ch);
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (IOException e) {
            throw new StorageIOException("cannot create " + log + ": " + e.getMessage(), e);
        }
        try {
            io.fsyncDirectory(dir);
        } catch (IOException e) {
            throw new StorageIOException("cannot sync " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void flushAll() {
        for (MessageLog log : logs.values()) {
            log.flushIfDirty();
        }
    }

    // ---- sessions as stored and as derived -----------------------------------------------------------------

    /** session.json as parsed, with the log seq its counters were written at. */
    private record SessionFile(Session base, long countersAtSeq) {
    }

    private record CachedSession(Object key, SessionFile file) {
    }

    private Optional<SessionFile> readSessionFile(Path dir) {
        Path file = dir.resolve("session.json");
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            sessionCache.remove(dir);
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Object key = List.of(String.valueOf(attrs.fileKey()), attrs.lastModifiedTime(), attrs.size());
        CachedSession c = sessionCache.get(dir);
        if (c != null && c.key().equals(key)) {
            return Optional.of(c.file());
        }
        Optional<SessionFile> parsed = read(file, n -> new SessionFile(Json.session(n),
                Json.longValue(n, "countersAtSeq", 0)));
        parsed.ifPresent(f -> sessionCache.put(dir, new CachedSession(key, f)));
        return parsed;
    }

    private void writeSessionFile(Path dir, Session s, long countersAtSeq) {
        ObjectNode n = Json.session(s);
        n.put("countersAtSeq", countersAtSeq);
        write(dir.resolve("session.json"), n);
        sessionCache.remove(dir);
    }

    /** The session with its counters brought up to date from the log. */
    private static Session derive(SessionFile f, MessageLog.State st) {
        Session b = f.base();
        if (st.lastSeq() <= f.countersAtSeq()) {
            return b;
        }
        Instant updated = st.maxCreatedAt().map(m -> later(b.updatedAt(), m)).orElse(b.updatedAt());
        return new Session(b.id(), b.userId(), b.title(), b.model(), b.provider(), b.archived(), b.metadata(),
                b.messageCount() + (st.lastSeq() - f.countersAtSeq()),
                st.lastCreatedAt().or(b::lastMessageAt), b.createdAt(), updated, b.version());
    }

    private Optional<Session> loadSession(String userId, String sessionId) {
        Path dir = sessionDir(userId, sessionId);
        Optional<SessionFile> f = readSessionFile(dir);
        if (f.isEmpty() || !f.get().base().userId().equals(userId) || !f.get().base().id().equals(sessionId)) {
            return Optional.empty();
        }
        Optional<MessageLog> log = view(dir);
        if (log.isEmpty()) {
            throw new StorageCorruptionException(dir.resolve("messages.jsonl").toString(), -1,
                    "the session's message log is missing");
        }
        return Optional.of(derive(f.get(), log.get().state()));
    }

    private Path existingSession(String userId, String sessionId) {
        Path dir = sessionDir(userId, sessionId);
        if (!Files.exists(dir.resolve("session.json"))) {
            throw new NotFoundException("session", userId + "/" + sessionId);
        }
        return dir;
    }

    private record AppendTarget(Path dir, MessageLog.Locker locker, MessageLog log, String owner) {
    }

    /**
     * Where appends to a session go. A known session skips the existence check here: the append checks it under
     * the session's lock whenever the log is not exactly the file it knows (see {@code MessageLog.lead}).
     */
    private AppendTarget appendTarget(String userId, String sessionId) {
        Map<String, AppendTarget> mine = appendTargets.get(userId);
        AppendTarget t = mine == null ? null : mine.get(sessionId);
        if (t != null && logs.get(t.dir()) == t.log()) {
            return t;
        }
        Path dir = existingSession(userId, sessionId);
        MessageLog.Locker locker = lockerFor(dir);
        t = new AppendTarget(dir, locker, logFor(dir, locker), userId + "/" + sessionId);
        appendTargets.computeIfAbsent(userId, u -> new ConcurrentHashMap<>()).put(sessionId, t);
        return t;
    }

    private MessageLog sessionLog(String userId, String sessionId) {
        Path dir = existingSession(userId, sessionId);
        return view(dir).orElseThrow(() -> new NotFoundException("session", userId + "/" + sessionId));
    }

    // ---- StorageBackend ------------------------------------------------------------------------------------

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
    public MessageRepository messages() {
        return messages;
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

    /** Under the log's lock: cuts a torn tail and rebuilds the offset index of the log in {@code ownerDir}. */
    public void repairLog(Path ownerDir) {
        MessageLog.Locker locker = lockerFor(ownerDir.toAbsolutePath().normalize());
        MessageLog log = logFor(ownerDir.toAbsolutePath().normalize(), locker);
        try (StoreLocks.Held held = locker.lock()) {
            if (log.refresh(true)) {
                log.rebuildIndex();
            }
        } catch (IOException e) {
            throw new StorageIOException("cannot repair " + ownerDir + ": " + e.getMessage(), e);
        }
    }

    private SearchIndex searchIndex(String userId) {
        return searchIndexes.computeIfAbsent(userId, u -> new SearchIndex(userDir(u), minWordLength, io));
    }

    /** The cross-process lock under which a user's search index is written; null when the store refuses writes. */
    private Supplier<StoreLocks.Held> searchLock(String userId) {
        if (poison.isSet()) {
            return null;
        }
        return () -> locks.lock(Level.USER, "search/" + userId);
    }

    /**
     * {@code check --repair}: deletes every user's session index and search index and builds them again from the
     * primary files.
     */
    public void rebuildDerivedIndexes() {
        checkWritable();
        for (Path dir : children(root.resolve("users"), true, "")) {
            Optional<User> u = read(dir.resolve("user.json"), Json::user);
            if (u.isEmpty()) {
                continue;
            }
            String userId = u.get().id();
            try (StoreLocks.Held held = locks.lock(Level.USER, "search/" + userId)) {
                SessionIndex.delete(dir);
                SearchIndex.delete(dir);
                sessionIndexes.remove(userId);
                searchIndexes.remove(userId);
            }
            Map<String, MessageLog> logs = ((Messages) messages).userLogs(userId);
            searchIndex(userId).persistNow(logs, searchLock(userId));
        }
    }

    /** Whether a failed fsync made this store refuse writes. */
    public Poison poison() {
        return poison;
    }

    @Override
    public HealthReport health() {
        long start = System.nanoTime();
        if (closed) {
            return new HealthReport("file", false, false, OptionalLong.empty(), Duration.ZERO, Optional.of("closed"));
        }
        boolean reachable = Files.isDirectory(root);
        boolean writable = false;
        Optional<String> detail = Optional.empty();
        if (poison.isSet()) {
            detail = Optional.of(poison.reason());
        } else {
            Path probe = AtomicFiles.tempFor(root.resolve("health-probe"));
            try (FileChannel ch = io.open(probe, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                io.write(ch, java.nio.ByteBuffer.wrap(new byte[]{'o', 'k'}), 0);
                writable = true;
            } catch (IOException e) {
                detail = Optional.of("cannot write in " + root + ": " + e.getMessage());
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
        } catch (IOException | UncheckedIOException e) {
            detail = detail.or(() -> Optional.of("cannot measure " + root + ": " + e.getMessage()));
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
            flushAll();
        }
        for (MessageLog log : logs.values()) {
            log.closeChannels();
        }
        logs.clear();
        appendTargets.clear();
        locks.close();
    }

    // ---- users ---------------------------------------------------------------------------------------------

    private final class Users implements UserRepository {
        @Override
        public void insert(User user) {
            locked(Level.USER, userKey(user.id()), () -> {
                Path dir = userDir(user.id());
                if (Files.exists(dir.resolve("user.json"))) {
                    throw new DuplicateKeyException("user", user.id());
                }
                mkdirs(dir);
                write(dir.resolve("user.json"), Json.user(user));
                return null;
            });
        }

        @Override
        public Optional<User> find(String userId) {
            checkOpen();
            return read(userDir(userId).resolve("user.json"), Json::user).filter(u -> u.id().equals(userId));
        }

        @Override
        public User update(User next, long expectedVersion) {
            return locked(Level.USER, userKey(next.id()), () -> {
                User cur = find(next.id()).orElseThrow(() -> new NotFoundException("user", next.id()));
                if (cur.version() != expectedVersion) {
                    throw new OptimisticConflictException("user", next.id(), expectedVersion, cur.version());
                }
                write(userDir(next.id()).resolve("user.json"), Json.user(next));
                return next;
            });
        }

        @Override
        public boolean delete(String userId) {
            return locked(Level.USER, userKey(userId), () -> {
                Path dir = userDir(userId);
                if (!Files.exists(dir.resolve("user.json"))) {
                    return false;
                }
                removeTree(dir);
                searchIndexes.remove(userId);
                sessionIndexes.remove(userId);
                return true;
            });
        }

        private List<User> all() {
            checkOpen();
            List<User> out = new ArrayList<>();
            for (Path dir : children(root.resolve("users"), true, "")) {
                read(dir.resolve("user.json"), Json::user).ifPresent(out::add);
            }
            out.sort(Comparator.comparing(User::id));
            return out;
        }

        @Override
        public List<User> list(int offset, int limit) {
            return page(all(), offset, limit);
        }

        @Override
        public long count() {
            return all().size();
        }

        @Override
        public void restore(User user) {
            locked(Level.USER, userKey(user.id()), () -> {
                Path dir = userDir(user.id());
                mkdirs(dir);
                write(dir.resolve("user.json"), Json.user(user));
                return null;
            });
        }
    }

    private static <T> List<T> page(List<T> all, int offset, int limit) {
        if (offset >= all.size()) {
            return List.of();
        }
        return List.copyOf(all.subList(offset, (int) Math.min(all.size(), (long) offset + limit)));
    }

    // ---- sessions ------------------------------------------------------------------------------------------

    private final class Sessions implements SessionRepository {
        @Override
        public void insert(Session session, int maxSessionsPerUser) {
            locked(Level.USER, userKey(session.userId()), () -> {
                if (!userExists(session.userId())) {
                    throw new NotFoundException("user", session.userId());
                }
                Path dir = sessionDir(session.userId(), session.id());
                if (Files.exists(dir.resolve("session.json"))) {
                    throw new DuplicateKeyException("session", session.userId() + "/" + session.id());
                }
                long count = countSessions(session.userId());
                if (count >= maxSessionsPerUser) {
                    throw new LimitExceededException("limits.max-sessions-per-user", maxSessionsPerUser, count + 1);
                }
                try (StoreLocks.Held held = lockerFor(dir).lock()) {
                    if (Files.exists(dir)) {
                        removeTree(dir); // a half-created session from a crash: nothing in it was ever visible
                    }
                    mkdirs(dir.getParent());
                    mkdirs(dir);
                    createEmptyLog(dir);
                    writeSessionFile(dir, session, 0);
                }
                return null;
            });
        }

        @Override
        public Optional<Session> find(String userId, String sessionId) {
            checkOpen();
            return loadSession(userId, sessionId);
        }

        @Override
        public Session update(Session next, long expectedVersion) {
            Path dir = sessionDir(next.userId(), next.id());
            checkWritable();
            try (StoreLocks.Held held = lockerFor(dir).lock()) {
                Optional<SessionFile> f = readSessionFile(dir);
                if (f.isEmpty()) {
                    throw new NotFoundException("session", next.userId() + "/" + next.id());
                }
                MessageLog log = logFor(dir, lockerFor(dir));
                log.refresh(true);
                MessageLog.State st = log.state();
                Session cur = derive(f.get(), st);
                if (cur.version() != expectedVersion) {
                    throw new OptimisticConflictException("session", next.userId() + "/" + next.id(), expectedVersion,
                            cur.version());
                }
                Session stored = new Session(cur.id(), cur.userId(), next.title(), next.model(), next.provider(),
                        next.archived(), next.metadata(), cur.messageCount(), cur.lastMessageAt(), cur.createdAt(),
                        later(cur.updatedAt(), next.updatedAt()), next.version());
                writeSessionFile(dir, stored, st.lastSeq());
                return stored;
            }
        }

        @Override
        public boolean delete(String userId, String sessionId) {
            return locked(Level.USER, userKey(userId), () -> {
                Path dir = sessionDir(userId, sessionId);
                try (StoreLocks.Held held = lockerFor(dir).lock()) {
                    if (!Files.exists(dir.resolve("session.json"))) {
                        return false;
                    }
                    removeTree(dir);
                    return true;
                }
            });
        }

        @Override
        public List<Session> list(String userId, int offset, int limit) {
            checkOpen();
            return page(allSessions(userId), offset, limit);
        }

        @Override
        public long count(String userId) {
            checkOpen();
            return countSessions(userId);
        }

        @Override
        public void restore(Session session) {
            locked(Level.USER, userKey(session.userId()), () -> {
                if (!userExists(session.userId())) {
                    throw new NotFoundException("user", session.userId());
                }
                Path dir = sessionDir(session.userId(), session.id());
                try (StoreLocks.Held held = lockerFor(dir).lock()) {
                    mkdirs(dir.getParent());
                    mkdirs(dir);
                    createEmptyLog(dir);
                    MessageLog log = logFor(dir, lockerFor(dir));
                    log.refresh(true);
                    writeSessionFile(dir, session, log.state().lastSeq());
                }
                return null;
            });
        }
    }

    /** Every session of a user, newest first, through the user's session index. */
    private List<Session> allSessions(String userId) {
        SessionIndex index = sessionIndexes.computeIfAbsent(userId, u -> new SessionIndex(userDir(u), io));
        return index.all(dir -> {
            Optional<SessionFile> f = readSessionFile(dir);
            if (f.isEmpty()) {
                return Optional.empty();
            }
            return tailView(dir).map(l -> derive(f.get(), l.state()));
        });
    }

    private long countSessions(String userId) {
        long n = 0;
        for (Path dir : children(userDir(userId).resolve("sessions"), true, "")) {
            if (Files.exists(dir.resolve("session.json"))) {
                n++;
            }
        }
        return n;
    }

    // ---- messages ------------------------------------------------------------------------------------------

    private final class Messages implements MessageRepository {
        @Override
        public List<Message> append(String userId, String sessionId, List<Message> drafts, long maxMessages) {
            checkWritable();
            AppendTarget t = appendTarget(userId, sessionId);
            return t.log().append(drafts, maxMessages, t.owner(), t.locker(),
                    () -> existingSession(userId, sessionId));
        }

        @Override
        public Optional<Message> findBySeq(String userId, String sessionId, long seq) {
            checkOpen();
            return sessionLog(userId, sessionId).bySeq(seq);
        }

        @Override
        public Optional<Message> findById(String userId, String sessionId, String messageId) {
            checkOpen();
            return sessionLog(userId, sessionId).byId(messageId);
        }

        @Override
        public List<Message> after(String userId, String sessionId, long afterSeq, int limit) {
            checkOpen();
            MessageLog log = sessionLog(userId, sessionId);
            long line = log.firstLineAfter(afterSeq);
            return log.readLines(line, line + limit);
        }

        @Override
        public List<Message> last(String userId, String sessionId, int n) {
            checkOpen();
            MessageLog log = sessionLog(userId, sessionId);
            long lines = log.state().lines();
            return log.readLines(Math.max(0, lines - n), lines);
        }

        @Override
        public List<Message> search(String userId, SearchRequest request) {
            checkOpen();
            Map<String, MessageLog> userLogs = userLogs(userId);
            if (request.minWordLength() < minWordLength) {
                return scanSearch(userLogs, request); // the index skipped shorter words
            }
            return searchIndex(userId).search(request, userLogs, searchLock(userId));
        }

        private Map<String, MessageLog> userLogs(String userId) {
            Map<String, MessageLog> userLogs = new LinkedHashMap<>();
            for (Session s : allSessions(userId)) {
                if (s.userId().equals(userId)) {
                    tailView(sessionDir(userId, s.id())).ifPresent(l -> userLogs.put(s.id(), l));
                }
            }
            return userLogs;
        }

        private List<Message> scanSearch(Map<String, MessageLog> userLogs, SearchRequest request) {
            List<Message> hits = new ArrayList<>();
            userLogs.forEach((sid, log) -> {
                if (request.sessionId().isEmpty() || request.sessionId().get().equals(sid)) {
                    log.forEach(0, m -> {
                        if (request.matches(m.content())) {
                            hits.add(m);
                        }
                    });
                }
            });
            return TextSearch.newestFirst(hits, request.limit());
        }

        @Override
        public List<UsageTotals> usage(UsageQuery query) {
            checkOpen();
            UsageAccumulator totals = new UsageAccumulator(query);
            for (Path dir : children(userDir(query.userId()).resolve("sessions"), true, "")) {
                Optional<SessionFile> f = readSessionFile(dir);
                if (f.isEmpty() || (query.sessionId().isPresent()
                        && !query.sessionId().get().equals(f.get().base().id()))) {
                    continue;
                }
                view(dir).ifPresent(log -> log.forEach(0, totals::add));
            }
            return totals.totals();
        }

        @Override
        public void restore(String userId, String sessionId, List<Message> given) {
            checkWritable();
            Path dir = existingSession(userId, sessionId);
            try (StoreLocks.Held held = lockerFor(dir).lock()) {
                SessionFile f = readSessionFile(dir).orElseThrow(
                        () -> new NotFoundException("session", userId + "/" + sessionId));
                MessageLog log = logFor(dir, lockerFor(dir));
                log.refresh(true);
                Session before = derive(f, log.state());
                restoreInto(log, given, userId + "/" + sessionId);
                writeSessionFile(dir, before, log.state().lastSeq());
            }
        }
    }

    /** Writes restored messages: appended when they continue the log, otherwise by rewriting it. */
    private static void restoreInto(MessageLog log, List<Message> given, String owner) {
        long last = log.state().lastSeq();
        boolean appendOnly = true;
        long expect = last + 1;
        for (Message m : given) {
            if (m.seq() != expect) {
                appendOnly = false;
                break;
            }
            expect++;
        }
        if (appendOnly) {
            if (!given.isEmpty()) {
                log.appendRestoredLocked(given, owner);
            }
            return;
        }
        java.util.TreeMap<Long, Message> bySeq = new java.util.TreeMap<>();
        for (Message m : log.all()) {
            bySeq.put(m.seq(), m);
        }
        for (Message m : given) {
            long top = bySeq.isEmpty() ? 0 : bySeq.lastKey();
            if (m.seq() > top + 1) {
                throw new dev.chatstore.api.error.ValidationException("message.seq", "restoring seq " + m.seq()
                        + " would leave a gap after seq " + top);
            }
            bySeq.put(m.seq(), m);
        }
        log.rewrite(new ArrayList<>(bySeq.values()));
    }

    // ---- documents -----------------------------------------------------------------------------------------

    private final class Documents implements DocumentRepository {
        private Path docsDir(String userId, String sessionId) {
            return sessionDir(userId, sessionId).resolve("documents");
        }

        private Map<String, ObjectNode> metadata(Path docs) {
            Map<String, ObjectNode> out = new java.util.TreeMap<>();
            Json.readFile(docs.resolve("metadata.json")).ifPresent(n -> {
                JsonNode list = n.path("documents");
                for (JsonNode d : list) {
                    out.put(d.path("name").asText(), (ObjectNode) d);
                }
            });
            return out;
        }

        private void writeMetadata(Path docs, Map<String, ObjectNode> all) {
            ObjectNode n = Json.object();
            var arr = n.putArray("documents");
            all.values().forEach(arr::add);
            write(docs.resolve("metadata.json"), n);
        }

        private Document decode(Path docs, ObjectNode d) {
            return Json.decode(docs.resolve("metadata.json").toString(), 0, () -> new Document(Json.text(d, "sessionId"),
                    Json.text(d, "name"), Json.text(d, "mimeType"), Json.longValue(d, "size"), Json.text(d, "sha256"),
                    Json.instant(d, "uploadedAt"), Json.jsonObject(d, "analysis"), Json.jsonObject(d, "metadata")));
        }

        @Override
        public Document save(String userId, Upload upload) {
            checkWritable();
            Path sdir = existingSession(userId, upload.sessionId());
            Path docs = sdir.resolve("documents");
            Path filesDir = docs.resolve("files");
            mkdirs(docs);
            mkdirs(filesDir);
            Path staged;
            try {
                staged = files.stage(filesDir.resolve(FsNames.encode(upload.name())), upload.content());
            } catch (IOException e) {
                throw new StorageIOException("cannot store document " + upload.name() + ": " + e.getMessage(), e);
            }
            try {
                Document doc = new Document(upload.sessionId(), upload.name(), upload.mimeType(),
                        upload.content().size(), upload.content().sha256(), upload.uploadedAt(), upload.analysis(),
                        upload.metadata());
                String fileName = FsNames.encode(upload.name()) + "." + doc.sha256().substring(0, 16);
                try (StoreLocks.Held held = lockerFor(sdir).lock()) {
                    existingSession(userId, upload.sessionId());
                    files.commit(staged, filesDir.resolve(fileName));
                    Map<String, ObjectNode> all = metadata(docs);
                    ObjectNode old = all.get(upload.name());
                    ObjectNode d = Json.object();
                    d.put("name", doc.name());
                    d.put("sessionId", doc.sessionId());
                    d.put("file", "files/" + fileName);
                    d.put("mimeType", doc.mimeType());
                    d.put("size", doc.size());
                    d.put("sha256", doc.sha256());
                    d.put("uploadedAt", doc.uploadedAt().toString());
                    d.set("analysis", Json.toNode(doc.analysis()));
                    d.set("metadata", Json.toNode(doc.metadata()));
                    all.put(doc.name(), d);
                    writeMetadata(docs, all);
                    if (old != null && !old.path("file").asText().equals("files/" + fileName)) {
                        AtomicFiles.deleteQuietly(docs.resolve(old.path("file").asText()));
                    }
                }
                return doc;
            } finally {
                AtomicFiles.deleteQuietly(staged);
            }
        }

        @Override
        public Optional<Document> find(String userId, String sessionId, String name) {
            checkOpen();
            Path docs = existingSession(userId, sessionId).resolve("documents");
            return Optional.ofNullable(metadata(docs).get(name)).map(d -> decode(docs, d));
        }

        @Override
        public Optional<InputStream> open(String userId, String sessionId, String name) {
            checkOpen();
            Path docs = existingSession(userId, sessionId).resolve("documents");
            ObjectNode d = metadata(docs).get(name);
            if (d == null) {
                return Optional.empty();
            }
            Path file = docs.resolve(d.path("file").asText()).normalize();
            if (!file.startsWith(docs)) {
                throw new StorageCorruptionException(docs.resolve("metadata.json").toString(), -1,
                        "document " + name + " points outside its directory");
            }
            try {
                return Optional.of(Files.newInputStream(file));
            } catch (NoSuchFileException e) {
                throw new StorageCorruptionException(file.toString(), -1, "the bytes of document " + name + " are missing");
            } catch (IOException e) {
                throw new StorageIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public List<Document> list(String userId, String sessionId) {
            checkOpen();
            Path docs = existingSession(userId, sessionId).resolve("documents");
            return metadata(docs).values().stream().map(d -> decode(docs, d)).toList();
        }

        @Override
        public Document updateAnalysis(String userId, String sessionId, String name, JsonObject analysis) {
            checkWritable();
            Path sdir = existingSession(userId, sessionId);
            try (StoreLocks.Held held = lockerFor(sdir).lock()) {
                Path docs = existingSession(userId, sessionId).resolve("documents");
                Map<String, ObjectNode> all = metadata(docs);
                ObjectNode d = all.get(name);
                if (d == null) {
                    throw new NotFoundException("document", userId + "/" + sessionId + "/" + name);
                }
                d.set("analysis", Json.toNode(analysis));
                writeMetadata(docs, all);
                return decode(docs, d);
            }
        }

        @Override
        public boolean delete(String userId, String sessionId, String name) {
            checkWritable();
            Path sdir = existingSession(userId, sessionId);
            try (StoreLocks.Held held = lockerFor(sdir).lock()) {
                Path docs = existingSession(userId, sessionId).resolve("documents");
                Map<String, ObjectNode> all = metadata(docs);
                ObjectNode d = all.remove(name);
                if (d == null) {
                    return false;
                }
                writeMetadata(docs, all);
                AtomicFiles.deleteQuietly(docs.resolve(d.path("file").asText()));
                return true;
            }
        }
    }

    // ---- contexts ------------------------------------------------------------------------------------------

    private record Snapshot(SituationalContext context, long order, Path file) {
    }

    private final class Contexts implements ContextRepository {
        @Override
        public void setCurrent(String userId, String sessionId, SituationalContext context) {
            checkWritable();
            Path dir = existingSession(userId, sessionId);
            try (StoreLocks.Held held = lockerFor(dir).lock()) {
                existingSession(userId, sessionId);
                write(dir.resolve("situational_context.json"), Json.context(context));
            }
        }

        @Override
        public Optional<SituationalContext> current(String userId, String sessionId) {
            checkOpen();
            return read(existingSession(userId, sessionId).resolve("situational_context.json"), Json::context);
        }

        private List<Snapshot> snapshots(Path sdir) {
            List<Snapshot> out = new ArrayList<>();
            for (Path f : children(sdir.resolve("context_history"), false, ".json")) {
                String n = f.getFileName().toString();
                long order;
                try {
                    order = Long.parseLong(n.substring(n.lastIndexOf('_') + 1, n.length() - 5));
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    throw new StorageCorruptionException(f.toString(), -1, "unexpected snapshot file name");
                }
                read(f, Json::context).ifPresent(c -> out.add(new Snapshot(c, order, f)));
            }
            out.sort(Comparator.comparing((Snapshot s) -> s.context().capturedAt(), Comparator.reverseOrder())
                    .thenComparing(Snapshot::order, Comparator.reverseOrder()));
            return out;
        }

        @Override
        public void addSnapshot(String userId, String sessionId, SituationalContext snapshot, int keep) {
            checkWritable();
            Path dir = existingSession(userId, sessionId);
            try (StoreLocks.Held held = lockerFor(dir).lock()) {
                existingSession(userId, sessionId);
                Path hist = dir.resolve("context_history");
                mkdirs(hist);
                List<Snapshot> existing = snapshots(dir);
                long next = existing.stream().mapToLong(Snapshot::order).max().orElse(0) + 1;
                String name = "context_" + STAMP.format(snapshot.capturedAt()) + "_" + String.format("%06d", next)
                        + ".json";
                write(hist.resolve(name), Json.context(snapshot));
                List<Snapshot> all = snapshots(dir);
                if (all.size() > keep) {
                    for (Snapshot s : all.subList(keep, all.size())) {
                        AtomicFiles.deleteQuietly(s.file());
                    }
                    try {
                        io.fsyncDirectory(hist);
                    } catch (IOException e) {
                        throw new StorageIOException("cannot sync " + hist + ": " + e.getMessage(), e);
                    }
                }
            }
        }

        @Override
        public List<SituationalContext> history(String userId, String sessionId, int limit) {
            checkOpen();
            return snapshots(existingSession(userId, sessionId)).stream().limit(limit).map(Snapshot::context).toList();
        }
    }

    // ---- panels --------------------------------------------------------------------------------------------

    private record PanelFile(Panel base, long countersAtSeq) {
    }

    private Optional<PanelFile> readPanelFile(Path dir) {
        return read(dir.resolve("panel.json"), n -> new PanelFile(Json.panel(n), Json.longValue(n, "countersAtSeq", 0)));
    }

    private static Panel derive(PanelFile f, MessageLog.State st) {
        Panel b = f.base();
        if (st.lastSeq() <= f.countersAtSeq() || st.maxCreatedAt().isEmpty()) {
            return b;
        }
        return new Panel(b.id(), b.type(), b.personas(), b.config(), b.createdAt(),
                later(b.updatedAt(), st.maxCreatedAt().get()));
    }

    private final class Panels implements PanelRepository {
        private Path existing(String panelId) {
            Path dir = panelDir(panelId);
            if (!Files.exists(dir.resolve("panel.json"))) {
                throw new NotFoundException("panel", panelId);
            }
            return dir;
        }

        @Override
        public void insert(Panel panel) {
            Path dir = panelDir(panel.id());
            checkWritable();
            try (StoreLocks.Held held = lockerFor(dir).lock()) {
                if (Files.exists(dir.resolve("panel.json"))) {
                    throw new DuplicateKeyException("panel", panel.id());
                }
                if (Files.exists(dir)) {
                    removeTree(dir);
                }
                mkdirs(dir);
                createEmptyLog(dir);
                write(dir.resolve("panel.json"), Json.panel(panel, 0));
            }
        }

        @Override
        public Optional<Panel> find(String panelId) {
            checkOpen();
            Path dir = panelDir(panelId);
            Optional<PanelFile> f = readPanelFile(dir).filter(p -> p.base().id().equals(panelId));
            if (f.isEmpty()) {
                return Optional.empty();
            }
            return view(dir).map(log -> derive(f.get(), log.state()));
        }

        @Override
        public List<Panel> list(int offset, int limit) {
            checkOpen();
            List<Panel> all = new ArrayList<>();
            for (Path dir : children(root.resolve("panel_sessions"), true, "")) {
                Optional<PanelFile> f = readPanelFile(dir);
                if (f.isPresent()) {
                    view(dir).ifPresent(log -> all.add(derive(f.get(), log.state())));
                }
            }
            all.sort(Comparator.comparing(Panel::createdAt, Comparator.reverseOrder()).thenComparing(Panel::id));
            return page(all, offset, limit);
        }

        @Override
        public boolean delete(String panelId) {
            Path dir = panelDir(panelId);
            checkWritable();
            try (StoreLocks.Held held = lockerFor(dir).lock()) {
                if (!Files.exists(dir.resolve("panel.json"))) {
                    return false;
                }
                removeTree(dir);
                return true;
            }
        }

        @Override
        public List<Message> append(String panelId, List<Message> drafts, long maxMessages) {
            checkWritable();
            Path dir = existing(panelId);
            MessageLog.Locker locker = lockerFor(dir);
            return logFor(dir, locker).append(drafts, maxMessages, panelId, locker, () -> existing(panelId));
        }

        @Override
        public List<Message> messages(String panelId, long afterSeq, int limit) {
            checkOpen();
            Path dir = existing(panelId);
            MessageLog log = view(dir).orElseThrow(() -> new NotFoundException("panel", panelId));
            long line = log.firstLineAfter(afterSeq);
            return log.readLines(line, line + limit);
        }

        private Path insightFile(String panelId, String insightId) {
            return panelDir(panelId).resolve("insights").resolve(FsNames.encode(insightId) + ".json");
        }

        @Override
        public void saveInsight(Insight insight) {
            checkWritable();
            Path dir = existing(insight.panelId());
            try (StoreLocks.Held held = lockerFor(dir).lock()) {
                existing(insight.panelId());
                Path f = insightFile(insight.panelId(), insight.id());
                if (Files.exists(f)) {
                    throw new DuplicateKeyException("insight", insight.panelId() + "/" + insight.id());
                }
                mkdirs(f.getParent());
                write(f, Json.insight(insight));
            }
        }

        private List<Insight> all(Path dir) {
            List<Insight> out = new ArrayList<>();
            for (Path f : children(dir.resolve("insights"), false, ".json")) {
                read(f, Json::insight).ifPresent(out::add);
            }
            out.sort(Comparator.comparing(Insight::createdAt, Comparator.reverseOrder())
                    .thenComparing(Insight::id, Comparator.reverseOrder()));
            return out;
        }

        @Override
        public List<Insight> insights(String panelId, int limit) {
            checkOpen();
            return all(existing(panelId)).stream().limit(limit).toList();
        }

        @Override
        public long purgeInsightsBefore(Instant cutoff) {
            checkWritable();
            long removed = 0;
            for (Path dir : children(root.resolve("panel_sessions"), true, "")) {
                try (StoreLocks.Held held = lockerFor(dir).lock()) {
                    for (Insight i : all(dir)) {
                        if (i.createdAt().isBefore(cutoff)) {
                            try {
                                Files.deleteIfExists(dir.resolve("insights").resolve(FsNames.encode(i.id()) + ".json"));
                                removed++;
                            } catch (IOException e) {
                                throw new StorageIOException("cannot delete insight " + i.id() + ": " + e.getMessage(), e);
                            }
                        }
                    }
                }
            }
            return removed;
        }

        @Override
        public void restore(Panel panel) {
            Path dir = panelDir(panel.id());
            checkWritable();
            try (StoreLocks.Held held = lockerFor(dir).lock()) {
                mkdirs(dir);
                createEmptyLog(dir);
                MessageLog log = logFor(dir, lockerFor(dir));
                log.refresh(true);
                write(dir.resolve("panel.json"), Json.panel(panel, log.state().lastSeq()));
            }
        }

        @Override
        public void restoreMessages(String panelId, List<Message> given) {
            checkWritable();
            Path dir = existing(panelId);
            try (StoreLocks.Held held = lockerFor(dir).lock()) {
                PanelFile f = readPanelFile(dir).orElseThrow(() -> new NotFoundException("panel", panelId));
                MessageLog log = logFor(dir, lockerFor(dir));
                log.refresh(true);
                Panel before = derive(f, log.state());
                restoreInto(log, given, panelId);
                write(dir.resolve("panel.json"), Json.panel(before, log.state().lastSeq()));
            }
        }

        @Override
        public void restoreInsight(Insight insight) {
            checkWritable();
            Path dir = existing(insight.panelId());
            try (StoreLocks.Held held = lockerFor(dir).lock()) {
                Path f = insightFile(insight.panelId(), insight.id());
                mkdirs(f.getParent());
                write(f, Json.insight(insight));
            }
        }
    }

    // ---- personas ------------------------------------------------------------------------------------------

    private final class Personas implements PersonaRepository {
        private Path dir(PersonaScope scope) {
            return scope.isGlobal() ? root.resolve("personas_global") : userDir(scope.userId().get()).resolve("personas");
        }

        private Path file(PersonaScope scope, String id) {
            return dir(scope).resolve(FsNames.encode(id) + ".json");
        }

        private <T> T lockedScope(PersonaScope scope, Supplier<T> action) {
            return scope.isGlobal() ? locked(Level.GLOBAL_PERSONAS, "g", action)
                    : locked(Level.USER, userKey(scope.userId().get()), action);
        }

        private void requireUser(PersonaScope scope) {
            if (!scope.isGlobal() && !userExists(scope.userId().get())) {
                throw new NotFoundException("user", scope.userId().get());
            }
        }

        @Override
        public void insert(Persona persona) {
            lockedScope(persona.scope(), () -> {
                requireUser(persona.scope());
                Path f = file(persona.scope(), persona.id());
                if (Files.exists(f)) {
                    throw new DuplicateKeyException("persona", persona.scope() + "/" + persona.id());
                }
                mkdirs(f.getParent());
                write(f, Json.persona(persona));
                return null;
            });
        }

        @Override
        public Persona update(Persona next, long expectedVersion) {
            return lockedScope(next.scope(), () -> {
                requireUser(next.scope());
                Persona cur = find(next.scope(), next.id())
                        .orElseThrow(() -> new NotFoundException("persona", next.scope() + "/" + next.id()));
                if (cur.version() != expectedVersion) {
                    throw new OptimisticConflictException("persona", next.scope() + "/" + next.id(), expectedVersion,
                            cur.version());
                }
                write(file(next.scope(), next.id()), Json.persona(next));
                return next;
            });
        }

        @Override
        public Optional<Persona> find(PersonaScope scope, String personaId) {
            checkOpen();
            return read(file(scope, personaId), Json::persona).filter(p -> p.id().equals(personaId));
        }

        @Override
        public List<Persona> list(PersonaScope scope) {
            checkOpen();
            List<Persona> out = new ArrayList<>();
            for (Path f : children(dir(scope), false, ".json")) {
                read(f, Json::persona).ifPresent(out::add);
            }
            out.sort(Comparator.comparing(Persona::id));
            return out;
        }

        @Override
        public boolean delete(PersonaScope scope, String personaId) {
            return lockedScope(scope, () -> {
                try {
                    return Files.deleteIfExists(file(scope, personaId));
                } catch (IOException e) {
                    throw new StorageIOException("cannot delete persona " + personaId + ": " + e.getMessage(), e);
                }
            });
        }

        @Override
        public void restore(Persona persona) {
            lockedScope(persona.scope(), () -> {
                requireUser(persona.scope());
                Path f = file(persona.scope(), persona.id());
                mkdirs(f.getParent());
                write(f, Json.persona(persona));
                return null;
            });
        }
    }

    // ---- credentials ---------------------------------------------------------------------------------------

    private final class Credentials implements CredentialRepository {
        private Path file(String userId, String provider) {
            return userDir(userId).resolve("credentials").resolve(FsNames.encode(provider) + ".json");
        }

        @Override
        public void put(StoredCredential credential) {
            locked(Level.USER, userKey(credential.userId()), () -> {
                if (!userExists(credential.userId())) {
                    throw new NotFoundException("user", credential.userId());
                }
                Path f = file(credential.userId(), credential.provider());
                mkdirs(f.getParent());
                write(f, Json.credential(credential));
                return null;
            });
        }

        @Override
        public Optional<StoredCredential> find(String userId, String provider) {
            checkOpen();
            return read(file(userId, provider), Json::credential).filter(c -> c.provider().equals(provider));
        }

        @Override
        public List<StoredCredential> list(String userId) {
            checkOpen();
            List<StoredCredential> out = new ArrayList<>();
            for (Path f : children(userDir(userId).resolve("credentials"), false, ".json")) {
                read(f, Json::credential).ifPresent(out::add);
            }
            out.sort(Comparator.comparing(StoredCredential::provider));
            return out;
        }

        @Override
        public boolean delete(String userId, String provider) {
            return locked(Level.USER, userKey(userId), () -> {
                try {
                    return Files.deleteIfExists(file(userId, provider));
                } catch (IOException e) {
                    throw new StorageIOException("cannot delete credential " + provider + ": " + e.getMessage(), e);
                }
            });
        }
    }
}
