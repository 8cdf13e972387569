package dev.chatstore.migration.legacy;

import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.Usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One legacy chat on its way into the store: its messages are validated one by one as the reader streams them
 * (bad ones reported and left out), numbered 1..n in source order, and written in chunks; {@link #finish} writes
 * the session with its final counters. At most one chunk of messages is held in memory.
 */
final class ChatImport {

    /** The session's fields as the legacy record gives them (counters are the importer's). */
    record Fields(String title, Optional<String> model, Optional<String> provider, boolean archived,
                  JsonObject metadata, Instant createdAt, Instant updatedAt) {
    }

    /** Where the chat and its messages come from, for the report. */
    record Origin(String file, long line, String path) {
    }

    private static final Set<String> ROLES = Set.of(Message.ROLE_USER, Message.ROLE_ASSISTANT, Message.ROLE_SYSTEM,
            Message.ROLE_TOOL);

    private final ImportRun run;
    private final String userId;
    private final String sessionId;
    private final String legacyId;
    private final Origin origin;
    private String messagesFile;
    private final List<Message> buffer = new ArrayList<>();
    private final Set<String> messageIds = new HashSet<>();
    private long accepted;
    private long written;
    private long storedCount = Long.MIN_VALUE; // unknown until the first write
    private Instant lastCreatedAt;
    private Instant newestCreatedAt;
    private boolean failed;

    ChatImport(ImportRun run, String userId, String sessionId, String legacyId, Origin origin) {
        this.run = run;
        this.userId = userId;
        this.sessionId = sessionId;
        this.legacyId = legacyId;
        this.origin = origin;
        this.messagesFile = origin.file();
    }

    /** The file the messages come from, when it is not the chat's own (JsonStore: the log, not the index). */
    ChatImport messagesFrom(String file) {
        this.messagesFile = file;
        return this;
    }

    String sessionId() {
        return sessionId;
    }

    /**
     * Maps one legacy message and adds it, or reports why not.
     *
     * @param raw          the message's fields (consumed)
     * @param index        its 0-based position in the legacy chat (names generated IDs: {@code m<index>})
     * @param line         its line in the file
     * @param path         its JSON path (or "" for JSONL)
     * @param timeFields   where the format keeps the timestamp, in order of preference
     * @param fallbackTime the time when the format has none per message (Python app), else empty
     * @param defaults     model and provider for messages with usage that name none (the chat's)
     */
    void message(Map<String, Object> raw, long index, long line, String path, List<String> timeFields,
                 Optional<Instant> fallbackTime, Optional<String> defaultModel, Optional<String> defaultProvider) {
        Object rawId = raw.get("id");
        String where = path;
        if (failed) {
            run.failedQuietly(ImportRun.MESSAGE, 1);
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>(raw);
        fields.remove("id");
        // role
        Object role = fields.remove("role");
        if (role == null) {
            reject(rawId, line, where, "missing role");
            return;
        }
        if (!(role instanceof String r) || !ROLES.contains(r)) {
            reject(rawId, line, where, "role " + LegacyValues.describe(role) + " is not one of " + new java.util.TreeSet<>(ROLES));
            return;
        }
        // content
        Object content = fields.remove("content");
        if (content == null) {
            reject(rawId, line, where, "missing content");
            return;
        }
        if (!(content instanceof String text)) {
            reject(rawId, line, where, "content is " + JsonValues.typeOf(content) + ", not text");
            return;
        }
        int badChar = JsonCodec.firstUnpairedSurrogate(text);
        if (badChar >= 0) {
            reject(rawId, line, where, "content is not valid Unicode (an unpaired surrogate at index " + badChar + ")");
            return;
        }
        long bytes = Validator.utf8Length(text);
        if (bytes > run.config.maxMessageBytes()) {
            reject(rawId, line, where, "oversize message: " + bytes + " UTF-8 bytes, limits.max-message-bytes is "
                    + run.config.maxMessageBytes());
            return;
        }
        // time
        Instant createdAt = null;
        for (String name : timeFields) {
            if (fields.containsKey(name)) {
                Object t = fields.remove(name);
                Optional<Instant> parsed = LegacyValues.instant(t);
                if (parsed.isEmpty()) {
                    reject(rawId, line, where, "bad timestamp: " + name + " is " + LegacyValues.describe(t));
                    return;
                }
                createdAt = parsed.get();
                break;
            }
        }
        if (createdAt == null) {
            if (fallbackTime.isEmpty()) {
                reject(rawId, line, where, "missing timestamp (" + String.join(" or ", timeFields) + ")");
                return;
            }
            createdAt = fallbackTime.get();
        }
        // usage, model, provider
        Optional<Usage> usage;
        try {
            usage = LegacyValues.usage(fields);
        } catch (IllegalArgumentException e) {
            reject(rawId, line, where, "bad usage: " + e.getMessage());
            return;
        }
        Optional<String> model = label(fields, "model");
        Optional<String> provider = label(fields, "provider");
        if (usage.isPresent()) {
            model = model.or(() -> defaultModel);
            provider = provider.or(() -> defaultProvider);
        }
        // id
        String id;
        if (rawId == null) {
            id = "m" + index;
        } else if (rawId instanceof String s) {
            id = LegacyValues.mapId(s);
            if (!id.equals(s)) {
                fields.put("legacyId", s);
            }
        } else {
            reject(rawId, line, where, "id is " + JsonValues.typeOf(rawId) + ", not a string");
            return;
        }
        if (!messageIds.add(id)) {
            reject(rawId, line, where, "duplicate message id " + LegacyValues.printable(rawId)
                    + " in this chat; the first one was imported");
            return;
        }
        JsonObject metadata;
        try {
            metadata = Validator.json("message.metadata", JsonObject.from(fields), run.config.maxJsonBytes());
        } catch (StorageException e) {
            reject(rawId, line, where, "unmapped fields cannot be kept as metadata: " + e.getMessage());
            return;
        }
        if (accepted >= run.config.maxMessagesPerSession()) {
            reject(rawId, line, where, "the chat has more than limits.max-messages-per-session ("
                    + run.config.maxMessagesPerSession() + ") valid messages");
            return;
        }
        if (rawId instanceof String s && !id.equals(s)) {
            run.note(new Finding(messagesFile, line, where, ImportRun.MESSAGE, LegacyValues.printable(s), Finding.MAPPED,
                    "message id is not a valid Chatstore ID; imported as '" + id + "' with legacyId in its metadata"));
        }
        accepted++;
        buffer.add(new Message(id, sessionId, accepted, (String) role, text, createdAt, List.of(), metadata, usage,
                model, provider));
        lastCreatedAt = createdAt;
        newestCreatedAt = newestCreatedAt == null || createdAt.isAfter(newestCreatedAt) ? createdAt : newestCreatedAt;
        if (buffer.size() >= run.options.chunkSize()) {
            flush(null);
        }
    }

    private Optional<String> label(Map<String, Object> fields, String name) {
        Object v = fields.get(name);
        if (v instanceof String s && !s.isEmpty() && s.length() <= Validator.MAX_LABEL
                && JsonCodec.firstUnpairedSurrogate(s) < 0) {
            fields.remove(name);
            return Optional.of(s);
        }
        return Optional.empty(); // anything else stays in metadata as it was
    }

    private void reject(Object rawId, long line, String where, String reason) {
        run.skipped(new Finding(messagesFile, line, where, ImportRun.MESSAGE, LegacyValues.printable(rawId),
                Finding.SKIPPED, reason));
    }

    /** Writes the buffered messages, creating the session first if needed ({@code fields} null: a provisional one). */
    private void flush(Fields fields) {
        if (failed) {
            return;
        }
        try {
            if (storedCount == Long.MIN_VALUE) {
                Fields f0 = fields != null ? fields : provisional();
                // users the chats name are created, not counted: only user records of the source are
                run.writer.ensureUser(userId, f0.createdAt());
                storedCount = run.writer.storedMessageCount(userId, sessionId);
                if (storedCount < 0) {
                    Fields f = fields != null ? fields : provisional();
                    run.writer.restoreSession(session(f, 0, Optional.empty(), f.updatedAt()));
                    storedCount = 0;
                }
            }
            if (!buffer.isEmpty()) {
                run.writer.writeMessages(userId, sessionId, buffer, storedCount);
                written += buffer.size();
                run.imported(ImportRun.MESSAGE, buffer.size());
                buffer.clear();
            }
        } catch (StorageException e) {
            failed = true;
            long lost = buffer.size();
            buffer.clear();
            run.failed(ImportRun.SESSION, 1, new Finding(origin.file(), origin.line(), origin.path(), ImportRun.SESSION,
                    LegacyValues.printable(legacyId), Finding.FAILED, "the store refused the chat after " + written
                    + " message(s): " + e.getMessage()));
            run.failedQuietly(ImportRun.MESSAGE, lost);
        }
    }

    private Fields provisional() {
        Instant t = buffer.isEmpty() ? Instant.EPOCH : buffer.get(0).createdAt();
        return new Fields("", Optional.empty(), Optional.empty(), false, JsonObject.empty(), t, t);
    }

    /** Writes the remaining messages and the session with its final counters. */
    void finish(Fields fields) {
        flush(fields);
        if (failed) {
            return;
        }
        try {
            long count = accepted;
            Optional<Instant> last = Optional.ofNullable(lastCreatedAt);
            if (storedCount > accepted && !run.writer.dryRun()) {
                count = storedCount;
                last = run.store.messages().last(userId, sessionId, 1).stream().findFirst().map(Message::createdAt);
                run.note(new Finding(origin.file(), origin.line(), origin.path(), ImportRun.SESSION,
                        LegacyValues.printable(legacyId), Finding.MAPPED, "the store already held this session with "
                        + storedCount + " messages; the source has " + accepted + ", so messages after seq " + accepted
                        + " are not from this source (delete the session and re-run to drop them)"));
            }
            // the contract: updatedAt is the later of the last update and the newest message
            Instant updatedAt = fields.updatedAt();
            if (newestCreatedAt != null && newestCreatedAt.isAfter(updatedAt)) {
                updatedAt = newestCreatedAt;
            }
            run.writer.restoreSession(session(fields, count, last, updatedAt));
            run.imported(ImportRun.SESSION);
        } catch (StorageException e) {
            run.failed(ImportRun.SESSION, 1, new Finding(origin.file(), origin.line(), origin.path(), ImportRun.SESSION,
                    LegacyValues.printable(legacyId), Finding.FAILED, "the store refused the session: " + e.getMessage()));
        }
    }

    /**
     * Gives up on a chat whose record is unreadable (torn). Messages already written stay (reported); the rest
     * are counted as failed under the chat's finding.
     */
    void abandon(String reason) {
        long pending = buffer.size();
        buffer.clear();
        String done = written > 0 ? "; its first " + written + " message(s) were already imported and stay" : "";
        run.failed(ImportRun.SESSION, 1, new Finding(origin.file(), origin.line(), origin.path(), ImportRun.SESSION,
                LegacyValues.printable(legacyId), Finding.FAILED, reason + done));
        run.failedQuietly(ImportRun.MESSAGE, pending);
    }

    private Session session(Fields f, long count, Optional<Instant> lastMessageAt, Instant updatedAt) {
        return new Session(sessionId, userId, f.title(), f.model(), f.provider(), f.archived(), f.metadata(), count,
                lastMessageAt, f.createdAt(), updatedAt, 1);
    }
}
