package dev.chatstore.api.internal;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.TransferReport;
import dev.chatstore.api.model.Usage;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.DocumentContent;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.Transfer;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StoredCredential;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The portable export format: NDJSON, one record per line, UTF-8. The first line is a header
 * ({@code {"type":"header","format":"chatstore-export","version":1,...}}); then, per user in ID order, the user,
 * its credentials (encrypted, as stored), its personas, and its sessions, each followed by its messages (seq
 * order), documents (a {@code document} line and {@code chunks} lines of {@code document-chunk} base64), current
 * context and context snapshots (oldest first); then global personas; then panels with their messages and
 * insights. Timestamps are ISO-8601 UTC strings; optional fields are omitted when absent.
 */
public final class PortableFormat {

    public static final String FORMAT = "chatstore-export";
    public static final int VERSION = 1;
    private static final int PAGE = 500;
    private static final int CHUNK_BYTES = 768 * 1024; // 1 MiB of base64 per line
    private static final int HISTORY_ALL = 1_000_000;

    private PortableFormat() {
    }

    // ---- export --------------------------------------------------------------------------------------------

    public static TransferReport export(StorageBackend backend, OutputStream out, Clock clock) {
        Map<String, Long> counts = new TreeMap<>();
        try {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            line(w, counts, JsonObject.of("type", "header", "format", FORMAT, "version", VERSION,
                    "exportedAt", clock.instant().toString()));
            counts.remove("header");
            // Keyset walks (by ID), never offsets: an append during the export reorders sessions by updatedAt and
            // would move one onto a page already written.
            for (String after = ""; ; ) {
                List<User> users = backend.users().list(after, PAGE);
                for (User u : users) {
                    exportUser(backend, w, counts, u);
                }
                if (users.size() < PAGE) {
                    break;
                }
                after = users.get(users.size() - 1).id();
            }
            for (Persona p : backend.personas().list(PersonaScope.global())) {
                line(w, counts, persona(p));
            }
            for (String afterPanel = ""; ; ) {
                List<Panel> panels = backend.panels().listById(afterPanel, PAGE);
                for (Panel p : panels) {
                    line(w, counts, JsonObject.of("type", "panel", "id", p.id(), "panelType", p.type(),
                            "personas", p.personas(), "config", p.config(), "createdAt", ts(p.createdAt()),
                            "updatedAt", ts(p.updatedAt())));
                    for (long after = 0; ; ) {
                        List<Message> page = backend.logs().after(LogRef.panel(p.id()), after, PAGE);
                        for (Message m : page) {
                            line(w, counts, message("panel-message", m).with("panelId", p.id()));
                        }
                        if (page.size() < PAGE) {
                            break;
                        }
                        after = page.get(page.size() - 1).seq();
                    }
                    for (Insight i : backend.panels().insights(p.id(), HISTORY_ALL)) {
                        line(w, counts, JsonObject.of("type", "insight", "panelId", i.panelId(), "id", i.id(),
                                "createdAt", ts(i.createdAt()), "content", i.content()));
                    }
                }
                if (panels.size() < PAGE) {
                    break;
                }
                afterPanel = panels.get(panels.size() - 1).id();
            }
            w.flush();
        } catch (IOException e) {
            throw new StorageIOException("export failed: " + e.getMessage(), e);
        }
        return new TransferReport(counts);
    }

    private static void exportUser(StorageBackend backend, Writer w, Map<String, Long> counts, User u) throws IOException {
        line(w, counts, JsonObject.of("type", "user", "id", u.id(), "displayName", u.displayName(),
                "profile", u.profile(), "createdAt", ts(u.createdAt()), "updatedAt", ts(u.updatedAt()),
                "version", u.version()));
        for (StoredCredential c : backend.credentials().list(u.id())) {
            line(w, counts, JsonObject.of("type", "credential", "userId", c.userId(), "provider", c.provider(),
                    "keyId", c.keyId(), "nonce", c.nonce(), "ciphertext", c.ciphertext(),
                    "createdAt", ts(c.createdAt()), "updatedAt", ts(c.updatedAt())));
        }
        for (Persona p : backend.personas().list(PersonaScope.user(u.id()))) {
            line(w, counts, persona(p));
        }
        for (String after = ""; ; ) {
            List<Session> sessions = backend.sessions().listById(u.id(), after, PAGE);
            for (Session s : sessions) {
                exportSession(backend, w, counts, s);
            }
            if (sessions.size() < PAGE) {
                break;
            }
            after = sessions.get(sessions.size() - 1).id();
        }
    }

    private static void exportSession(StorageBackend backend, Writer w, Map<String, Long> counts, Session s)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "session");
        m.put("userId", s.userId());
        m.put("id", s.id());
        m.put("title", s.title());
        s.model().ifPresent(v -> m.put("model", v));
        s.provider().ifPresent(v -> m.put("provider", v));
        m.put("archived", s.archived());
        m.put("metadata", s.metadata());
        m.put("messageCount", s.messageCount());
        s.lastMessageAt().ifPresent(v -> m.put("lastMessageAt", ts(v)));
        m.put("createdAt", ts(s.createdAt()));
        m.put("updatedAt", ts(s.updatedAt()));
        m.put("version", s.version());
        line(w, counts, JsonObject.from(m));
        for (long after = 0; ; ) {
            List<Message> page = backend.logs().after(LogRef.session(s.userId(), s.id()), after, PAGE);
            for (Message msg : page) {
                line(w, counts, message("message", msg).with("userId", s.userId()));
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).seq();
        }
        for (Document d : backend.documents().list(s.userId(), s.id())) {
            long chunks = d.size() == 0 ? 0 : (d.size() + CHUNK_BYTES - 1) / CHUNK_BYTES;
            line(w, counts, JsonObject.of("type", "document", "userId", s.userId(), "sessionId", s.id(),
                    "name", d.name(), "mimeType", d.mimeType(), "size", d.size(), "sha256", d.sha256(),
                    "uploadedAt", ts(d.uploadedAt()), "analysis", d.analysis(), "metadata", d.metadata(),
                    "chunks", chunks));
            Optional<InputStream> body = backend.documents().open(s.userId(), s.id(), d.name());
            if (body.isEmpty()) {
                throw new StorageCorruptionException("document " + s.userId() + "/" + s.id() + "/" + d.name(), -1,
                        "listed but its bytes are missing");
            }
            long written = 0;
            try (InputStream in = body.get()) {
                byte[] buffer = new byte[CHUNK_BYTES];
                while (true) {
                    int n = in.readNBytes(buffer, 0, CHUNK_BYTES);
                    if (n <= 0) {
                        break;
                    }
                    written += n;
                    byte[] exact = n == CHUNK_BYTES ? buffer : java.util.Arrays.copyOf(buffer, n);
                    line(w, counts, JsonObject.of("type", "document-chunk", "base64",
                            Base64.getEncoder().encodeToString(exact)));
                }
            }
            if (written != d.size()) {
                throw new StorageCorruptionException("document " + s.userId() + "/" + s.id() + "/" + d.name(), written,
                        "holds " + written + " bytes but its metadata says " + d.size());
            }
        }
        Optional<SituationalContext> current = backend.contexts().current(s.userId(), s.id());
        if (current.isPresent()) {
            line(w, counts, context("context", s, current.get()));
        }
        List<SituationalContext> history = new ArrayList<>(backend.contexts().history(s.userId(), s.id(), HISTORY_ALL));
        Collections.reverse(history); // oldest first, so that importing in order rebuilds the same history
        for (SituationalContext c : history) {
            line(w, counts, context("context-snapshot", s, c));
        }
    }

    private static JsonObject persona(Persona p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "persona");
        m.put("userId", p.scope().userId().orElse(null));
        m.put("id", p.id());
        m.put("data", p.data());
        m.put("createdAt", ts(p.createdAt()));
        m.put("updatedAt", ts(p.updatedAt()));
        m.put("version", p.version());
        return JsonObject.from(m);
    }

    private static JsonObject message(String type, Message msg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("sessionId", msg.sessionId());
        m.put("seq", msg.seq());
        m.put("id", msg.id());
        m.put("role", msg.role());
        m.put("content", msg.content());
        m.put("createdAt", ts(msg.createdAt()));
        m.put("attachments", msg.attachments());
        m.put("metadata", msg.metadata());
        msg.usage().ifPresent(u -> m.put("usage", JsonObject.of("inputTokens", u.inputTokens(),
                "outputTokens", u.outputTokens(), "cost", u.cost().toPlainString(), "currency", u.currency())));
        msg.model().ifPresent(v -> m.put("model", v));
        msg.provider().ifPresent(v -> m.put("provider", v));
        return JsonObject.from(m);
    }

    private static JsonObject context(String type, Session s, SituationalContext c) {
        return JsonObject.of("type", type, "userId", s.userId(), "sessionId", s.id(), "summary", c.summary(),
                "keyPoints", c.keyPoints(), "entities", c.entities(), "confidence", c.confidence(),
                "capturedAt", ts(c.capturedAt()));
    }

    private static void line(Writer w, Map<String, Long> counts, JsonObject record) throws IOException {
        w.write(record.toJson());
        w.write('\n');
        counts.merge((String) record.members().get("type"), 1L, Long::sum);
    }

    private static String ts(Instant t) {
        return t.toString();
    }

    // ---- import --------------------------------------------------------------------------------------------

    public static TransferReport importInto(StorageBackend backend, Transfer transfer, InputStream in,
                                            ChatStoreConfig config) {
        Importer importer = new Importer(backend, transfer, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16),
                config);
        return importer.run();
    }

    private static final class Importer {
        private final StorageBackend backend;
        private final Transfer transfer;
        private final BufferedReader reader;
        private final ChatStoreConfig config;
        private final Map<String, Long> counts = new TreeMap<>();
        private long lineNumber;
        private final List<Message> pending = new ArrayList<>();
        private String pendingOwner;      // "user\0session" or "\0panel"
        private Session pendingSession;   // set when pending are session messages
        private long committedRecords;     // records written so far
        private long committedThrough;     // the last input line whose record is written
        private long pendingFirstLine;
        private long pendingLastLine;
        private boolean failedBatch;       // true while a queued batch is being written
        private String snapshotOwner;     // "user\0session" whose history snapshotsBefore holds
        private List<SituationalContext> snapshotsBefore;

        Importer(StorageBackend backend, Transfer transfer, BufferedReader reader, ChatStoreConfig config) {
            this.backend = backend;
            this.transfer = transfer;
            this.reader = reader;
            this.config = config;
        }

        TransferReport run() {
            try {
                String first = next();
                if (first == null) {
                    throw fail("the input is empty; expected a " + FORMAT + " header line");
                }
                JsonObject header = parse(first);
                if (!"header".equals(str(header, "type")) || !FORMAT.equals(str(header, "format"))) {
                    throw fail("the first line is not a " + FORMAT + " header");
                }
                long version = num(header, "version");
                if (version != VERSION) {
                    throw fail("format version " + version + " is not supported (this build reads version " + VERSION + ")");
                }
                committedThrough = lineNumber;
                String text;
                while ((text = next()) != null) {
                    if (text.isBlank()) {
                        continue;
                    }
                    try {
                        apply(parse(text));
                    } catch (ValidationException | StorageCorruptionException | DuplicateKeyException
                             | NotFoundException | LimitExceededException e) {
                        throw stopped(e);
                    }
                }
                try {
                    flush();
                } catch (ValidationException | StorageCorruptionException | DuplicateKeyException
                         | NotFoundException | LimitExceededException e) {
                    throw stopped(e);
                }
                return new TransferReport(counts);
            } catch (IOException e) {
                throw new StorageIOException("import failed at line " + lineNumber + ": " + e.getMessage(), e);
            }
        }

        private String next() throws IOException {
            String l = reader.readLine();
            if (l != null) {
                lineNumber++;
            }
            return l;
        }

        private void apply(JsonObject r) throws IOException {
            String type = str(r, "type");
            boolean isMessage = type.equals("message") || type.equals("panel-message");
            if (!isMessage) {
                flush();
            }
            try {
                switch (type) {
                    case "user" -> transfer.restoreUser(new User(id(r, "id"), str(r, "displayName"), obj(r, "profile"),
                            time(r, "createdAt"), time(r, "updatedAt"), num(r, "version")));
                    case "credential" -> transfer.restoreCredential(new StoredCredential(id(r, "userId"), id(r, "provider"),
                            str(r, "keyId"), str(r, "nonce"), str(r, "ciphertext"), time(r, "createdAt"), time(r, "updatedAt")));
                    case "persona" -> {
                        PersonaScope scope = r.members().get("userId") == null ? PersonaScope.global()
                                : PersonaScope.user(id(r, "userId"));
                        transfer.restorePersona(new Persona(id(r, "id"), scope, obj(r, "data"), time(r, "createdAt"),
                                time(r, "updatedAt"), num(r, "version")));
                    }
                    case "session" -> transfer.restoreSession(new Session(id(r, "id"), id(r, "userId"), str(r, "title"),
                            optStr(r, "model"), optStr(r, "provider"), bool(r, "archived"), obj(r, "metadata"),
                            num(r, "messageCount"), optTime(r, "lastMessageAt"), time(r, "createdAt"), time(r, "updatedAt"),
                            num(r, "version")));
                    case "message" -> queue(id(r, "userId") + "\u0000" + id(r, "sessionId"), message(r));
                    case "panel-message" -> queue("\u0000" + id(r, "panelId"), message(r));
                    case "document" -> importDocument(r);
                    case "context" -> backend.contexts().setCurrent(id(r, "userId"), id(r, "sessionId"), context(r));
                    case "context-snapshot" -> importSnapshot(id(r, "userId"), id(r, "sessionId"), context(r));
                    case "panel" -> transfer.restorePanel(new Panel(id(r, "id"), str(r, "panelType"),
                            strings(r, "personas"), obj(r, "config"), time(r, "createdAt"), time(r, "updatedAt")));
                    case "insight" -> transfer.restoreInsight(new Insight(id(r, "id"), id(r, "panelId"),
                            time(r, "createdAt"), obj(r, "content")));
                    default -> throw fail("unknown record type '" + type + "'");
                }
            } catch (ClassCastException | NullPointerException | IllegalArgumentException | DateTimeParseException e) {
                throw fail("malformed " + type + " record: " + e.getMessage());
            }
            if (!isMessage) {
                counts.merge(type, 1L, Long::sum);
                committedRecords++;
                committedThrough = lineNumber;
            }
        }

        private void queue(String owner, Message m) {
            if (!owner.equals(pendingOwner) || pending.size() >= PAGE) {
                flush();
                pendingOwner = owner;
            }
            if (pending.isEmpty()) {
                pendingFirstLine = lineNumber;
            }
            pending.add(m);
            pendingLastLine = lineNumber;
            counts.merge(owner.startsWith("\u0000") ? "panel-message" : "message", 1L, Long::sum);
        }

        private void flush() {
            if (pending.isEmpty()) {
                return;
            }
            List<Message> batch = List.copyOf(pending);
            failedBatch = true;
            if (pendingOwner.startsWith("\u0000")) {
                transfer.restorePanelMessages(pendingOwner.substring(1), batch);
            } else {
                int sep = pendingOwner.indexOf('\u0000');
                transfer.restoreMessages(pendingOwner.substring(0, sep), pendingOwner.substring(sep + 1), batch);
            }
            failedBatch = false;
            pending.clear();
            committedRecords += batch.size();
            committedThrough = pendingLastLine;
        }

        /**
         * The import stops at its first bad record. What came before it stays imported (valid records already queued
         * are written first), and the error says exactly how far the store got, so that a person can fix the input
         * and run the import again: re-importing records that are already there replaces them by equal ones.
         */
        private StorageException stopped(StorageException e) {
            long failedAt = failedBatch ? pendingFirstLine : lineNumber;
            if (!failedBatch && !pending.isEmpty()) {
                try {
                    flush();
                } catch (StorageException stillFailing) {
                    e.addSuppressed(stillFailing);
                }
            }
            String where = failedBatch ? "import lines " + pendingFirstLine + "-" + pendingLastLine
                    : "import line " + failedAt;
            String committed = "; " + committedRecords + " record(s) committed, from lines 1-" + committedThrough
                    + ", none after line " + committedThrough + ". Fix the input and run the import again: records"
                    + " already imported are replaced by equal ones, so a re-run completes it";
            if (e instanceof StorageCorruptionException c) {
                return new StorageCorruptionException(c.location().orElse(where), c.offset().orElse(-1),
                        where + ": " + c.getMessage() + committed, c);
            }
            String message = e.getMessage();
            if (e instanceof ValidationException v && message.startsWith(v.field() + ": ")) {
                message = message.substring(v.field().length() + 2);
            }
            ValidationException out = new ValidationException(e instanceof ValidationException v
                    && v.field().startsWith("import line") ? v.field() : where, message + committed);
            out.initCause(e);
            return out;
        }

        private Message message(JsonObject r) {
            Optional<Usage> usage = r.getObject("usage").map(u -> new Usage(num(u, "inputTokens"), num(u, "outputTokens"),
                    new BigDecimal(str(u, "cost")), str(u, "currency")));
            String owner = r.has("panelId") ? id(r, "panelId") : id(r, "sessionId");
            return new Message(id(r, "id"), owner, num(r, "seq"), str(r, "role"), str(r, "content"), time(r, "createdAt"),
                    strings(r, "attachments"), obj(r, "metadata"), usage, optStr(r, "model"), optStr(r, "provider"));
        }

        private SituationalContext context(JsonObject r) {
            Map<String, List<String>> entities = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : obj(r, "entities").members().entrySet()) {
                List<String> values = new ArrayList<>();
                for (Object v : (List<?>) e.getValue()) {
                    values.add((String) v);
                }
                entities.put(e.getKey(), values);
            }
            Number confidence = (Number) r.members().get("confidence");
            return new SituationalContext(str(r, "summary"), strings(r, "keyPoints"), entities,
                    confidence.doubleValue(), time(r, "capturedAt"));
        }

        /**
         * Adds a snapshot unless an equal one was already in the session's history before this import reached it.
         * Snapshots have no key, so this is what "replacing records with the same keys" means for them: importing
         * the same export twice leaves one copy of each, and into an empty store every snapshot is added.
         */
        private void importSnapshot(String userId, String sessionId, SituationalContext snapshot) {
            String owner = userId + "\u0000" + sessionId;
            if (!owner.equals(snapshotOwner)) {
                snapshotOwner = owner;
                snapshotsBefore = new ArrayList<>(backend.contexts().history(userId, sessionId, HISTORY_ALL));
            }
            if (!snapshotsBefore.remove(snapshot)) {
                backend.contexts().addSnapshot(userId, sessionId, snapshot, config.maxContextHistory());
            }
        }

        private void importDocument(JsonObject r) throws IOException {
            String userId = id(r, "userId");
            String sessionId = id(r, "sessionId");
            String name = str(r, "name");
            long chunks = num(r, "chunks");
            long documentLine = lineNumber;
            long expectedSize = num(r, "size");
            String expectedSha256 = str(r, "sha256");
            InputStream body = new InputStream() {
                private byte[] current = new byte[0];
                private int pos;
                private long read;
                private long total;
                private boolean verified;
                private final java.security.MessageDigest digest = sha256();

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    while (pos >= current.length) {
                        if (read >= chunks) {
                            verify(); // before the backend sees the end and commits the document
                            return -1;
                        }
                        String text = next();
                        if (text == null) {
                            throw fail("document " + name + " (line " + documentLine + ") announces " + chunks
                                    + " chunks but the input ends after " + read);
                        }
                        JsonObject chunk = parse(text);
                        if (!"document-chunk".equals(str(chunk, "type"))) {
                            throw fail("expected chunk " + (read + 1) + " of " + chunks + " of document " + name);
                        }
                        current = Base64.getDecoder().decode(str(chunk, "base64"));
                        pos = 0;
                        read++;
                        counts.merge("document-chunk", 1L, Long::sum);
                    }
                    int n = Math.min(len, current.length - pos);
                    System.arraycopy(current, pos, b, off, n);
                    pos += n;
                    digest.update(b, off, n);
                    total += n;
                    if (total > expectedSize) {
                        throw new StorageCorruptionException("import line " + documentLine, -1, "document " + name
                                + " holds more than its recorded " + expectedSize + " bytes");
                    }
                    return n;
                }

                private void verify() {
                    if (verified) {
                        return;
                    }
                    verified = true;
                    String actual = java.util.HexFormat.of().formatHex(digest.digest());
                    if (total != expectedSize || !actual.equals(expectedSha256)) {
                        throw new StorageCorruptionException("import line " + documentLine, -1, "document " + name
                                + " does not match its recorded size and sha256 (got " + total + " bytes, " + actual + ")");
                    }
                }
            };
            DocumentContent content = new DocumentContent(body, Math.max(config.maxDocumentBytes(), num(r, "size")),
                    "limits.max-document-bytes");
            Document saved = backend.documents().save(userId, new DocumentRepository.Upload(sessionId,
                    Validator.documentName("name", name), str(r, "mimeType"), time(r, "uploadedAt"), obj(r, "analysis"),
                    obj(r, "metadata"), content));
            if (saved.size() != num(r, "size") || !saved.sha256().equals(str(r, "sha256"))) {
                throw new StorageCorruptionException("import line " + documentLine, -1, "document " + name
                        + " does not match its recorded size and sha256 (got " + saved.size() + " bytes, " + saved.sha256() + ")");
            }
        }

        private static java.security.MessageDigest sha256() {
            try {
                return java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required by every Java platform", e);
            }
        }

        private JsonObject parse(String text) {
            try {
                return JsonCodec.parseObject(text, JsonObject.MAX_DEPTH + 1); // the record wraps the JSON fields
            } catch (ValidationException e) {
                throw fail("not a JSON object: " + e.getMessage());
            }
        }

        private ValidationException fail(String problem) {
            return new ValidationException("import line " + lineNumber, problem);
        }

        private String str(JsonObject r, String key) {
            Object v = r.members().get(key);
            if (!(v instanceof String s)) {
                throw fail("field '" + key + "' must be a string");
            }
            return s;
        }

        private String id(JsonObject r, String key) {
            String v = str(r, key);
            try {
                return Validator.id(key, v);
            } catch (StorageException e) {
                throw fail(e.getMessage());
            }
        }

        private Optional<String> optStr(JsonObject r, String key) {
            return r.has(key) && r.members().get(key) != null ? Optional.of(str(r, key)) : Optional.empty();
        }

        private long num(JsonObject r, String key) {
            Object v = r.members().get(key);
            if (!(v instanceof Long l)) {
                throw fail("field '" + key + "' must be a whole number");
            }
            return l;
        }

        private boolean bool(JsonObject r, String key) {
            Object v = r.members().get(key);
            if (!(v instanceof Boolean b)) {
                throw fail("field '" + key + "' must be true or false");
            }
            return b;
        }

        private JsonObject obj(JsonObject r, String key) {
            Object v = r.members().get(key);
            if (!(v instanceof JsonObject o)) {
                throw fail("field '" + key + "' must be an object");
            }
            return o;
        }

        private List<String> strings(JsonObject r, String key) {
            Object v = r.members().get(key);
            if (!(v instanceof List<?> list)) {
                throw fail("field '" + key + "' must be an array");
            }
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw fail("field '" + key + "' must hold strings");
                }
                out.add(s);
            }
            return out;
        }

        private Instant time(JsonObject r, String key) {
            try {
                return Instant.parse(str(r, key));
            } catch (DateTimeParseException e) {
                throw fail("field '" + key + "' is not an ISO-8601 instant: " + r.members().get(key));
            }
        }

        private Optional<Instant> optTime(JsonObject r, String key) {
            return r.has(key) ? Optional.of(time(r, key)) : Optional.empty();
        }
    }
}
