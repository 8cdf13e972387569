package dev.chatstore.migration.legacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.migration.ImportOptions;
import dev.chatstore.migration.ImportSummary;
import dev.chatstore.migration.LegacyFormat;
import dev.chatstore.migration.LegacyImporter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Seed 003, the TypeScript JsonStore: {@code data/chats/index.jsonl} (one chat's metadata per line; a later line
 * for the same ID replaces an earlier one, as an append-only index does), one {@code data/chats/<chatId>.jsonl}
 * event log per chat, {@code data/personas/*.json} and {@code data/characters/*.json} (both become personas:
 * global, or the user's when they name one). Log files are found by listing the directory, never by building a
 * path from an ID, so an ID like {@code ../x} cannot reach outside it.
 *
 * <p>Units: personas/, characters/ (position: files done), the index (its own findings, and chats that have no
 * log yet), each chat log in name order (a log is redone whole when a run resumes inside it), the rest of the
 * tree (reported: Chatstore has no entity for settings, binaries, auth, tags or image profiles).
 */
public final class JsonStoreImporter implements LegacyImporter {

    private static final List<String> MESSAGE_TIME = List.of("createdAt", "timestamp");
    private static final List<String> KNOWN_DIRS = List.of("chats", "personas", "characters");

    @Override
    public LegacyFormat format() {
        return LegacyFormat.JSON_STORE;
    }

    @Override
    public ImportSummary run(ChatStore target, Path source, ImportOptions options) {
        Path root = Files.isDirectory(source.resolve("data").resolve("chats")) ? source.resolve("data") : source;
        if (!Files.isDirectory(root.resolve("chats")) && !Files.isDirectory(root.resolve("personas"))
                && !Files.isDirectory(root.resolve("characters"))) {
            throw new StorageIOException("no JsonStore data/ tree at " + source + ": no chats/, personas/ or characters/", null);
        }
        try (ImportRun run = new ImportRun(target, format(), root, options)) {
            new Reader(run, root).importAll();
            return run.finish();
        }
    }

    /** A winning index line. */
    private record IndexEntry(long line, Map<String, Object> fields) {
    }

    private static final class Reader {
        private final ImportRun run;
        private final Path root;
        private final Map<String, IndexEntry> index = new LinkedHashMap<>();
        private final List<Finding> indexFindings = new ArrayList<>();
        private int indexSkipped;
        private final Map<String, String> personaOwners = new HashMap<>(); // "scope id" -> first file

        Reader(ImportRun run, Path root) {
            this.run = run;
            this.root = root;
        }

        void importAll() {
            List<Path> personas = list(root.resolve("personas"), ".json");
            List<Path> characters = list(root.resolve("characters"), ".json");
            List<Path> logs = list(root.resolve("chats"), ".jsonl").stream()
                    .filter(p -> !p.getFileName().toString().equals("index.jsonl")).toList();
            long total = 0;
            for (List<Path> l : List.of(personas, characters, logs)) {
                for (Path p : l) {
                    total += size(p);
                }
            }
            run.totalBytes(total + size(root.resolve("chats/index.jsonl")));
            scanPersonaIds(personas, "persona");
            scanPersonaIds(characters, "character");
            importPersonas(0, "personas", personas, "persona");
            importPersonas(1, "characters", characters, "character");
            readIndex();
            Map<String, Path> logByStem = new HashMap<>();
            for (Path p : logs) {
                String n = p.getFileName().toString();
                logByStem.put(n.substring(0, n.length() - ".jsonl".length()), p);
            }
            indexUnit(2, logByStem);
            for (int i = 0; i < logs.size(); i++) {
                importLog(3 + i, logs.get(i));
            }
            otherFiles(3 + logs.size());
        }

        private static List<Path> list(Path dir, String suffix) {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList();
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

        private String rel(Path p) {
            return root.relativize(p).toString().replace('\\', '/');
        }

        // ---- personas and characters ---------------------------------------------------------------------------

        /** The ID and scope each file would get, so that duplicates are decided before anything is written. */
        private void scanPersonaIds(List<Path> files, String kind) {
            for (Path f : files) {
                Optional<Map<String, Object>> doc = readSmall(f);
                if (doc.isEmpty()) {
                    continue;
                }
                String key = personaKey(f, doc.get());
                personaOwners.putIfAbsent(key, rel(f));
            }
        }

        private static String personaKey(Path f, Map<String, Object> doc) {
            String scope = doc.get("userId") instanceof String u ? "user:" + LegacyValues.mapId(u) : "global";
            return scope + " " + LegacyValues.mapId(rawPersonaId(f, doc));
        }

        private static String rawPersonaId(Path f, Map<String, Object> doc) {
            if (doc.get("id") instanceof String id && !id.isEmpty()) {
                return id;
            }
            String n = f.getFileName().toString();
            return n.substring(0, n.length() - ".json".length());
        }

        private static Optional<Map<String, Object>> readSmall(Path f) {
            try {
                Object doc = JsonValues.readDocument(Files.readAllBytes(f));
                if (doc instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> typed = (Map<String, Object>) m;
                    return Optional.of(typed);
                }
                return Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        private void importPersonas(int unit, String dirName, List<Path> files, String kind) {
            long start = run.startOf(unit);
            if (start < 0) {
                return;
            }
            for (int i = (int) start; i < files.size(); i++) {
                Path f = files.get(i);
                run.startFile(rel(f), size(f));
                importPersona(f, kind);
                run.bytesInFile(size(f));
                run.recordDone(unit, dirName, i + 1);
            }
            run.unitDone(unit, dirName);
        }

        private void importPersona(Path f, String kind) {
            String name = rel(f);
            Map<String, Object> doc;
            try {
                Object parsed = JsonValues.readDocument(Files.readAllBytes(f));
                if (!(parsed instanceof Map<?, ?> m)) {
                    run.skipped(new Finding(name, 1, "$", ImportRun.PERSONA, "", Finding.SKIPPED,
                            "the " + kind + " file holds " + JsonValues.typeOf(parsed) + ", not an object"));
                    return;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = new LinkedHashMap<>((Map<String, Object>) m);
                doc = typed;
            } catch (JsonProcessingException e) {
                run.skipped(new Finding(name, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "",
                        ImportRun.PERSONA, "", Finding.SKIPPED, "torn JSON file: " + e.getOriginalMessage().split("\n")[0]));
                return;
            } catch (IOException e) {
                run.failed(ImportRun.PERSONA, 1, new Finding(name, 0, "", ImportRun.PERSONA, "", Finding.FAILED,
                        "cannot read the file: " + e.getMessage()));
                return;
            }
            String rawId = rawPersonaId(f, doc);
            String owner = personaOwners.get(personaKey(f, doc));
            if (owner != null && !owner.equals(name)) {
                run.skipped(new Finding(name, 1, "$", ImportRun.PERSONA, LegacyValues.printable(rawId), Finding.SUPERSEDED,
                        "duplicate persona id in the same scope: " + owner + " has it too and is imported"));
                return;
            }
            String id = LegacyValues.mapId(rawId);
            doc.remove("id");
            if (!id.equals(rawId)) {
                doc.put("legacyId", rawId);
                run.note(new Finding(name, 1, "$", ImportRun.PERSONA, LegacyValues.printable(rawId), Finding.MAPPED,
                        kind + " id is not a valid Chatstore ID; imported as '" + id + "' with legacyId in its data"));
            }
            PersonaScope scope = PersonaScope.global();
            Instant fileTime = mtime(f);
            if (doc.get("userId") instanceof String u) {
                String userId = LegacyValues.mapId(u);
                doc.remove("userId");
                if (!userId.equals(u)) {
                    doc.put("legacyUserId", u);
                }
                try {
                    run.writer.ensureUser(userId, fileTime);
                } catch (StorageException e) {
                    run.failed(ImportRun.PERSONA, 1, new Finding(name, 1, "$", ImportRun.PERSONA,
                            LegacyValues.printable(rawId), Finding.FAILED, "cannot create its user: " + e.getMessage()));
                    return;
                }
                scope = PersonaScope.user(userId);
            }
            Instant created = takeTime(doc, "createdAt").orElse(fileTime);
            Instant updated = takeTime(doc, "updatedAt").orElse(created);
            if (kind.equals("character")) {
                doc.put("legacyKind", "character");
            }
            try {
                run.writer.restorePersona(new Persona(id, scope, JsonObject.from(doc), created, updated, 1));
                run.imported(ImportRun.PERSONA);
            } catch (StorageException e) {
                run.failed(ImportRun.PERSONA, 1, new Finding(name, 1, "$", ImportRun.PERSONA, LegacyValues.printable(rawId),
                        Finding.FAILED, "the store refused the " + kind + ": " + e.getMessage()));
            }
        }

        private static Optional<Instant> takeTime(Map<String, Object> doc, String field) {
            Optional<Instant> t = LegacyValues.instant(doc.get(field));
            t.ifPresent(x -> doc.remove(field));
            return t;
        }

        private static Instant mtime(Path f) {
            try {
                return Files.getLastModifiedTime(f).toInstant().truncatedTo(ChronoUnit.MILLIS);
            } catch (IOException e) {
                return Instant.EPOCH;
            }
        }

        // ---- the index -----------------------------------------------------------------------------------------

        private void readIndex() {
            Path file = root.resolve("chats").resolve("index.jsonl");
            if (!Files.isRegularFile(file)) {
                return;
            }
            Map<String, Long> lastLine = new HashMap<>();
            List<Object[]> entries = new ArrayList<>();
            try (LineReader lines = new LineReader(Files.newInputStream(file))) {
                LineReader.Line l;
                while ((l = lines.next()) != null) {
                    if (l.blank()) {
                        continue;
                    }
                    Object doc;
                    try {
                        doc = JsonValues.readDocument(l.bytes());
                    } catch (IOException e) {
                        indexFindings.add(new Finding("chats/index.jsonl", l.number(), "", ImportRun.SESSION, "",
                                Finding.SKIPPED, (l.terminated() ? "bad JSON line: " : "torn last line (an interrupted append): ")
                                + firstLine(e)));
                        indexSkipped++;
                        continue;
                    }
                    if (!(doc instanceof Map<?, ?> m) || !(m.get("id") instanceof String id) || id.isEmpty()) {
                        indexFindings.add(new Finding("chats/index.jsonl", l.number(), "", ImportRun.SESSION, "",
                                Finding.SKIPPED, "index entry without a string id"));
                        indexSkipped++;
                        continue;
                    }
                    lastLine.put(id, l.number());
                    entries.add(new Object[]{id, l.number(), m});
                }
            } catch (IOException e) {
                throw new StorageIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            for (Object[] e : entries) {
                String id = (String) e[0];
                long line = (Long) e[1];
                if (lastLine.get(id) != line) {
                    indexFindings.add(new Finding("chats/index.jsonl", line, "", ImportRun.SESSION, LegacyValues.printable(id),
                            Finding.SUPERSEDED, "duplicate chat id in the index: line " + lastLine.get(id)
                            + " is later and wins (an append-only index: the last entry is current)"));
                } else {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> fields = new LinkedHashMap<>((Map<String, Object>) e[2]);
                    index.put(id, new IndexEntry(line, fields));
                }
            }
        }

        private static String firstLine(Exception e) {
            String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            return m == null ? e.toString() : m.split("\n")[0];
        }

        /** Reports the index's own findings and imports the chats that have no log file (no messages yet). */
        private void indexUnit(int unit, Map<String, Path> logByStem) {
            long start = run.startOf(unit);
            if (start < 0) {
                return;
            }
            run.startFile("chats/index.jsonl", 0);
            for (Finding f : indexFindings) {
                run.skipped(f);
            }
            for (Map.Entry<String, IndexEntry> e : index.entrySet()) {
                if (!logByStem.containsKey(e.getKey())) {
                    ChatImport chat = chat(e.getKey(), e.getValue());
                    if (chat != null) {
                        finish(chat, e.getKey(), e.getValue());
                    }
                }
            }
            run.unitDone(unit, "chats/index.jsonl");
        }

        private ChatImport chat(String rawId, IndexEntry entry) {
            Map<String, Object> fields = entry.fields();
            String userId = run.options.defaultUserId();
            if (fields.get("userId") instanceof String u) {
                userId = LegacyValues.mapId(u);
                if (!userId.equals(u)) {
                    run.note(new Finding("chats/index.jsonl", entry.line(), "", ImportRun.USER, LegacyValues.printable(u),
                            Finding.MAPPED, "user id is not a valid Chatstore ID; chat " + LegacyValues.printable(rawId)
                            + " goes to user '" + userId + "'"));
                }
            }
            String sessionId = LegacyValues.mapId(rawId);
            if (!sessionId.equals(rawId)) {
                run.note(new Finding("chats/index.jsonl", entry.line(), "", ImportRun.SESSION, LegacyValues.printable(rawId),
                        Finding.MAPPED, "chat id is not a valid Chatstore ID; imported as '" + sessionId
                        + "' with legacyId in its metadata"));
            }
            return new ChatImport(run, userId, sessionId, rawId, new ChatImport.Origin("chats/index.jsonl", entry.line(), ""));
        }

        private void finish(ChatImport chat, String rawId, IndexEntry entry) {
            Map<String, Object> fields = new LinkedHashMap<>(entry.fields());
            fields.remove("id");
            if (fields.get("userId") instanceof String u) {
                fields.remove("userId");
                if (!LegacyValues.validId(u)) {
                    fields.put("legacyUserId", u);
                }
            }
            chat.finish(SessionFields.of(run, fields, rawId, chat.sessionId(),
                    new ChatImport.Origin("chats/index.jsonl", entry.line(), ""), "createdAt",
                    List.of("updatedAt", "lastModified"), "isArchived"));
        }

        // ---- chat logs -----------------------------------------------------------------------------------------

        private void importLog(int unit, Path file) {
            if (run.startOf(unit) < 0) {
                return;
            }
            String name = rel(file);
            String n = file.getFileName().toString();
            String stem = n.substring(0, n.length() - ".jsonl".length());
            run.startFile(name, size(file));
            IndexEntry entry = index.get(stem);
            if (entry == null) {
                long lines = countLines(file);
                run.skipped(ImportRun.SESSION, 1, new Finding(name, 0, "", ImportRun.SESSION, LegacyValues.printable(stem),
                        Finding.SKIPPED, "chat log without an index entry in chats/index.jsonl (the app does not list "
                        + "it); its " + lines + " event line(s) are not imported"));
                run.skippedQuietly(ImportRun.MESSAGE, lines);
                run.unitDone(unit, name);
                return;
            }
            ChatImport chat = chat(stem, entry).messagesFrom(name);
            Optional<String> model = entry.fields().get("model") instanceof String s ? Optional.of(s) : Optional.empty();
            Optional<String> provider = entry.fields().get("provider") instanceof String s ? Optional.of(s) : Optional.empty();
            try (LineReader lines = new LineReader(Files.newInputStream(file))) {
                LineReader.Line l;
                long j = 0;
                while ((l = lines.next()) != null) {
                    if (l.blank()) {
                        continue;
                    }
                    Object doc;
                    try {
                        doc = JsonValues.readDocument(l.bytes());
                    } catch (IOException e) {
                        run.skipped(new Finding(name, l.number(), "", ImportRun.MESSAGE, "", Finding.SKIPPED,
                                (l.terminated() ? "bad JSON line: " : "torn last line (an interrupted append): ")
                                        + firstLine(e)));
                        j++;
                        continue;
                    }
                    if (!(doc instanceof Map<?, ?> m)) {
                        run.skipped(new Finding(name, l.number(), "", ImportRun.MESSAGE, "", Finding.SKIPPED,
                                "the line holds " + JsonValues.typeOf(doc) + ", not an event object"));
                        j++;
                        continue;
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> event = new LinkedHashMap<>((Map<String, Object>) m);
                    Object type = event.get("type");
                    if (type != null && !"message".equals(type)) {
                        run.skipped(new Finding(name, l.number(), "", ImportRun.MESSAGE,
                                LegacyValues.printable(event.get("id")), Finding.SKIPPED, "event type "
                                + LegacyValues.describe(type) + " has no Chatstore mapping (only message events are imported)"));
                        j++;
                        continue;
                    }
                    event.remove("type");
                    chat.message(event, j, l.number(), "", MESSAGE_TIME, Optional.empty(), model, provider);
                    j++;
                    run.bytesInFile(l.endOffset());
                    run.tick();
                }
            } catch (IOException e) {
                throw new StorageIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            finish(chat, stem, entry);
            run.bytesInFile(size(file));
            run.unitDone(unit, name);
        }

        private static long countLines(Path file) {
            long n = 0;
            try (LineReader lines = new LineReader(Files.newInputStream(file))) {
                LineReader.Line l;
                while ((l = lines.next()) != null) {
                    if (!l.blank()) {
                        n++;
                    }
                }
            } catch (IOException e) {
                return n;
            }
            return n;
        }

        // ---- everything else -----------------------------------------------------------------------------------

        private void otherFiles(int unit) {
            if (run.startOf(unit) < 0) {
                return;
            }
            try (Stream<Path> top = Files.list(root)) {
                for (Path p : top.sorted().toList()) {
                    String n = p.getFileName().toString();
                    if (KNOWN_DIRS.contains(n) || n.equals(".gitkeep")) {
                        continue;
                    }
                    long files;
                    try (Stream<Path> all = Files.walk(p)) {
                        files = all.filter(Files::isRegularFile).count();
                    }
                    if (files == 0) {
                        continue;
                    }
                    run.skipped(ImportRun.FILE, files, new Finding(n + (Files.isDirectory(p) ? "/" : ""), 0, "",
                            ImportRun.FILE, "", Finding.SKIPPED, "not imported: Chatstore has no entity for "
                            + n + " (" + files + " file(s)); keep the original if you need it"));
                }
                for (Path p : list(root.resolve("chats"), "")) {
                    String n = p.getFileName().toString();
                    if (!n.endsWith(".jsonl")) {
                        run.skipped(new Finding("chats/" + n, 0, "", ImportRun.FILE, "", Finding.SKIPPED,
                                "not a chat log (.jsonl); not imported"));
                    }
                }
            } catch (IOException e) {
                throw new StorageIOException("cannot list " + root + ": " + e, e);
            }
            run.unitDone(unit, "other files");
        }
    }

    /**
     * Reads JSONL line by line from bytes, keeping each line's number, its bytes, whether it ended with a newline
     * (a last line without one is a torn append) and the byte offset after it.
     */
    static final class LineReader implements AutoCloseable {

        record Line(long number, byte[] bytes, boolean terminated, long endOffset) {
            boolean blank() {
                for (byte b : bytes) {
                    if (b != ' ' && b != '\t' && b != '\r') {
                        return false;
                    }
                }
                return true;
            }
        }

        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int limit;
        private long number;
        private long offset;

        LineReader(InputStream in) {
            this.in = in;
        }

        Line next() throws IOException {
            ByteArrayOutputStream line = null;
            while (true) {
                if (pos == limit) {
                    limit = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        if (line == null || line.size() == 0) {
                            return null;
                        }
                        number++;
                        return new Line(number, strip(line.toByteArray()), false, offset);
                    }
                }
                int start = pos;
                while (pos < limit && buf[pos] != '\n') {
                    pos++;
                }
                if (pos < limit) { // found the newline
                    byte[] bytes;
                    if (line == null) {
                        bytes = java.util.Arrays.copyOfRange(buf, start, pos);
                    } else {
                        line.write(buf, start, pos - start);
                        bytes = line.toByteArray();
                    }
                    offset += pos - start + 1;
                    pos++;
                    number++;
                    return new Line(number, strip(bytes), true, offset);
                }
                if (line == null) {
                    line = new ByteArrayOutputStream(256);
                }
                line.write(buf, start, pos - start);
                offset += pos - start;
            }
        }

        private static byte[] strip(byte[] line) {
            return line.length > 0 && line[line.length - 1] == '\r' ? java.util.Arrays.copyOf(line, line.length - 1) : line;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
