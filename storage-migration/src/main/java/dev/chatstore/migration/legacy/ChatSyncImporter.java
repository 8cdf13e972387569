package dev.chatstore.migration.legacy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.migration.ImportOptions;
import dev.chatstore.migration.ImportSummary;
import dev.chatstore.migration.LegacyFormat;
import dev.chatstore.migration.LegacyImporter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 000, the chat-sync server: one {@code chatStore.json} array of chats with their messages, no users. Every
 * chat goes to the default user. The server merged chats by ID with last-write-wins, so of several elements with
 * one ID the last complete one is imported and the others are reported as superseded.
 *
 * <p>The file is read twice with the streaming parser: once to learn each element's ID, message count and
 * whether it is complete (so the duplicate rule and a torn tail are known before anything is written), once to
 * import. Memory holds the IDs, never the array. The checkpoint position is the number of elements done.
 */
public final class ChatSyncImporter implements LegacyImporter {

    static final String FILE_NAME = "chatStore.json";
    private static final List<String> MESSAGE_TIME = List.of("timestamp", "createdAt");

    @Override
    public LegacyFormat format() {
        return LegacyFormat.CHAT_SYNC;
    }

    @Override
    public ImportSummary run(ChatStore target, Path source, ImportOptions options) {
        Path file = Files.isDirectory(source) ? source.resolve(FILE_NAME) : source;
        if (!Files.isRegularFile(file)) {
            throw new StorageIOException("no chat-sync store at " + source + ": " + file + " is not a file", null);
        }
        Path root = file.toAbsolutePath().getParent();
        try (ImportRun run = new ImportRun(target, format(), root, options)) {
            new Reader(run, file).importFile();
            return run.finish();
        }
    }

    /** What the first pass learns about the array. */
    private record Scan(List<String> ids, List<Integer> messageCounts, int complete, Map<String, Integer> lastIndex,
                        Optional<String> problem, long problemLine) {
    }

    private static final class Reader {
        private final ImportRun run;
        private final Path file;
        private final String name;

        Reader(ImportRun run, Path file) {
            this.run = run;
            this.file = file;
            this.name = file.getFileName().toString();
        }

        void importFile() {
            long start = run.startOf(0);
            if (start < 0) {
                return;
            }
            long size = size();
            run.totalBytes(size);
            run.startFile(name, size);
            Scan scan = scan();
            try (InputStream in = Files.newInputStream(file); JsonParser p = JsonValues.FACTORY.createParser(in)) {
                JsonToken first;
                try {
                    first = p.nextToken();
                } catch (JsonProcessingException e) {
                    first = JsonToken.NOT_AVAILABLE;
                }
                if (first != JsonToken.START_ARRAY) {
                    if (start == 0) {
                        run.failed(ImportRun.FILE, 1, new Finding(name, 1, "$", ImportRun.FILE, "", Finding.FAILED,
                                first == null ? "the file is empty: no array of chats (the chat-sync server would have read it as [] and lost everything)"
                                        : first == JsonToken.NOT_AVAILABLE ? "the file is not JSON: " + scan.problem().orElse("")
                                        : "the file does not hold an array of chats but " + first));
                    }
                    run.unitDone(0, name);
                    return;
                }
                int i = 0;
                while (i < scan.complete()) {
                    JsonToken t = p.nextToken();
                    long line = p.currentTokenLocation().getLineNr();
                    if (i < start) {
                        p.skipChildren();
                    } else {
                        element(p, t, i, line, scan);
                        run.bytesInFile(p.currentLocation().getByteOffset());
                        run.recordDone(0, name, i + 1);
                    }
                    i++;
                }
                if (scan.problem().isPresent()) {
                    String idPart = i < scan.ids().size() && scan.ids().get(i) != null
                            ? LegacyValues.printable(scan.ids().get(i)) : "";
                    if (i < scan.ids().size()) {
                        int partial = scan.messageCounts().get(i);
                        run.failed(ImportRun.SESSION, 1, new Finding(name, scan.problemLine(), "$[" + i + "]",
                                ImportRun.SESSION, idPart, Finding.FAILED, "torn JSON: the chat is cut off or damaged ("
                                + scan.problem().get() + "); not imported, nor its " + partial + " complete message(s)"));
                        run.failedQuietly(ImportRun.MESSAGE, partial);
                    }
                    run.failed(ImportRun.FILE, 1, new Finding(name, scan.problemLine(), "$[" + i + "]", ImportRun.FILE,
                            "", Finding.FAILED, "torn JSON file: " + scan.problem().get()
                            + "; nothing after this point can be read (every complete chat before it was imported)"));
                }
            } catch (IOException e) {
                throw new StorageIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            run.bytesInFile(size);
            run.unitDone(0, name);
        }

        private long size() {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new StorageIOException("cannot read " + file + ": " + e, e);
            }
        }

        /** First pass: IDs, message counts and the first unreadable point. */
        private Scan scan() {
            List<String> ids = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            Map<String, Integer> last = new HashMap<>();
            int complete = 0;
            try (InputStream in = Files.newInputStream(file); JsonParser p = JsonValues.FACTORY.createParser(in)) {
                try {
                    if (p.nextToken() != JsonToken.START_ARRAY) {
                        return new Scan(ids, counts, 0, last, Optional.empty(), 0);
                    }
                    JsonToken t;
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (t == null) {
                            throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "the array is not closed");
                        }
                        ids.add(null);
                        counts.add(0);
                        int index = ids.size() - 1;
                        if (t == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String field = p.currentName();
                                JsonToken v = p.nextToken();
                                if (field.equals("id") && v == JsonToken.VALUE_STRING) {
                                    ids.set(index, p.getText());
                                } else if (field.equals("messages") && v == JsonToken.START_ARRAY) {
                                    int n = 0;
                                    JsonToken m;
                                    while ((m = p.nextToken()) != JsonToken.END_ARRAY) {
                                        if (m == null) {
                                            throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "end of input in messages");
                                        }
                                        p.skipChildren();
                                        n++;
                                        counts.set(index, n);
                                    }
                                } else {
                                    p.skipChildren();
                                }
                            }
                            if (p.currentToken() != JsonToken.END_OBJECT) {
                                throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "end of input in a chat");
                            }
                        } else {
                            p.skipChildren();
                        }
                        if (ids.get(index) != null) {
                            last.put(ids.get(index), index);
                        }
                        complete++;
                    }
                    JsonToken after = p.nextToken();
                    if (after != null) {
                        return new Scan(ids, counts, complete, last, Optional.of("unexpected " + after
                                + " after the end of the array"), p.currentTokenLocation().getLineNr());
                    }
                    return new Scan(ids, counts, complete, last, Optional.empty(), 0);
                } catch (JsonProcessingException e) {
                    JsonLocation at = e.getLocation() != null ? e.getLocation() : p.currentLocation();
                    return new Scan(ids, counts, complete, last, Optional.of(e.getOriginalMessage().split("\n")[0]
                            + " at line " + at.getLineNr() + ", column " + at.getColumnNr()), at.getLineNr());
                }
            } catch (IOException e) {
                throw new StorageIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        /** Second pass: one complete element, the parser on its first token. */
        private void element(JsonParser p, JsonToken t, int i, long line, Scan scan) throws IOException {
            String path = "$[" + i + "]";
            String rawId = scan.ids().get(i);
            int messages = scan.messageCounts().get(i);
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                run.skipped(new Finding(name, line, path, ImportRun.SESSION, "", Finding.SKIPPED,
                        "the array element is " + t + ", not a chat object"));
                return;
            }
            if (rawId == null) {
                p.skipChildren();
                run.skipped(ImportRun.SESSION, 1, new Finding(name, line, path, ImportRun.SESSION, "", Finding.SKIPPED,
                        "chat without an id (or its id is not a string); its " + messages + " message(s) are not imported"));
                run.skippedQuietly(ImportRun.MESSAGE, messages);
                return;
            }
            int winner = scan.lastIndex().get(rawId);
            if (winner != i) {
                p.skipChildren();
                run.skipped(ImportRun.SESSION, 1, new Finding(name, line, path, ImportRun.SESSION,
                        LegacyValues.printable(rawId), Finding.SUPERSEDED, "duplicate chat id: element $[" + winner
                        + "] has the same id and wins (the chat-sync server's merge is last-write-wins); this one's "
                        + messages + " message(s) are not imported"));
                run.skippedQuietly(ImportRun.MESSAGE, messages);
                return;
            }
            String sessionId = LegacyValues.mapId(rawId);
            String userId = run.options.defaultUserId();
            ChatImport chat = new ChatImport(run, userId, sessionId, rawId, new ChatImport.Origin(name, line, path));
            Map<String, Object> fields = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("messages") && v == JsonToken.START_ARRAY) {
                    long j = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        long mline = p.currentTokenLocation().getLineNr();
                        String mpath = path + ".messages[" + j + "]";
                        if (p.currentToken() != JsonToken.START_OBJECT) {
                            Object notAMessage = JsonValues.read(p);
                            run.skipped(new Finding(name, mline, mpath, ImportRun.MESSAGE, "", Finding.SKIPPED,
                                    "the message is " + JsonValues.typeOf(notAMessage) + ", not an object"));
                        } else {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> raw = (Map<String, Object>) JsonValues.read(p);
                            chat.message(raw, j, mline, mpath, MESSAGE_TIME, Optional.empty(), modelOf(fields),
                                    providerOf(fields));
                        }
                        j++;
                    }
                } else {
                    fields.put(field, JsonValues.read(p));
                }
            }
            if (!sessionId.equals(rawId)) {
                run.note(new Finding(name, line, path, ImportRun.SESSION, LegacyValues.printable(rawId), Finding.MAPPED,
                        "chat id is not a valid Chatstore ID; imported as '" + sessionId + "' with legacyId in its metadata"));
            }
            chat.finish(SessionFields.of(run, fields, rawId, sessionId, new ChatImport.Origin(name, line, path),
                    "createdAt", List.of("updatedAt", "lastModified"), "isArchived"));
        }

        private static Optional<String> modelOf(Map<String, Object> fields) {
            return fields.get("model") instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
        }

        private static Optional<String> providerOf(Map<String, Object> fields) {
            return fields.get("provider") instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
        }
    }
}
