package dev.chatstore.migration.legacy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.User;
import dev.chatstore.migration.ImportOptions;
import dev.chatstore.migration.ImportSummary;
import dev.chatstore.migration.LegacyFormat;
import dev.chatstore.migration.LegacyImporter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Seeds 001/002, the Python app: {@code users.json} (user ID → email, name, password_hash, auth_type, created_at)
 * and {@code user_data/<user ID>.json} with {@code api_keys} (Fernet tokens) and {@code conversations} (ID →
 * title, provider, model, timestamp, messages with input_tokens, output_tokens and cost).
 *
 * <p>Python's {@code json.load} keeps the last of duplicate keys, so of duplicate user or conversation IDs the
 * last is imported and the others are reported as superseded. API keys are decrypted with the legacy Fernet key
 * (never stored) and stored again through the store's credentials, encrypted under its own key; without the
 * legacy key they are reported and skipped. Units: {@code users.json} (position: entries done), then each
 * {@code user_data} file in name order (position: API keys and conversations done, in file order).
 */
public final class PythonAppImporter implements LegacyImporter {

    static final String USERS = "users.json";
    static final String USER_DATA = "user_data";
    private static final List<String> NO_TIME_FIELDS = List.of();

    @Override
    public LegacyFormat format() {
        return LegacyFormat.PYTHON_APP;
    }

    @Override
    public ImportSummary run(ChatStore target, Path source, ImportOptions options) {
        Path root = Files.isRegularFile(source) ? source.toAbsolutePath().getParent() : source;
        if (!Files.isRegularFile(root.resolve(USERS)) && !Files.isDirectory(root.resolve(USER_DATA))) {
            throw new StorageIOException("no Python-app store at " + source + ": neither " + USERS + " nor "
                    + USER_DATA + "/ is there", null);
        }
        Optional<Fernet> fernet;
        try {
            fernet = options.legacyKey().map(Fernet::new);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("legacyKey", e.getMessage());
        }
        try (ImportRun run = new ImportRun(target, format(), root, options)) {
            new Reader(run, root, fernet).importAll();
            return run.finish();
        }
    }

    private record UserEntry(String rawId, long line, Object value) {
    }

    /** Per conversation, what the first pass learns (the time and model may follow the messages in the file). */
    private record ConversationScan(Object timestamp, Object model, Object provider, int messages) {
    }

    private static final class Reader {
        private final ImportRun run;
        private final Path root;
        private final Optional<Fernet> fernet;
        /** Users of users.json by legacy ID (the winning entry), for the user_data files. */
        private final Map<String, UserEntry> users = new LinkedHashMap<>();

        Reader(ImportRun run, Path root, Optional<Fernet> fernet) {
            this.run = run;
            this.root = root;
            this.fernet = fernet;
        }

        void importAll() {
            List<Path> dataFiles = dataFiles();
            long total = size(root.resolve(USERS));
            for (Path f : dataFiles) {
                total += size(f);
            }
            run.totalBytes(total);
            importUsers();
            for (int i = 0; i < dataFiles.size(); i++) {
                importUserData(i + 1, dataFiles.get(i));
            }
        }

        private List<Path> dataFiles() {
            Path dir = root.resolve(USER_DATA);
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                        .sorted().toList();
            } catch (IOException e) {
                throw new StorageIOException("cannot list " + dir + ": " + e, e);
            }
        }

        private static long size(Path f) {
            try {
                return Files.isRegularFile(f) ? Files.size(f) : 0;
            } catch (IOException e) {
                return 0;
            }
        }

        // ---- users.json ----------------------------------------------------------------------------------------

        private void importUsers() {
            Path file = root.resolve(USERS);
            List<UserEntry> entries = new ArrayList<>();
            Map<String, Integer> last = new HashMap<>();
            Optional<String> problem = Optional.empty();
            long problemLine = 0;
            if (Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file); JsonParser p = JsonValues.FACTORY.createParser(in)) {
                    try {
                        JsonToken t = p.nextToken();
                        if (t != JsonToken.START_OBJECT) {
                            throw new JsonEOFException(p, t, "users.json does not hold an object of users but " + t);
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String id = p.currentName();
                            p.nextToken();
                            long line = p.currentTokenLocation().getLineNr();
                            entries.add(new UserEntry(id, line, JsonValues.read(p)));
                            last.put(id, entries.size() - 1);
                        }
                        if (p.currentToken() != JsonToken.END_OBJECT) {
                            throw new JsonEOFException(p, null, "end of input inside the users object");
                        }
                    } catch (JsonProcessingException e) {
                        JsonLocation at = e.getLocation() != null ? e.getLocation() : p.currentLocation();
                        problem = Optional.of(e.getOriginalMessage().split("\n")[0] + " at line " + at.getLineNr()
                                + ", column " + at.getColumnNr());
                        problemLine = at.getLineNr();
                    }
                } catch (IOException e) {
                    throw new StorageIOException("cannot read " + file + ": " + e.getMessage(), e);
                }
            }
            for (int i = 0; i < entries.size(); i++) {
                if (last.get(entries.get(i).rawId()) == i) {
                    users.put(entries.get(i).rawId(), entries.get(i));
                }
            }
            long start = run.startOf(0);
            if (start < 0) {
                return;
            }
            run.startFile(USERS, size(file));
            for (int i = (int) start; i < entries.size(); i++) {
                UserEntry e = entries.get(i);
                String path = "$['" + e.rawId() + "']";
                int winner = last.get(e.rawId());
                if (winner != i) {
                    run.skipped(new Finding(USERS, e.line(), path, ImportRun.USER, LegacyValues.printable(e.rawId()),
                            Finding.SUPERSEDED, "duplicate user id: the entry at line " + entries.get(winner).line()
                            + " has the same id and wins (Python's json.load keeps the last)"));
                } else {
                    importUser(e, path);
                }
                run.recordDone(0, USERS, i + 1);
            }
            if (problem.isPresent()) {
                run.failed(ImportRun.FILE, 1, new Finding(USERS, problemLine, "", ImportRun.FILE, "", Finding.FAILED,
                        "torn JSON file: " + problem.get() + "; users after this point cannot be read (their "
                        + "user_data files are still imported, with empty profiles)"));
            }
            run.bytesInFile(size(file));
            run.unitDone(0, USERS);
        }

        private void importUser(UserEntry e, String path) {
            if (!(e.value() instanceof Map<?, ?> raw)) {
                run.skipped(new Finding(USERS, e.line(), path, ImportRun.USER, LegacyValues.printable(e.rawId()),
                        Finding.SKIPPED, "the user is " + JsonValues.typeOf(e.value()) + ", not an object"));
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> profile = new LinkedHashMap<>((Map<String, Object>) raw);
            String userId = LegacyValues.mapId(e.rawId());
            if (!userId.equals(e.rawId())) {
                profile.put("legacyId", e.rawId());
                run.note(new Finding(USERS, e.line(), path, ImportRun.USER, LegacyValues.printable(e.rawId()),
                        Finding.MAPPED, "user id is not a valid Chatstore ID; imported as '" + userId
                        + "' with legacyId in its profile"));
            }
            String displayName = "";
            if (profile.get("name") instanceof String n && n.length() <= 1000
                    && dev.chatstore.api.json.JsonCodec.firstUnpairedSurrogate(n) < 0) {
                displayName = n;
                profile.remove("name");
            }
            Optional<Instant> created = LegacyValues.instant(profile.get("created_at"));
            if (created.isPresent()) {
                profile.remove("created_at");
            } else {
                run.note(new Finding(USERS, e.line(), path, ImportRun.USER, LegacyValues.printable(e.rawId()),
                        Finding.MAPPED, (profile.containsKey("created_at") ? "bad timestamp: created_at is "
                        + LegacyValues.describe(profile.get("created_at")) + " (kept in the profile)"
                        : "missing created_at") + "; createdAt set to " + Instant.EPOCH));
            }
            Instant createdAt = created.orElse(Instant.EPOCH);
            try {
                JsonObject p = JsonObject.from(profile);
                run.writer.restoreUser(new User(userId, displayName, p, createdAt, createdAt, 1));
                run.imported(ImportRun.USER);
            } catch (StorageException ex) {
                run.failed(ImportRun.USER, 1, new Finding(USERS, e.line(), path, ImportRun.USER,
                        LegacyValues.printable(e.rawId()), Finding.FAILED, "the store refused the user: " + ex.getMessage()));
            }
        }

        // ---- user_data/<id>.json -----------------------------------------------------------------------------

        private void importUserData(int unit, Path file) {
            long start = run.startOf(unit);
            if (start < 0) {
                return;
            }
            String name = USER_DATA + "/" + file.getFileName();
            run.startFile(name, size(file));
            String fileName = file.getFileName().toString();
            String rawUser = fileName.substring(0, fileName.length() - ".json".length());
            String userId = LegacyValues.mapId(rawUser);
            Scan scan = scan(file);
            long record = 0;
            Map<String, Object> unmapped = new LinkedHashMap<>();
            boolean opened = false;
            try (InputStream in = Files.newInputStream(file); JsonParser p = JsonValues.FACTORY.createParser(in)) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_OBJECT) {
                    opened = true;
                    if (start == 0) {
                        ensureUser(rawUser, userId, name);
                    }
                    outer:
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        boolean keys = field.equals("api_keys") && v == JsonToken.START_OBJECT;
                        boolean convs = field.equals("conversations") && v == JsonToken.START_OBJECT;
                        if (!keys && !convs) {
                            if (record >= scan.complete) {
                                break;
                            }
                            Object value = JsonValues.read(p);
                            if (record >= start) {
                                unmapped.put(field, value);
                            }
                            record++;
                            continue;
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            if (record >= scan.complete) {
                                break outer;
                            }
                            String key = p.currentName();
                            p.nextToken();
                            long line = p.currentTokenLocation().getLineNr();
                            String path = "$." + field + "['" + key + "']";
                            if (record < start) {
                                p.skipChildren();
                            } else if (keys) {
                                apiKey(name, line, path, rawUser, userId, key, JsonValues.read(p));
                            } else {
                                Long winner = scan.lastConversation.get(key);
                                if (winner != null && winner != record) {
                                    p.skipChildren();
                                    int n = scan.conversationAt(record).messages();
                                    run.skipped(ImportRun.SESSION, 1, new Finding(name, line, path, ImportRun.SESSION,
                                            LegacyValues.printable(key), Finding.SUPERSEDED, "duplicate conversation id: "
                                            + "a later entry has the same id and wins (Python's json.load keeps the last); "
                                            + "this one's " + n + " message(s) are not imported"));
                                    run.skippedQuietly(ImportRun.MESSAGE, n);
                                } else {
                                    conversation(p, name, line, path, userId, key, scan.conversationAt(record));
                                }
                            }
                            record++;
                            run.bytesInFile(p.currentLocation().getByteOffset());
                            run.recordDone(unit, name, record);
                        }
                    }
                }
            } catch (JsonProcessingException e) {
                // the first pass found this point too and reports it below; everything before it was imported
            } catch (IOException e) {
                throw new StorageIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (!unmapped.isEmpty()) {
                keepUnmapped(name, rawUser, userId, unmapped);
            }
            if (!opened && start == 0) {
                run.failed(ImportRun.FILE, 1, new Finding(name, 1, "$", ImportRun.FILE, LegacyValues.printable(rawUser),
                        Finding.FAILED, scan.problem.orElse("the file does not hold an object")
                        + "; nothing of this user's data can be read"));
            } else if (scan.problem.isPresent()) {
                if (scan.convRecords.contains(record)) {
                    int n = scan.conversationAt(record).messages();
                    run.failed(ImportRun.SESSION, 1, new Finding(name, scan.problemLine, "", ImportRun.SESSION, "",
                            Finding.FAILED, "torn JSON: the conversation is cut off or damaged; not imported, nor its "
                            + n + " complete message(s)"));
                    run.failedQuietly(ImportRun.MESSAGE, n);
                }
                run.failed(ImportRun.FILE, 1, new Finding(name, scan.problemLine, "", ImportRun.FILE,
                        LegacyValues.printable(rawUser), Finding.FAILED, "torn JSON file: " + scan.problem.get()
                        + "; nothing after this point can be read (every complete record before it was imported)"));
            }
            run.bytesInFile(size(file));
            run.unitDone(unit, name);
        }

        private void ensureUser(String rawUser, String userId, String name) {
            if (!userId.equals(rawUser)) {
                run.note(new Finding(name, 0, "", ImportRun.USER, LegacyValues.printable(rawUser), Finding.MAPPED,
                        "user id (the file name) is not a valid Chatstore ID; its data goes to user '" + userId + "'"));
            }
            if (!users.containsKey(rawUser)) {
                try {
                    // counted and reported whether or not a killed earlier run already created it
                    run.writer.ensureUser(userId, Instant.EPOCH);
                    run.imported(ImportRun.USER);
                    run.note(new Finding(name, 0, "", ImportRun.USER, LegacyValues.printable(rawUser), Finding.MAPPED,
                            "user_data file of a user missing from users.json: the user is created with an empty "
                                    + "profile and createdAt " + Instant.EPOCH));
                } catch (StorageException e) {
                    run.failed(ImportRun.USER, 1, new Finding(name, 0, "", ImportRun.USER,
                            LegacyValues.printable(rawUser), Finding.FAILED, "the store refused the user: " + e.getMessage()));
                }
            }
        }

        private void keepUnmapped(String name, String rawUser, String userId, Map<String, Object> unmapped) {
            try {
                Optional<User> u = run.store.users().get(userId);
                if (u.isPresent() && !run.writer.dryRun()) {
                    // merged, so that a run resumed inside the file keeps what the interrupted one stored
                    JsonObject before = u.get().profile().getObject("userData").orElse(JsonObject.empty());
                    JsonObject profile = u.get().profile().with("userData", before.merge(JsonObject.from(unmapped)));
                    if (!profile.equals(u.get().profile())) {
                        run.writer.restoreUser(u.get().withProfile(profile));
                    }
                }
            } catch (StorageException e) {
                run.failed(ImportRun.USER, 0, new Finding(name, 0, "", ImportRun.USER, LegacyValues.printable(rawUser),
                        Finding.FAILED, "the fields " + unmapped.keySet() + " of this file could not be kept in the "
                        + "user's profile: " + e.getMessage()));
            }
        }

        private void apiKey(String name, long line, String path, String rawUser, String userId, String provider,
                            Object token) {
            String where = LegacyValues.printable(rawUser) + "/" + LegacyValues.printable(provider);
            if (!(token instanceof String t)) {
                run.skipped(new Finding(name, line, path, ImportRun.CREDENTIAL, where, Finding.SKIPPED,
                        "the API key is " + JsonValues.typeOf(token) + ", not a Fernet token"));
                return;
            }
            if (!LegacyValues.validId(provider)) {
                run.skipped(new Finding(name, line, path, ImportRun.CREDENTIAL, where, Finding.SKIPPED,
                        "provider name is not a valid Chatstore ID"));
                return;
            }
            if (fernet.isEmpty()) {
                run.skipped(new Finding(name, line, path, ImportRun.CREDENTIAL, where, Finding.SKIPPED,
                        "encrypted API key not imported: no legacy key was given (the Fernet key the app encrypted it with)"));
                return;
            }
            String plain;
            try {
                plain = fernet.get().decrypt(t);
            } catch (IllegalArgumentException e) {
                run.skipped(new Finding(name, line, path, ImportRun.CREDENTIAL, where, Finding.SKIPPED,
                        "cannot decrypt the API key: " + e.getMessage()));
                return;
            }
            try {
                run.writer.putCredential(userId, provider, plain);
                run.imported(ImportRun.CREDENTIAL);
            } catch (StorageException e) {
                run.failed(ImportRun.CREDENTIAL, 1, new Finding(name, line, path, ImportRun.CREDENTIAL, where,
                        Finding.FAILED, "the store refused the API key: " + e.getMessage()));
            }
        }

        private void conversation(JsonParser p, String name, long line, String path, String userId, String rawId,
                                  ConversationScan known) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                Object v = JsonValues.read(p);
                run.skipped(new Finding(name, line, path, ImportRun.SESSION, LegacyValues.printable(rawId),
                        Finding.SKIPPED, "the conversation is " + JsonValues.typeOf(v) + ", not an object"));
                return;
            }
            String sessionId = LegacyValues.mapId(rawId);
            ChatImport.Origin origin = new ChatImport.Origin(name, line, path);
            ChatImport chat = new ChatImport(run, userId, sessionId, rawId, origin);
            Optional<Instant> time = LegacyValues.instant(known.timestamp());
            Optional<String> model = known.model() instanceof String s ? Optional.of(s) : Optional.empty();
            Optional<String> provider = known.provider() instanceof String s ? Optional.of(s) : Optional.empty();
            Map<String, Object> fields = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("messages") && v == JsonToken.START_ARRAY) {
                    long j = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        long mline = p.currentTokenLocation().getLineNr();
                        String mpath = path + ".messages[" + j + "]";
                        Object m = JsonValues.read(p);
                        if (!(m instanceof Map<?, ?>)) {
                            run.skipped(new Finding(name, mline, mpath, ImportRun.MESSAGE, "", Finding.SKIPPED,
                                    "the message is " + JsonValues.typeOf(m) + ", not an object"));
                        } else if (time.isEmpty()) {
                            run.skipped(new Finding(name, mline, mpath, ImportRun.MESSAGE, "", Finding.SKIPPED,
                                    "bad timestamp: the conversation's timestamp is "
                                            + LegacyValues.describe(known.timestamp()) + " and messages have none of their own"));
                        } else {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> raw = (Map<String, Object>) m;
                            chat.message(raw, j, mline, mpath, NO_TIME_FIELDS, time, model, provider);
                        }
                        j++;
                    }
                } else {
                    fields.put(field, JsonValues.read(p));
                }
            }
            if (!sessionId.equals(rawId)) {
                run.note(new Finding(name, line, path, ImportRun.SESSION, LegacyValues.printable(rawId), Finding.MAPPED,
                        "conversation id is not a valid Chatstore ID; imported as '" + sessionId
                                + "' with legacyId in its metadata"));
            }
            chat.finish(SessionFields.of(run, fields, rawId, sessionId, origin, "timestamp", List.of(), null));
        }

        // ---- first pass over a user_data file ----------------------------------------------------------------

        private static final class Scan {
            /** Records (unmapped fields, API keys, conversations) read completely, in file order. */
            long complete;
            final Map<Long, ConversationScan> conversations = new HashMap<>();
            final java.util.Set<Long> convRecords = new java.util.HashSet<>();
            final Map<String, Long> lastConversation = new HashMap<>();
            Optional<String> problem = Optional.empty();
            long problemLine;

            ConversationScan conversationAt(long record) {
                return conversations.getOrDefault(record, new ConversationScan(null, null, null, 0));
            }
        }

        private Scan scan(Path file) {
            Scan s = new Scan();
            try (InputStream in = Files.newInputStream(file); JsonParser p = JsonValues.FACTORY.createParser(in)) {
                try {
                    JsonToken t = p.nextToken();
                    if (t != JsonToken.START_OBJECT) {
                        throw new JsonEOFException(p, t, "the file does not hold an object but " + t);
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        boolean keys = field.equals("api_keys") && v == JsonToken.START_OBJECT;
                        boolean convs = field.equals("conversations") && v == JsonToken.START_OBJECT;
                        if (!keys && !convs) {
                            p.skipChildren();
                            s.complete++;
                            continue;
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            JsonToken cv = p.nextToken();
                            long record = s.complete;
                            if (convs) {
                                s.convRecords.add(record);
                                Object ts = null;
                                Object model = null;
                                Object provider = null;
                                int n = 0;
                                if (cv == JsonToken.START_OBJECT) {
                                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                                        String f = p.currentName();
                                        JsonToken fv = p.nextToken();
                                        if (f.equals("messages") && fv == JsonToken.START_ARRAY) {
                                            JsonToken m;
                                            while ((m = p.nextToken()) != JsonToken.END_ARRAY) {
                                                if (m == null) {
                                                    throw new JsonEOFException(p, null, "end of input in messages");
                                                }
                                                p.skipChildren();
                                                n++;
                                                s.conversations.put(record, new ConversationScan(ts, model, provider, n));
                                            }
                                        } else if (f.equals("timestamp") || f.equals("model") || f.equals("provider")) {
                                            Object val = JsonValues.read(p);
                                            ts = f.equals("timestamp") ? val : ts;
                                            model = f.equals("model") ? val : model;
                                            provider = f.equals("provider") ? val : provider;
                                        } else {
                                            p.skipChildren();
                                        }
                                    }
                                    if (p.currentToken() != JsonToken.END_OBJECT) {
                                        throw new JsonEOFException(p, null, "end of input in a conversation");
                                    }
                                } else {
                                    p.skipChildren();
                                }
                                s.conversations.put(record, new ConversationScan(ts, model, provider, n));
                                s.lastConversation.put(key, record);
                            } else {
                                p.skipChildren();
                            }
                            s.complete++;
                        }
                        if (p.currentToken() != JsonToken.END_OBJECT) {
                            throw new JsonEOFException(p, null, "end of input inside " + field);
                        }
                    }
                    if (p.currentToken() != JsonToken.END_OBJECT) {
                        throw new JsonEOFException(p, null, "end of input: the file's object is not closed");
                    }
                } catch (JsonProcessingException e) {
                    JsonLocation at = e.getLocation() != null ? e.getLocation() : p.currentLocation();
                    s.problem = Optional.of(e.getOriginalMessage().split("\n")[0] + " at line " + at.getLineNr()
                            + ", column " + at.getColumnNr());
                    s.problemLine = at.getLineNr();
                }
            } catch (IOException e) {
                throw new StorageIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            return s;
        }
    }
}
